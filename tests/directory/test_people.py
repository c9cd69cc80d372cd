import pytest
from django.core import mail
from django.urls import reverse

from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["methodist", "head", "director", "librarian_a"])
def test_members_see_the_people_list(cast, login, who):
    response = login(getattr(cast, who)).get(reverse("directory:person_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Леонтьева Элла Владимировна" in body
    assert "Чужая" not in body
    assert "5 человек" in body


def test_people_list_filters_by_role_and_school(cast, login):
    client = login(cast.methodist)
    body = client.get(reverse("directory:person_list"), {"role": Role.LIBRARIAN}).content.decode()
    assert "Иванова Анна" in body and "Леонтьева" not in body.split("<tbody>")[1]
    body = client.get(
        reverse("directory:person_list"), {"school": cast.school_b.pk}
    ).content.decode()
    assert "Петрова Ольга" in body and "Иванова Анна" not in body


def test_people_list_ignores_garbage_filters(cast, login):
    response = login(cast.methodist).get(
        reverse("directory:person_list"), {"role": "king", "school": "abc", "page": "zzz"}
    )
    assert response.status_code == 200
    assert "5 человек" in response.content.decode()


def test_people_list_query_count_is_bounded(cast, login, django_assert_max_num_queries):
    from bibliomo.directory import services

    for n in range(15):
        services.person_create(
            None,
            cast.association,
            email=f"l{n}@test.ru",
            last_name=f"Фамилия{n}",
            first_name="Имя",
            roles=[Role.LIBRARIAN],
            school=cast.school_a,
        )
    client = login(cast.methodist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:person_list"))
    assert "20 человек" in response.content.decode()


def test_person_card_hides_history_from_other_members(cast, login):
    url = reverse("directory:person_detail", args=[cast.librarian_a.pk])
    assert "История изменений" in login(cast.methodist).get(url).content.decode()
    assert "История изменений" in login(cast.librarian_a).get(url).content.decode()
    other = login(cast.librarian_b).get(url)
    assert other.status_code == 200 and "История изменений" not in other.content.decode()


def test_outsider_gets_404_on_our_people(cast, login):
    url = reverse("directory:person_detail", args=[cast.librarian_a.pk])
    assert login(cast.outsider).get(url).status_code == 404


def _person_form(person, **changes):
    data = {
        "email": person.email,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "position": person.position,
        "school": person.school_id or "",
        "phone": person.phone,
        "roles": [Role.LIBRARIAN],
    }
    data.update(changes)
    return data


def test_methodist_edits_a_person_and_roles(cast, login):
    url = reverse("directory:person_edit", args=[cast.librarian_a.pk])
    response = login(cast.methodist).post(
        url, _person_form(cast.librarian_a, last_name="Смирнова", roles=[Role.LIBRARIAN, Role.HEAD])
    )
    assert response.status_code == 302
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.last_name == "Смирнова"
    assert cast.librarian_a.roles_in(cast.association.pk) == {Role.LIBRARIAN, Role.HEAD}
    changes = [e.changes for e in AuditEntry.objects.filter(object_id=str(cast.librarian_a.pk))]
    assert {"фамилия": ["Иванова", "Смирнова"]} in changes


def test_head_cannot_administer_people(cast, login):
    url = reverse("directory:person_edit", args=[cast.librarian_a.pk])
    client = login(cast.head)
    assert client.get(url).status_code == 403
    assert client.post(url, _person_form(cast.librarian_a, last_name="X")).status_code == 403
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.last_name == "Иванова"


def test_person_edit_refuses_taken_email_in_russian(cast, login):
    url = reverse("directory:person_edit", args=[cast.librarian_a.pk])
    response = login(cast.methodist).post(
        url, _person_form(cast.librarian_a, email="LIB.B@test.ru")
    )
    assert "уже зарегистрирован" in response.content.decode()


def test_librarian_without_school_is_refused(cast, login):
    url = reverse("directory:person_edit", args=[cast.librarian_a.pk])
    response = login(cast.methodist).post(url, _person_form(cast.librarian_a, school=""))
    assert "укажите школу" in response.content.decode()
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.school == cast.school_a


def test_failed_role_change_leaves_the_person_unchanged(cast, login):
    url = reverse("directory:person_edit", args=[cast.methodist.pk])
    response = login(cast.methodist).post(
        url, _person_form(cast.methodist, last_name="Другая", school="", roles=[Role.HEAD])
    )
    assert "Нельзя снять с себя роль методиста" in response.content.decode()
    cast.methodist.refresh_from_db()
    assert cast.methodist.last_name == "Леонтьева"


def test_deactivated_person_cannot_log_in(cast, login, client):
    url = reverse("directory:person_deactivate", args=[cast.librarian_a.pk])
    response = login(cast.methodist).post(url, {"reason": "уволилась"})
    assert response.status_code == 302
    cast.librarian_a.refresh_from_db()
    assert not cast.librarian_a.is_active
    assert AuditEntry.objects.filter(action="deactivated", comment="уволилась").exists()
    client.logout()
    response = client.post(
        reverse("login"), {"username": "lib.a@test.ru", "password": "correct-horse-42"}
    )
    assert response.status_code == 200
    assert "Учётная запись отключена" in response.content.decode()


def test_methodist_cannot_deactivate_herself(cast, login):
    url = reverse("directory:person_deactivate", args=[cast.methodist.pk])
    response = login(cast.methodist).post(url, follow=True)
    assert "Нельзя отключить собственную" in response.content.decode()
    cast.methodist.refresh_from_db()
    assert cast.methodist.is_active


def test_methodist_reactivates_a_person(cast, login):
    from bibliomo.directory import services

    services.person_deactivate(cast.methodist, cast.librarian_a)
    login(cast.methodist).post(reverse("directory:person_activate", args=[cast.librarian_a.pk]))
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.is_active


def test_librarian_cannot_deactivate_anyone(cast, login):
    url = reverse("directory:person_deactivate", args=[cast.librarian_b.pk])
    assert login(cast.librarian_a).post(url).status_code == 403
    cast.librarian_b.refresh_from_db()
    assert cast.librarian_b.is_active


def test_methodist_sends_a_password_reset_link(cast, login, django_capture_on_commit_callbacks):
    url = reverse("directory:person_send_reset", args=[cast.librarian_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.methodist).post(url, follow=True)
    assert "Ссылка для смены пароля отправлена" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lib.a@test.ru"]
    assert "/app/account/password/reset/" in mail.outbox[0].body


def test_deactivate_requires_post(cast, login):
    url = reverse("directory:person_deactivate", args=[cast.librarian_a.pk])
    assert login(cast.methodist).get(url).status_code == 405


# --- my profile ------------------------------------------------------------------------------


def test_person_edits_own_profile(cast, login):
    client = login(cast.librarian_a)
    response = client.post(
        reverse("directory:profile"),
        {
            "last_name": "Иванова",
            "first_name": "Анна",
            "patronymic": "Сергеевна",
            "position": "library_head",
            "phone": "+7 916 000-00-00",
        },
    )
    assert response.status_code == 302
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.phone == "+7 916 000-00-00"
    assert cast.librarian_a.position == "library_head"


def test_profile_cannot_change_school_or_email(cast, login):
    client = login(cast.librarian_a)
    client.post(
        reverse("directory:profile"),
        {
            "last_name": "Иванова",
            "first_name": "Анна",
            "position": "librarian",
            "email": "hacker@test.ru",
            "school": cast.school_b.pk,
        },
    )
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.email == "lib.a@test.ru"
    assert cast.librarian_a.school == cast.school_a


def test_profile_bad_input_answers_next_to_the_field(cast, login):
    response = login(cast.librarian_a).post(
        reverse("directory:profile"), {"last_name": "", "first_name": "Анна", "position": "x"}
    )
    body = response.content.decode()
    assert "Обязательное поле." in body
    assert "Выберите корректный вариант" in body


def test_outsider_profile_works_without_association(cast, login):
    assert login(cast.outsider).get(reverse("directory:profile")).status_code == 200
