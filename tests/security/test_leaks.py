"""What a person must not learn: an online link before she is registered, an English line
in a calendar, the login-only page as a public event's address."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from bibliomo.events import notifications, services
from bibliomo.events.models import Registration
from tests.factories import make_event

pytestmark = pytest.mark.django_db

LINK = "https://webinar.example.ru/room-42"


@pytest.fixture
def webinar(cast):
    return make_event(
        cast,
        format="online",
        building=None,
        room="",
        online_url=LINK,
        capacity=1,
        audience="public",
        title="Вебинар о фонде",
    )


def _feed(client, person, scope):
    token = services.participant_settings(person).calendar_token
    return client.get(reverse("personal_feed", args=[token, scope])).content.decode()


def test_one_rule_for_the_online_link(cast, webinar):
    services.registration_create(cast.librarian_a, webinar, cast.librarian_a)
    services.registration_create(cast.librarian_b, webinar, cast.librarian_b)  # waiting list
    assert webinar.online_url_for(cast.librarian_a) == LINK
    assert webinar.online_url_for(cast.methodist) == LINK  # runs the registrations
    assert webinar.online_url_for(cast.librarian_b) == ""
    assert webinar.online_url_for(cast.director) == ""
    assert webinar.online_url_for(None) == ""


def test_the_all_feed_shows_the_link_only_to_the_registered(cast, client, webinar):
    services.registration_create(cast.librarian_a, webinar, cast.librarian_a)
    assert LINK in _feed(client, cast.librarian_a, "all").replace("\r\n ", "")
    assert LINK not in _feed(client, cast.librarian_b, "all").replace("\r\n ", "")


def test_the_waiting_list_letter_has_no_link(cast, webinar, django_capture_on_commit_callbacks):
    services.registration_create(cast.librarian_a, webinar, cast.librarian_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(cast.librarian_b, webinar, cast.librarian_b)
    (letter,) = mail.outbox
    ics = letter.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "Лист ожидания" in letter.subject
    assert LINK not in letter.body and LINK not in ics.replace("\r\n ", "")
    registered = Registration.objects.get(event=webinar, person=cast.librarian_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deliver("reminder", registered.pk)
    assert LINK in mail.outbox[0].body


def test_the_page_shows_the_link_by_the_same_rule(cast, login, webinar):
    services.registration_create(cast.librarian_a, webinar, cast.librarian_a)
    assert LINK in login(cast.librarian_a).get(webinar.get_absolute_url()).content.decode()
    body = login(cast.librarian_b).get(webinar.get_absolute_url()).content.decode()
    assert LINK not in body and "ссылка видна записавшимся" in body


def test_public_calendar_links_to_the_public_page_and_speaks_no_english(cast, client, webinar):
    calendar = Calendar.from_ical(client.get(reverse("public_events_feed")).content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]) == settings.SITE_URL + reverse("public_event", args=[webinar.pk])
    assert client.get(reverse("public_event", args=[webinar.pk])).status_code == 200
    assert LINK not in calendar.to_ical().decode().replace("\r\n ", "")
    for component in calendar.walk():
        assert "COMMENT" not in component, component.name
