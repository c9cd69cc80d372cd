"""E-mails about events. Services queue them on commit; the worker sends them.

Each letter is in Russian and carries the event as an .ics attachment, so one click puts it
(or its change, or its cancellation) into the person's calendar.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from bibliomo.events.models import Event, ParticipantSettings, Registration
from bibliomo.lib.ical import CalendarEvent, single_event_ics

SUBJECTS = {
    "registered": "Вы записаны: {title}",
    "waitlisted": "Лист ожидания: {title}",
    "promoted": "Освободилось место — вы записаны: {title}",
    "changed": "Изменения в мероприятии: {title}",
    "cancelled": "Мероприятие отменено: {title}",
    "reminder": "Завтра: {title}",
    "feedback": "Оцените мероприятие: {title}",
    "certificate": "Сертификат готов: {title}",
}


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
    from bibliomo.events.tasks import send_event_email

    if getattr(_muted, "on", False):
        return
    registration_id = registration.pk
    transaction.on_commit(lambda: send_event_email.enqueue(kind, registration_id))


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
        title=f"{event.get_kind_display().capitalize()}: {event.title}",
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
    """Send one letter now. Returns False when there is nothing to send."""
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
    message = EmailMessage(
        subject=SUBJECTS[kind].format(title=event.title)[:200],
        body=render_to_string(f"emails/events/{kind}.txt", context),
        to=[person.email],
    )
    # Every letter about an event carries it, so any of them can put it into a calendar.
    message.attach(
        "event.ics",
        single_event_ics(calendar_event(event, person), event.association.short_name),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    message.send()
    return True
