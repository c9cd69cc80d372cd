from decimal import Decimal

import pytest
from django.urls import reverse

from bibliomo.core import audit
from bibliomo.core.models import AuditEntry
from bibliomo.directory import services
from bibliomo.directory.models import Building, School

pytestmark = pytest.mark.django_db


# --- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["methodist", "head", "director", "librarian_a"])
def test_members_see_the_school_list(cast, login, who):
    response = login(getattr(cast, who)).get(reverse("directory:school_list"))
    assert response.status_code == 200
    assert "МБОУ «СОШ № 1»" in response.content.decode()
    assert "2 школы" in response.content.decode()
    assert "МБОУ «СОШ № 7 г. Чехова»" not in response.content.decode()


def test_outsider_does_not_see_our_school_list(cast, login):
    response = login(cast.outsider).get(reverse("directory:school_list"))
    assert "МБОУ «СОШ № 1»" not in response.content.decode()
    assert "МБОУ «СОШ № 7 г. Чехова»" in response.content.decode()


def test_anonymous_is_sent_to_login(cast, client):
    response = client.get(reverse("directory:school_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_person_without_association_is_refused(db, login, django_user_model):
    nobody = django_user_model.objects.create_user(
        "nobody@test.ru", "x", last_name="Никто", first_name="Нет"
    )
    assert login(nobody).get(reverse("directory:school_list")).status_code == 403


def test_school_list_search_finds_by_name(cast, login):
    response = login(cast.methodist).get(reverse("directory:school_list"), {"q": "гимназия"})
    body = response.content.decode()
    assert "МБОУ «Гимназия № 5»" in body and "МБОУ «СОШ № 1»" not in body


def test_school_list_query_count_does_not_grow_with_schools(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.methodist)
    for n in range(20):
        school = services.school_create(
            None,
            cast.association,
            short_name=f"Школа {n}",
            full_name=f"Школа {n}",
            address="",
            director="",
            email="",
            phone="",
            website="",
        )
        services.building_create(
            None,
            school,
            name="Корпус 1",
            address="ул. Школьная",
            latitude=None,
            longitude=None,
            is_main=True,
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:school_list"))
    assert "22 школы" in response.content.decode()


# --- card ------------------------------------------------------------------------------------


def test_school_card_shows_buildings_and_librarians(cast, login):
    response = login(cast.methodist).get(
        reverse("directory:school_detail", args=[cast.school_a.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Основное здание" in body and "Иванова Анна Сергеевна" in body
    assert "История изменений" in body


def test_a_long_change_shows_its_first_lines_and_folds_the_rest(cast, login):
    """A report upload changes hundreds of fund lines in one entry: the card stays readable."""
    changes = {f"Фонд: 1.1.1.{n} (2024)": [n, n + 1] for n in range(1, 13)}
    audit.record(cast.librarian_a, cast.school_a, AuditEntry.Action.UPDATED, changes)
    response = login(cast.methodist).get(
        reverse("directory:school_detail", args=[cast.school_a.pk])
    )
    body = response.content.decode()
    shown, folded = body.split('<details class="history__more">')
    assert "Фонд: 1.1.1.5 (2024): «5» → «6»" in shown
    assert "1.1.1.6 (2024)" not in shown
    assert "<summary>ещё 7 изменений</summary>" in folded
    assert "Фонд: 1.1.1.12 (2024): «12» → «13»" in folded


def test_librarian_sees_other_school_card_without_private_history(cast, login):
    response = login(cast.librarian_b).get(
        reverse("directory:school_detail", args=[cast.school_a.pk])
    )
    assert response.status_code == 200
    assert "История изменений" not in response.content.decode()
    assert "Изменить" not in response.content.decode()


def test_outsider_gets_404_on_our_school_card(cast, login):
    response = login(cast.outsider).get(reverse("directory:school_detail", args=[cast.school_a.pk]))
    assert response.status_code == 404


def test_school_card_query_count_is_bounded(cast, login, django_assert_max_num_queries):
    client = login(cast.methodist)
    with django_assert_max_num_queries(14):
        client.get(reverse("directory:school_detail", args=[cast.school_a.pk]))


# --- edit ------------------------------------------------------------------------------------


def _school_form(school, **changes):
    data = {
        "short_name": school.short_name,
        "full_name": school.full_name,
        "address": school.address,
        "director": school.director,
        "email": school.email,
        "phone": school.phone,
        "website": school.website,
    }
    data.update(changes)
    return data


def test_librarian_edits_her_own_school_and_the_change_is_recorded(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    response = login(cast.librarian_a).post(
        url, _school_form(cast.school_a, phone="+7 (4967) 11-22-33")
    )
    assert response.status_code == 302
    cast.school_a.refresh_from_db()
    assert cast.school_a.phone == "+7 (4967) 11-22-33"
    entry = AuditEntry.objects.filter(object_id=str(cast.school_a.pk), action="updated").first()
    assert entry.actor == cast.librarian_a
    assert entry.changes == {"телефон": ["", "+7 (4967) 11-22-33"]}


def test_librarian_cannot_edit_other_school(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    client = login(cast.librarian_b)
    assert client.get(url).status_code == 403
    assert client.post(url, _school_form(cast.school_a, phone="666")).status_code == 403
    cast.school_a.refresh_from_db()
    assert cast.school_a.phone == ""


def test_director_cannot_edit_schools(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    assert login(cast.director).get(url).status_code == 403


def test_school_edit_with_empty_name_answers_in_russian(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    response = login(cast.methodist).post(url, _school_form(cast.school_a, short_name=""))
    assert response.status_code == 200
    assert "Обязательное поле." in response.content.decode()


def test_school_short_name_must_be_unique_in_association(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    response = login(cast.head).post(
        url, _school_form(cast.school_a, short_name="мбоу «гимназия № 5»")
    )
    assert "уже есть в объединении" in response.content.decode()


def test_methodist_and_head_add_schools(cast, login):
    for person, name in ((cast.methodist, "МБОУ «СОШ № 20»"), (cast.head, "МБОУ «СОШ № 21»")):
        response = login(person).post(
            reverse("directory:school_create"),
            {"short_name": name, "full_name": f"Школа {name}", "address": "г. Серпухов"},
        )
        assert response.status_code == 302
        assert School.objects.filter(association=cast.association, short_name=name).exists()


def test_librarian_cannot_add_schools(cast, login):
    response = login(cast.librarian_a).post(
        reverse("directory:school_create"), {"short_name": "X", "full_name": "X"}
    )
    assert response.status_code == 403
    assert not School.objects.filter(short_name="X").exists()


# --- buildings -------------------------------------------------------------------------------


def test_librarian_adds_a_building_to_her_school(cast, login):
    response = login(cast.librarian_a).post(
        reverse("directory:building_create", args=[cast.school_a.pk]),
        {
            "name": "Корпус 2",
            "address": "ул. Ворошилова, д. 5",
            "latitude": "54,91",
            "longitude": "37,42",
        },
    )
    assert response.status_code == 302
    building = cast.school_a.buildings.get(name="Корпус 2")
    assert building.latitude == Decimal("54.91") and not building.is_main


def test_building_needs_both_coordinates_or_none(cast, login):
    response = login(cast.methodist).post(
        reverse("directory:building_create", args=[cast.school_a.pk]),
        {"name": "Корпус 2", "address": "ул. Ворошилова, д. 5", "latitude": "54.91"},
    )
    assert "обе координаты" in response.content.decode()
    assert cast.school_a.buildings.count() == 1


def test_building_latitude_out_of_range_is_refused(cast, login):
    response = login(cast.methodist).post(
        reverse("directory:building_create", args=[cast.school_a.pk]),
        {"name": "Корпус 2", "address": "ул. Ворошилова", "latitude": "154", "longitude": "37"},
    )
    assert response.status_code == 200
    assert "90" in response.content.decode()


def test_librarian_cannot_touch_other_school_buildings(cast, login):
    building = cast.school_a.buildings.get()
    client = login(cast.librarian_b)
    assert client.get(reverse("directory:building_edit", args=[building.pk])).status_code == 403
    assert client.post(reverse("directory:building_delete", args=[building.pk])).status_code == 403
    assert Building.objects.filter(pk=building.pk).exists()


def test_last_building_cannot_be_deleted(cast, login):
    building = cast.school_a.buildings.get()
    response = login(cast.methodist).post(
        reverse("directory:building_delete", args=[building.pk]), follow=True
    )
    assert "хотя бы одно здание" in response.content.decode()
    assert Building.objects.filter(pk=building.pk).exists()


def test_making_a_building_main_unmarks_the_previous_one(cast):
    first = cast.school_a.buildings.get()
    second = services.building_create(
        None,
        cast.school_a,
        name="Корпус 2",
        address="ул. Ленина",
        latitude=None,
        longitude=None,
        is_main=True,
    )
    first.refresh_from_db()
    assert second.is_main and not first.is_main


def test_librarian_corrects_the_directors_genitive_for_the_acts(cast, login):
    url = reverse("directory:school_edit", args=[cast.school_a.pk])
    client = login(cast.librarian_a)
    assert "Директор в родительном падеже" in client.get(url).content.decode()
    response = client.post(
        url, _school_form(cast.school_a, director_genitive="Петрова Андрея Андреевича")
    )
    assert response.status_code == 302
    cast.school_a.refresh_from_db()
    assert cast.school_a.director_genitive == "Петрова Андрея Андреевича"
