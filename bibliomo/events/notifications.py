"""E-mails about events. Services ask for them; once the transaction commits the letter is
rendered and queued the project's one way (`bibliomo/core/mail.py`); the worker sends it.

Each letter is in Russian; one about an event still ahead carries it as an .ics attachment,
so one click puts it
(or its change, or its cancellation) into the person's calendar.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bibliomo.core.mail import Attachment, letter_send
from bibliomo.directory.models import Person
from bibliomo.events.models import Event, Guest, ParticipantSettings, Registration
from bibliomo.lib import ru
from bibliomo.lib.ical import CalendarEvent, single_event_ics

# Every kind has its letter: emails/events/<kind>_subject.txt and emails/events/<kind>.txt.
KINDS = (
    "registered",
    "waitlisted",
    "promoted",
    "changed",
    "cancelled",
    "reminder",
    "feedback",
    "certificate",
)


_muted = threading.local()


@contextmanager
def muted():
    """No letters while building demo data: nobody should be e-mailed about the past."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def send(registration: Registration, kind: str) -> None:
    """Queue one letter once the surrounding transaction commits."""
    if getattr(_muted, "on", False):
        return
    registration_id = registration.pk
    transaction.on_commit(lambda: deliver(kind, registration_id))


def send_guest(guest: Guest, kind: str) -> None:
    """A guest's letter (registered, waitlisted, promoted) — one letter `events/guest` whose
    text follows the kind — once the surrounding transaction commits."""
    if getattr(_muted, "on", False):
        return
    guest_id = guest.pk
    transaction.on_commit(lambda: deliver_guest(kind, guest_id))


def deliver_guest(kind: str, guest_id: int) -> bool:
    guest = (
        Guest.objects.select_related("event__association", "event__building__school")
        .filter(pk=guest_id)
        .first()
    )
    if guest is None or guest.status == Registration.Status.CANCELLED:
        return False
    event = guest.event
    registered = guest.status == Registration.Status.REGISTERED
    context = {
        "event": event,
        "guest": guest,
        "kind": kind,
        "registered": registered,
        "online_url": event.online_url if registered else "",
        "event_url": settings.SITE_URL + reverse("public_event", args=[event.pk]),
        "guest_url": settings.SITE_URL + guest.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
    letter_send("events/guest", [guest.email], context)
    return True


def send_to_event(event: Event, kind: str) -> None:
    for registration in event.registrations.exclude(status=Registration.Status.CANCELLED):
        send(registration, kind)


def calendar_event(event: Event, person=None, *, public: bool = False):
    """The event for a calendar read by `person` (None: anyone). The online link goes only to
    whom `Event.online_url_for` gives it; a public calendar links to the public page."""
    place = event.place
    online_url = event.online_url_for(person)
    if online_url:
        place = f"{place}; {online_url}" if place else online_url
    page = reverse("public_event", args=[event.pk]) if public else event.get_absolute_url()
    return CalendarEvent(
        uid=f"event-{event.pk}@bibliomo",
        title=ru.capfirst(event.named),
        start=event.starts_at,
        end=event.ends_at,
        description=event.description,
        location=place,
        url=settings.SITE_URL + page,
        cancelled=event.status == Event.Status.CANCELLED,
        sequence=event.sequence,
        last_modified=event.updated_at,
    )


def deliver(kind: str, registration_id: int) -> bool:
    """Render one letter and queue it. Returns False when there is nothing to send."""
    registration = (
        Registration.objects.select_related(
            "event__association", "event__building__school", "person"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.person.is_active:
        return False
    event, person = registration.event, registration.person
    if kind == "reminder":
        prefs = ParticipantSettings.objects.filter(person=person).first()
        if prefs is not None and not prefs.reminders:
            return False
    context = {
        "event": event,
        "person": person,
        "registration": registration,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "online_url": event.online_url_for(person),
        "settings_url": settings.SITE_URL + reverse("events:my"),
        "site_url": settings.SITE_URL,
    }
    # A letter about an event still ahead carries it, so one click puts it into a calendar;
    # one about an event that is over (the certificate, the request for feedback) does not.
    attachments = (
        []
        if event.is_past
        else [
            Attachment(
                "bibliomo.events.notifications.event_ics",
                {"event_id": event.pk, "person_id": person.pk},
            )
        ]
    )
    letter_send(f"events/{kind}", [person.email], context, attachments=attachments)
    return True


def event_ics(event_id: int, person_id: int | None = None) -> tuple[str, bytes | str, str] | None:
    """The event.ics attachment, built when the letter is sent (the event as it is then, with
    the online link only if the person may have it then)."""
    event = (
        Event.objects.select_related("association", "building__school").filter(pk=event_id).first()
    )
    if event is None:
        return None
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    return (
        "event.ics",
        single_event_ics(calendar_event(event, person), event.association.short_name),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
