"""Minutes of the association's meetings: kept with the meeting, printed in the usual form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Person
from bibliomo.events.models import AgendaItem, Event, Minutes, Registration
from bibliomo.lib.minutes import AgendaItem as PrintedItem
from bibliomo.lib.minutes import Minutes as PrintedMinutes


@transaction.atomic
def minutes_save(
    actor: Person,
    event: Event,
    *,
    number: str,
    chair: str,
    secretary: str,
    invited: str,
    items: Sequence[dict[str, Any]],
) -> Minutes:
    if event.kind != Event.Kind.MEETING:
        raise DomainError("Протокол ведётся только для заседаний ММО.")
    if not items:
        raise DomainError("Добавьте хотя бы один вопрос повестки.", field="items")
    minutes, _ = Minutes.objects.update_or_create(
        event=event,
        defaults={
            "number": number.strip(),
            "chair": chair.strip(),
            "secretary": secretary.strip(),
            "invited": invited.strip(),
        },
    )
    minutes.items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            minutes=minutes,
            position=position,
            **{
                key: str(item.get(key, "")).strip()
                for key in ("title", "speaker", "heard", "spoke", "decided")
            },
        )
        for position, item in enumerate(items, start=1)
    )
    audit.record(actor, event, AuditEntry.Action.UPDATED, comment=f"Протокол № {minutes.number}")
    return minutes


def minutes_document(event: Event):
    """The minutes as the printable dataclass: attendance comes from the event itself."""
    minutes = event.minutes
    registrations = list(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    attended = Registration.Attendance.ATTENDED
    return PrintedMinutes(
        association_name=event.association.name,
        number=minutes.number,
        date=timezone.localdate(event.starts_at),
        place=event.place or "онлайн",
        chair=minutes.chair,
        secretary=minutes.secretary,
        present=[r.person.short_name for r in registrations if r.attendance == attended],
        absent=[
            r.person.short_name
            for r in registrations
            if r.attendance in (Registration.Attendance.ABSENT, Registration.Attendance.EXCUSED)
        ],
        invited=[line.strip() for line in minutes.invited.splitlines() if line.strip()],
        agenda=[
            PrintedItem(
                title=i.title, speaker=i.speaker, heard=i.heard, spoke=i.spoke, decided=i.decided
            )
            for i in minutes.items.all()
        ],
    )
