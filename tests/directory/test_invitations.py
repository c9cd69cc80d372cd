import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory import services
from bibliomo.directory.models import Invitation, Person, Role

pytestmark = pytest.mark.django_db


def _invite_form(cast, **changes):
    data = {
        "email": "New.Librarian@test.ru",
        "last_name": "Новикова",
        "first_name": "Вера",
        "patronymic": "Юрьевна",
        "position": "librarian",
        "school": cast.school_a.pk,
        "roles": [Role.LIBRARIAN],
    }
    data.update(changes)
    return data


def _invite(cast):
    return services.invitation_create(
        cast.methodist,
        cast.association,
        email="a@test.ru",
        last_name="Новикова",
        first_name="Вера",
        school=cast.school_a,
        roles=[Role.LIBRARIAN],
    )


def _link_from_mail() -> str:
    return re.search(r"http://\S+/app/account/invite/(\S+)/", mail.outbox[-1].body).group(1)


def test_methodist_invites_and_the_person_joins(
    cast, login, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.methodist).post(
            reverse("directory:invitation_list"), _invite_form(cast)
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new.librarian@test.ru"]
    assert "Приглашение в Bibliomo" in mail.outbox[0].subject
    assert "Новикова" not in mail.outbox[0].subject
    token = _link_from_mail()

    client.logout()
    page = client.get(reverse("invitation_accept", args=[token]))
    assert "Новикова Вера Юрьевна" in page.content.decode()
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"password1": "Книги-и-чтение-2026", "password2": "Книги-и-чтение-2026"},
    )
    assert response.status_code == 302
    person = Person.objects.get(email="new.librarian@test.ru")
    assert person.school == cast.school_a
    assert person.roles_in(cast.association.pk) == {Role.LIBRARIAN}
    assert person.check_password("Книги-и-чтение-2026")


def test_reused_invitation_says_so(cast, client):
    _, token = _invite(cast)
    services.invitation_accept(token, "Книги-и-чтение-2026")
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "уже использовано" in response.content.decode()
    assert Person.objects.filter(email="a@test.ru").count() == 1


def test_expired_invitation_says_so(cast, client):
    invitation, token = _invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"password1": "Книги-и-чтение-2026", "password2": "Книги-и-чтение-2026"},
    )
    assert response.status_code == 410
    assert "Срок действия приглашения истёк" in response.content.decode()
    assert not Person.objects.filter(email="a@test.ru").exists()


def test_unknown_invitation_token_is_refused(db, client):
    response = client.get(reverse("invitation_accept", args=["nonsense"]))
    assert response.status_code == 410
    assert "недействительна" in response.content.decode()


def test_resent_invitation_kills_the_old_link(cast, client):
    invitation, old_token = _invite(cast)
    _, new_token = services.invitation_resend(cast.methodist, invitation)
    assert "отозвано" in client.get(reverse("invitation_accept", args=[old_token])).content.decode()
    assert client.get(reverse("invitation_accept", args=[new_token])).status_code == 200


def test_revoked_invitation_cannot_be_used(cast, login, client):
    invitation, token = _invite(cast)
    login(cast.methodist).post(reverse("directory:invitation_revoke", args=[invitation.pk]))
    client.logout()
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 410


def test_weak_or_mismatched_password_is_refused_in_russian(cast, client):
    _, token = _invite(cast)
    url = reverse("invitation_accept", args=[token])
    body = client.post(url, {"password1": "12345678", "password2": "12345678"}).content.decode()
    assert (
        "Введённый пароль слишком широко распространён" in body or "состоит только из цифр" in body
    )
    body = client.post(
        url, {"password1": "Книги-2026-а", "password2": "Книги-2026-б"}
    ).content.decode()
    assert "Пароли не совпадают." in body
    assert not Person.objects.filter(email="a@test.ru").exists()


def test_invitation_to_existing_email_is_refused(cast, login):
    response = login(cast.methodist).post(
        reverse("directory:invitation_list"), _invite_form(cast, email="LIB.A@test.ru")
    )
    assert "уже зарегистрирован" in response.content.decode()
    assert not Invitation.objects.exists()


def test_librarian_invitation_needs_a_school(cast, login):
    response = login(cast.methodist).post(
        reverse("directory:invitation_list"), _invite_form(cast, school="")
    )
    assert "укажите школу" in response.content.decode()


def test_invitation_to_other_association_school_is_refused(cast, login):
    response = login(cast.methodist).post(
        reverse("directory:invitation_list"), _invite_form(cast, school=cast.other_school.pk)
    )
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["head", "director", "librarian_a", "outsider"])
def test_only_the_methodist_invites(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("directory:invitation_list")).status_code == 403
    assert client.post(reverse("directory:invitation_list"), _invite_form(cast)).status_code == 403
    assert not Invitation.objects.exists()


def test_methodist_cannot_revoke_other_association_invitation(cast, login):
    from bibliomo.directory.models import Position

    chekhov_methodist = services.person_create(
        None,
        cast.other_association,
        email="m2@test.ru",
        last_name="М",
        first_name="М",
        position=Position.METHODIST,
        roles=[Role.METHODIST],
    )
    invitation, _ = services.invitation_create(
        chekhov_methodist,
        cast.other_association,
        email="z@test.ru",
        last_name="З",
        first_name="З",
        school=cast.other_school,
        roles=[Role.LIBRARIAN],
    )
    response = login(cast.methodist).post(
        reverse("directory:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
