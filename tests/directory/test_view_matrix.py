"""The account-administration endpoints against the roles that must not use them."""

import pytest
from django.urls import reverse

from bibliomo.directory import services
from bibliomo.directory.models import Invitation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cast):
    invitation, _ = services.invitation_create(
        cast.methodist,
        cast.association,
        email="new@test.ru",
        last_name="Новая",
        first_name="Вера",
        school=cast.school_a,
        roles=[Role.LIBRARIAN],
    )
    return invitation


@pytest.mark.parametrize("who", ["head", "director", "librarian_a"])
def test_account_actions_are_the_methodists_alone(cast, login, invitation, who):
    client = login(getattr(cast, who))
    person = cast.librarian_b
    for name, args in (
        ("directory:person_activate", [person.pk]),
        ("directory:person_deactivate", [person.pk]),
        ("directory:person_send_reset", [person.pk]),
        ("directory:invitation_resend", [invitation.pk]),
        ("directory:invitation_revoke", [invitation.pk]),
    ):
        assert client.post(reverse(name, args=args)).status_code == 403, name
    person.refresh_from_db()
    invitation.refresh_from_db()
    assert person.is_active and invitation.revoked_at is None


def test_methodist_resends_an_invitation(cast, login, invitation):
    response = login(cast.methodist).post(
        reverse("directory:invitation_resend", args=[invitation.pk]), follow=True
    )
    assert "Новое приглашение отправлено на new@test.ru" in response.content.decode()
    assert Invitation.objects.filter(email="new@test.ru", revoked_at=None).count() == 1


def test_accepted_invitation_cannot_be_resent(cast, login, invitation):
    token_invitation, token = services.invitation_resend(cast.methodist, invitation)
    services.invitation_accept(token, "Книги-и-чтение-2026")
    response = login(cast.methodist).post(
        reverse("directory:invitation_resend", args=[token_invitation.pk]), follow=True
    )
    assert "Приглашение уже принято" in response.content.decode()


def test_reset_for_a_deactivated_person_is_refused(cast, login):
    services.person_deactivate(cast.methodist, cast.librarian_b)
    response = login(cast.methodist).post(
        reverse("directory:person_send_reset", args=[cast.librarian_b.pk]), follow=True
    )
    assert "сначала включите её" in response.content.decode()


def test_head_edits_a_building(cast, login):
    building = cast.school_b.buildings.get()
    response = login(cast.head).post(
        reverse("directory:building_edit", args=[building.pk]),
        {
            "name": "Главный корпус",
            "address": "ул. Советская, д. 1",
            "latitude": "54,9",
            "longitude": "37,4",
            "is_main": "on",
        },
    )
    assert response.status_code == 302
    building.refresh_from_db()
    assert building.name == "Главный корпус"


def test_school_create_with_bad_input(cast, login):
    response = login(cast.methodist).post(reverse("directory:school_create"), {"short_name": ""})
    body = response.content.decode()
    assert response.status_code == 200 and body.count("Обязательное поле.") == 2
