"""Guests at open events (issue 18): registering without an account under the same capacity
and waitlist as members, the letter with its link, cancelling, the organiser's list and the
Excel export, and the guest's data under the privacy rules."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.events import services
from bibliomo.events.models import Event, Guest, Registration
from bibliomo.privacy import services as privacy
from tests.conftest import consented
from tests.factories import make_event

pytestmark = pytest.mark.django_db

REGISTERED, WAITLISTED = Registration.Status.REGISTERED, Registration.Status.WAITLISTED


def _guest(event, name="Смирнова Анна Петровна", email="anna@example.ru", **fields) -> Guest:
    data = {"full_name": name, "email": email, "organisation": "Лицей № 2, г. Пущино"}
    return services.guest_register(event, **{**data, "consent": True, **fields})


@pytest.fixture
def open_event(cast):
    return make_event(cast, capacity=2, audience="public")


def test_guests_and_members_share_the_places_and_the_waitlist(cast, open_event):
    services.registration_create(cast.librarian_a, open_event, cast.librarian_a)
    first = _guest(open_event)
    assert first.status == REGISTERED
    second = _guest(open_event, "Орлов Пётр Ильич", "petr@example.ru")
    member = services.registration_create(cast.librarian_b, open_event, cast.librarian_b)
    assert (second.status, member.status) == (WAITLISTED, WAITLISTED)
    services.guest_cancel(first)  # the first in the queue — the guest — gets the place
    second.refresh_from_db()
    member.refresh_from_db()
    assert (second.status, member.status) == (REGISTERED, WAITLISTED)
    services.registration_cancel(
        cast.librarian_a, Registration.objects.get(person=cast.librarian_a)
    )
    member.refresh_from_db()
    assert member.status == REGISTERED


def test_a_guest_gets_a_letter_with_the_link_to_cancel(
    cast, open_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest = _guest(open_event)
    letter = mail.outbox[-1]
    assert letter.to == ["anna@example.ru"]
    assert letter.subject == f"Вы записаны: {open_event.title}"
    assert guest.get_absolute_url() in letter.body
    assert "Здравствуйте, Смирнова Анна Петровна!" in letter.body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": False}, "Без согласия на обработку персональных данных записать нельзя."),
        ({"name": "Анна"}, "Укажите фамилию, имя и отчество."),
        ({"organisation": "  "}, "Укажите организацию."),
    ],
)
def test_a_guest_needs_consent_a_full_name_and_an_organisation(open_event, fields, message):
    with pytest.raises(DomainError) as error:
        _guest(open_event, **fields)
    assert error.value.message == message
    assert not Guest.objects.exists()


def test_guests_only_at_open_events_and_only_once(cast, open_event):
    members_only = make_event(cast, capacity=5)
    with pytest.raises(DomainError, match="только на открытые"):
        _guest(members_only)
    _guest(open_event)
    with pytest.raises(DomainError, match="уже есть запись"):
        _guest(open_event, email="ANNA@example.ru")


def test_the_public_form_registers_and_shows_the_guest_page(client, open_event):
    url = reverse("guest_register", args=[open_event.pk])
    assert (
        "Записаться как гость"
        in client.get(reverse("public_event", args=[open_event.pk])).content.decode()
    )
    bad = client.post(url, {"full_name": "Смирнова Анна Петровна", "email": "anna@example.ru"})
    assert bad.status_code == 200
    assert "Без согласия на обработку персональных данных записать нельзя." in bad.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Смирнова Анна Петровна",
            "email": "anna@example.ru",
            "organisation": "Лицей № 2",
            "consent": "on",
        },
    )
    guest = Guest.objects.get()
    assert response.status_code == 302 and response["Location"] == guest.get_absolute_url()
    page = client.get(guest.get_absolute_url()).content.decode()
    assert "Что мы храним о вас" in page and "anna@example.ru" in page
    client.post(guest.get_absolute_url(), {"action": "cancel"})
    guest.refresh_from_db()
    assert guest.status == Registration.Status.CANCELLED


def test_an_unknown_link_is_404(client):
    assert client.get(reverse("guest", args=["no-such-guest"])).status_code == 404


def test_a_guest_deletes_her_data_and_her_place_goes_on(cast, client, open_event):
    guest = _guest(open_event)
    services.registration_create(cast.librarian_a, open_event, cast.librarian_a)
    waiting = services.registration_create(cast.librarian_b, open_event, cast.librarian_b)
    assert waiting.status == WAITLISTED
    response = client.post(guest.get_absolute_url(), {"action": "forget"})
    assert response.status_code == 302
    assert not Guest.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == REGISTERED


def test_prune_deletes_guests_a_year_after_the_event(cast, open_event, settings):
    _guest(open_event)
    Event.objects.filter(pk=open_event.pk).update(
        starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=400)
    )
    recent = make_event(cast, audience="public")
    _guest(recent, email="recent@example.ru")
    result = privacy.personal_data_prune()
    assert result.guests == 1
    assert list(Guest.objects.values_list("email", flat=True)) == ["recent@example.ru"]


def test_the_organiser_sees_guests_beside_members_and_exports_them(cast, client, open_event):
    services.registration_create(cast.librarian_a, open_event, cast.librarian_a)
    _guest(open_event, name="=Злой Гость Формулович", email="evil@example.ru")
    client.force_login(consented(cast.methodist))
    page = client.get(reverse("events:registrations", args=[open_event.pk])).content.decode()
    assert "Гости" in page and "=Злой Гость Формулович" in page
    assert "Записаны: 2 из 2 (из них гостей: 1)" in page
    response = client.get(reverse("events:participants_xlsx", args=[open_event.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[1:4] for row in rows] == [
        [cast.librarian_a.full_name, "член ММО", cast.school_a.short_name],
        ["=Злой Гость Формулович", "гость", "Лицей № 2, г. Пущино"],
    ]
    assert sheet.cell(5, 2).data_type == "s"  # text stays text, never a formula


def test_a_librarian_of_another_association_cannot_export(cast, client, open_event):
    client.force_login(consented(cast.outsider))
    response = client.get(reverse("events:participants_xlsx", args=[open_event.pk]))
    assert response.status_code in (403, 404)


def test_guests_sign_the_same_sheet_after_the_members(cast, open_event):
    from bibliomo.events import selectors

    services.registration_create(cast.librarian_a, open_event, cast.librarian_a)
    _guest(open_event)
    rows = selectors.signin_sheet(open_event).rows
    assert [row[0] for row in rows] == [cast.librarian_a.full_name, "Смирнова Анна Петровна"]
    assert rows[1][1:] == ("Лицей № 2, г. Пущино", "гость")
