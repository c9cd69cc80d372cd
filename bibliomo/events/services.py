"""Every write about events: the event itself, registrations, attendance, materials,
feedback, certificates and minutes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.events import notifications
from bibliomo.events.models import (
    FEEDBACK_QUESTIONS,
    Event,
    Feedback,
    Guest,
    Material,
    ParticipantSettings,
    ProgrammeItem,
    Registration,
)
from bibliomo.lib.filetypes import FileKind, FileRejected, check_upload

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "format",
    "building",
    "room",
    "address",
    "online_url",
    "audience",
    "audience_school",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "hours",
)
# A change to any of these makes calendars and participants hear about it.
NOTIFIED_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "format",
    "building",
    "room",
    "address",
    "online_url",
)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_times(event: Event) -> None:
    if event.ends_at < event.starts_at:
        raise DomainError("Окончание не может быть раньше начала.", field="ends_at")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes < opens:
        raise DomainError(
            "Запись не может закрыться раньше, чем откроется.", field="registration_closes_at"
        )
    if closes and closes > event.ends_at:
        raise DomainError(
            "Запись должна закрыться не позже окончания мероприятия.",
            field="registration_closes_at",
        )
    if event.format != Event.Format.IN_PERSON and not event.online_url:
        raise DomainError(
            "Для онлайн-мероприятия укажите ссылку для подключения.", field="online_url"
        )
    if event.format != Event.Format.ONLINE and not (event.building_id or event.address):
        raise DomainError("Укажите место: здание школы или адрес.", field="building")
    if event.audience == Event.Audience.SCHOOL_STAFF and not event.audience_school_id:
        raise DomainError(
            "Укажите школу, для сотрудников которой мероприятие.", field="audience_school"
        )
    if event.building is not None and event.building.school.association_id != event.association_id:
        raise DomainError("Это здание не принадлежит школе объединения.", field="building")


# --- The event -------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    actor: Person | None,
    association: Association,
    *,
    organisers: Iterable[Person] = (),
    activities: Iterable = (),
    **fields: Any,
) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    event = Event(association=association, **fields)
    _check_times(event)
    event.save()
    event.organisers.set(organisers)
    event.activities.set(activities)
    audit.record(actor, event, AuditEntry.Action.CREATED)
    return event


@transaction.atomic
def event_update(
    actor: Person,
    event: Event,
    *,
    organisers: Iterable[Person] | None = None,
    activities: Iterable | None = None,
    **fields: Any,
) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise DomainError("Мероприятие отменено: его нельзя изменить.")
    before = audit.snapshot(event, fields)
    for name, value in fields.items():
        setattr(event, name, value)
    _check_times(event)
    changes = audit.diff(event, before)
    noticeable = any(audit.field_label(Event, name) in changes for name in NOTIFIED_FIELDS)
    if noticeable:
        event.sequence += 1
    event.save()
    if organisers is not None:
        event.organisers.set(organisers)
    if activities is not None:
        event.activities.set(activities)
    if changes:
        audit.record(actor, event, AuditEntry.Action.UPDATED, changes)
    if noticeable and event.status == Event.Status.ANNOUNCED:
        notifications.send_to_event(event, "changed")
    return event


@transaction.atomic
def event_announce(actor: Person, event: Event) -> Event:
    event = _lock(event)
    if event.status != Event.Status.DRAFT:
        raise DomainError("Объявить можно только черновик.")
    event.status = Event.Status.ANNOUNCED
    event.save(update_fields=["status", "updated_at"])
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment="Объявлено")
    return event


@transaction.atomic
def event_cancel(actor: Person, event: Event, reason: str) -> Event:
    event = _lock(event)
    reason = reason.strip()
    if not reason:
        raise DomainError("Укажите причину отмены: её увидят записавшиеся.", field="reason")
    if event.status in (Event.Status.CANCELLED, Event.Status.HELD):
        raise DomainError("Это мероприятие уже отменено или проведено.")
    was_announced = event.status == Event.Status.ANNOUNCED
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment=f"Отменено: {reason[:250]}")
    if was_announced:
        notifications.send_to_event(event, "cancelled")
    return event


@transaction.atomic
def event_mark_held(actor: Person, event: Event) -> Event:
    event = _lock(event)
    if event.status != Event.Status.ANNOUNCED:
        raise DomainError("Отметить проведённым можно только объявленное мероприятие.")
    if event.starts_at > timezone.now():
        raise DomainError("Мероприятие ещё не началось.")
    event.status = Event.Status.HELD
    event.save(update_fields=["status", "updated_at"])
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment="Проведено")
    return event


@transaction.atomic
def programme_set(actor: Person, event: Event, items: Sequence[dict[str, Any]]) -> None:
    """Replace the programme with `items` (topic, starts_at, speaker, speaker_name…), in order."""
    event = _lock(event)
    for number, item in enumerate(items, start=1):
        if not item.get("topic", "").strip():
            raise DomainError(f"Пункт {number}: укажите тему.", field="programme")
        speaker = item.get("speaker")
        if speaker is not None and event.association_id not in speaker.grants:
            raise DomainError(
                f"Пункт {number}: выступающий не состоит в объединении.", field="programme"
            )
    event.programme.all().delete()
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=event,
            position=number,
            topic=item["topic"].strip(),
            starts_at=item.get("starts_at"),
            speaker=item.get("speaker"),
            speaker_name=item.get("speaker_name", "").strip(),
            speaker_details=item.get("speaker_details", "").strip(),
        )
        for number, item in enumerate(items, start=1)
    )
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment="Изменена программа")


# --- Registration ----------------------------------------------------------------------------


def _may_attend(event: Event, person: Person) -> None:
    if event.association_id not in person.grants and event.audience != Event.Audience.PUBLIC:
        raise DomainError("Мероприятие только для членов объединения.")
    if (
        event.audience == Event.Audience.SCHOOL_STAFF
        and person.school_id != event.audience_school_id
    ):
        school = event.audience_school
        assert school is not None  # event_create and event_update require it for this audience
        raise DomainError(f"Мероприятие только для сотрудников {school.short_name}.")


@transaction.atomic
def registration_create(actor: Person, event: Event, person: Person) -> Registration:
    """Register `person`; when the event is full, she joins the waitlist."""
    event = _lock(event)
    managing = actor.pk != person.pk
    is_open, why = event.registration_state()
    if not is_open:
        # The methodist may still add someone after the deadline, never to a past or
        # cancelled event.
        late_but_allowed = managing and event.status == Event.Status.ANNOUNCED and not event.is_past
        if not late_but_allowed:
            raise DomainError(why)
    _may_attend(event, person)
    registration = Registration.objects.filter(event=event, person=person).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        who = "Вы уже записаны" if not managing else f"{person.short_name} уже в списке"
        state = registration.get_status_display()
        raise DomainError(f"{who} ({state}).")
    full = _is_full(event)
    status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
    now = timezone.now()
    if registration is None:
        registration = Registration(event=event, person=person)
    registration.status = status
    registration.registered_by = actor
    registration.queued_at = now
    registration.cancelled_at = None
    registration.save()
    audit.record(
        actor,
        event,
        AuditEntry.Action.UPDATED,
        comment=f"{person.short_name}: {registration.get_status_display()}",
    )
    notifications.send(registration, "registered" if not full else "waitlisted")
    return registration


@transaction.atomic
def registration_cancel(actor: Person, registration: Registration) -> Registration:
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise DomainError("Запись уже отменена.")
    if event.is_past:
        raise DomainError("Мероприятие уже прошло: запись не отменить.")
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit.record(
        actor,
        event,
        AuditEntry.Action.UPDATED,
        comment=f"{registration.person.short_name}: запись отменена",
    )
    if was_registered:
        _promote_waitlist(event)
    return registration


def _taken(event: Event) -> int:
    """Places taken: members' registrations and guests' alike."""
    registered = Registration.Status.REGISTERED
    return (
        event.registrations.filter(status=registered).count()
        + event.guests.filter(status=registered).count()
    )


def _is_full(event: Event) -> bool:
    return event.capacity is not None and _taken(event) >= event.capacity


def _promote_waitlist(event: Event) -> None:
    """Fill freed places from the waitlist — members and guests in one queue, in the order
    they joined it."""
    free = None if event.capacity is None else max(event.capacity - _taken(event), 0)
    waiting = Registration.Status.WAITLISTED
    entries: list[Registration | Guest] = [
        *event.registrations.filter(status=waiting),
        *event.guests.filter(status=waiting),
    ]
    queue = sorted(
        entries,
        key=lambda entry: (entry.queued_at, isinstance(entry, Guest), entry.pk),
    )
    for entry in queue if free is None else queue[:free]:
        entry.status = Registration.Status.REGISTERED
        entry.save(update_fields=["status"])
        name = f"гость № {entry.pk}" if isinstance(entry, Guest) else entry.person.short_name
        audit.record(None, event, AuditEntry.Action.UPDATED, comment=f"{name}: из листа ожидания")
        if isinstance(entry, Guest):
            notifications.send_guest(entry, "promoted")
        else:
            notifications.send(entry, "promoted")


# --- Guests at open events -------------------------------------------------------------------


@transaction.atomic
def guest_register(
    event: Event, *, full_name: str, email: str, organisation: str, consent: bool
) -> Guest:
    """A guest (no account) registers for an open event: the same capacity and waitlist as
    members; a letter confirms it with a link to cancel."""
    event = _lock(event)
    if event.audience != Event.Audience.PUBLIC:
        raise DomainError("Гости записываются только на открытые мероприятия.")
    is_open, why = event.registration_state()
    if not is_open:
        raise DomainError(why)
    if not consent:
        raise DomainError(
            "Без согласия на обработку персональных данных записать нельзя.", field="consent"
        )
    full_name, organisation = " ".join(full_name.split()), " ".join(organisation.split())
    if len(full_name) < 5 or " " not in full_name:
        raise DomainError("Укажите фамилию, имя и отчество.", field="full_name")
    if not organisation:
        raise DomainError("Укажите организацию.", field="organisation")
    email = email.strip().lower()
    already = event.guests.filter(email=email).exclude(status=Registration.Status.CANCELLED)
    if already.exists():
        raise DomainError(
            "С этого адреса уже есть запись: ссылка для отмены — в письме.", field="email"
        )
    full = _is_full(event)
    now = timezone.now()
    guest = Guest.objects.create(
        event=event,
        full_name=full_name[:200],
        email=email,
        organisation=organisation[:300],
        consent_at=now,
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
        queued_at=now,
    )
    audit.record(
        None,
        event,
        AuditEntry.Action.UPDATED,
        comment=f"гость № {guest.pk}: {guest.get_status_display()}",
    )
    notifications.send_guest(guest, "waitlisted" if full else "registered")
    return guest


@transaction.atomic
def guest_cancel(guest: Guest) -> Guest:
    """The guest cancels by the link of her letter; her place goes to the waitlist."""
    event = _lock(guest.event)
    guest = Guest.objects.select_for_update().get(pk=guest.pk)
    if guest.status == Registration.Status.CANCELLED:
        raise DomainError("Запись уже отменена.")
    if event.is_past:
        raise DomainError("Мероприятие уже прошло: запись не отменить.")
    was_registered = guest.status == Registration.Status.REGISTERED
    guest.status = Registration.Status.CANCELLED
    guest.cancelled_at = timezone.now()
    guest.save(update_fields=["status", "cancelled_at"])
    audit.record(
        None, event, AuditEntry.Action.UPDATED, comment=f"гость № {guest.pk}: запись отменена"
    )
    if was_registered:
        _promote_waitlist(event)
    return guest


# --- Attendance ------------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(actor: Person, event: Event, marks: dict[int, str]) -> int:
    """Set attendance for registrations of the event: {registration id: attendance}."""
    event = _lock(event)
    if event.starts_at > timezone.now():
        raise DomainError("Посещение отмечают после начала мероприятия.")
    valid = set(Registration.Attendance.values)
    if not set(marks.values()) <= valid:
        raise DomainError("Неизвестная отметка посещения.")
    registrations = {
        r.pk: r for r in event.registrations.filter(pk__in=marks).select_related("person")
    }
    if set(marks) - set(registrations):
        raise DomainError("В списке есть записи не с этого мероприятия.")
    changed = 0
    for pk, value in marks.items():
        registration = registrations[pk]
        if registration.attendance != value:
            registration.attendance = value
            registration.save(update_fields=["attendance"])
            changed += 1
    if changed:
        audit.record(
            actor, event, AuditEntry.Action.UPDATED, comment=f"Отмечено посещение: {changed}"
        )
    return changed


@transaction.atomic
def attendance_import(actor: Person, event: Event, people: Iterable[Person]) -> int:
    """Mark these people attended; those who did not register (a webinar link was shared)
    get a registration made for them. One read, one update and one insert, however long the
    list."""
    event = _lock(event)
    if event.starts_at > timezone.now():
        raise DomainError("Посещение отмечают после начала мероприятия.")
    present = list({person.pk: person for person in people}.values())
    attended = Registration.Attendance.ATTENDED
    known = list(event.registrations.filter(person__in=present))
    for registration in known:
        if registration.status == Registration.Status.CANCELLED:
            registration.status = Registration.Status.REGISTERED
        registration.attendance = attended
    Registration.objects.bulk_update(known, ["status", "attendance"])
    registered = {registration.person_id for registration in known}
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person=person,
            status=Registration.Status.REGISTERED,
            registered_by=actor,
            attendance=attended,
        )
        for person in present
        if person.pk not in registered
    )
    count = len(present)
    audit.record(
        actor,
        event,
        AuditEntry.Action.UPDATED,
        comment=f"Загружен список присутствовавших: {count}",
    )
    return count


# --- Materials and feedback ------------------------------------------------------------------


@transaction.atomic
def material_add(
    actor: Person, event: Event, *, title: str, file=None, link: str = "", visibility: str
) -> Material:
    if not file and not link:
        raise DomainError("Приложите файл или укажите ссылку.")
    material = Material(
        event=event,
        title=title.strip(),
        link=link.strip(),
        visibility=visibility,
        uploaded_by=actor,
    )
    if file:
        kind = _material_kind(file)
        name = Path(file.name).name
        if kind.renamed:
            # «приказ.pdf» that is really a Word document downloads as «приказ.docx»
            name = f"{Path(name).stem}.{kind.extension}"
        material.original_name = name[:255]
        material.size = file.size
        material.file.save(_storage_name(name), file, save=False)
    material.full_clean()
    material.save()
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment=f"Добавлен материал «{title}»")
    return material


MATERIAL_KINDS = {
    "pdf",
    "docx",
    "doc",
    "rtf",
    "xlsx",
    "xls",
    "odt",
    "ods",
    "odp",
    "pptx",
    "ppt",
    "txt",
    "png",
    "jpeg",
}


def _material_kind(file) -> FileKind:
    """What the file really is, by its content, as the document library decides it: HTML
    saved as .pdf, SVG as .png or a document with macros is refused whatever its name."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        return check_upload(
            data,
            file.name,
            allowed=MATERIAL_KINDS,
            max_bytes=uploads.limit_bytes("material"),
            archive_limits=uploads.archive_limits(),
        )
    except FileRejected as error:
        raise DomainError(error.message, field="file") from None


def _storage_name(name: str) -> str:
    """A random name on disk: the person's file name is kept only as data, never as a path."""
    suffix = Path(name).suffix.lower()
    return f"{secrets.token_hex(16)}{suffix if suffix.isascii() else ''}"


@transaction.atomic
def material_delete(actor: Person, material: Material) -> None:
    title, event = material.title, material.event
    if material.file:
        material.file.delete(save=False)
    material.delete()
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment=f"Удалён материал «{title}»")


@transaction.atomic
def feedback_submit(
    person: Person, event: Event, ratings: dict[str, int], comment: str
) -> Feedback:
    registration = Registration.objects.filter(event=event, person=person).first()
    if registration is None or registration.attendance != Registration.Attendance.ATTENDED:
        raise DomainError("Оставить отзыв могут только участники, отмеченные как присутствовавшие.")
    expected = {key for key, _ in FEEDBACK_QUESTIONS}
    if set(ratings) != expected or not all(1 <= value <= 5 for value in ratings.values()):
        raise DomainError("Оцените каждый вопрос от 1 до 5.")
    feedback, _ = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"ratings": ratings, "comment": comment.strip(), "submitted_at": timezone.now()},
    )
    return feedback


# --- A participant's settings ----------------------------------------------------------------


def participant_settings(person: Person) -> ParticipantSettings:
    prefs, _ = ParticipantSettings.objects.get_or_create(person=person)
    return prefs


@transaction.atomic
def participant_settings_update(person: Person, *, reminders: bool) -> ParticipantSettings:
    prefs = participant_settings(person)
    prefs.reminders = reminders
    prefs.save(update_fields=["reminders"])
    return prefs


@transaction.atomic
def calendar_token_reset(person: Person) -> ParticipantSettings:
    """A new secret for the calendar feeds: the old links stop working at once."""
    prefs = participant_settings(person)
    prefs.calendar_token = secrets.token_urlsafe(24)
    prefs.save(update_fields=["calendar_token"])
    return prefs


# --- Reminders and feedback requests ---------------------------------------------------------


@transaction.atomic
def reminders_queue(now=None) -> tuple[int, int]:
    """Queue tomorrow's reminders and the feedback requests of the past week.

    Run hourly (cron or a systemd timer: `bibliomo send_event_reminders`). Each registration
    is stamped when its letter is queued, so overlapping runs never send twice.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    reminders = list(
        Registration.objects.select_for_update(of=("self",)).filter(
            status=Registration.Status.REGISTERED,
            reminded_at=None,
            event__status=Event.Status.ANNOUNCED,
            event__starts_at__date=tomorrow,
        )
    )
    feedback = list(
        Registration.objects.select_for_update(of=("self",)).filter(
            attendance=Registration.Attendance.ATTENDED,
            feedback_requested_at=None,
            feedback=None,
            event__ends_at__lte=now,
            event__ends_at__gte=now - timedelta(days=7),
        )
    )
    Registration.objects.filter(pk__in=[r.pk for r in reminders]).update(reminded_at=now)
    Registration.objects.filter(pk__in=[r.pk for r in feedback]).update(feedback_requested_at=now)
    for registration in reminders:
        notifications.send(registration, "reminder")
    for registration in feedback:
        notifications.send(registration, "feedback")
    return len(reminders), len(feedback)
