"""Minutes of the association's meetings: kept with the meeting, printed in the usual form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Person
from bibliomo.events.models import AgendaItem, Event, Minutes, Registration
from bibliomo.lib import ru
from bibliomo.lib.minutes import AgendaItem as PrintedItem
from bibliomo.lib.minutes import Minutes as PrintedMinutes
from bibliomo.lib.names import organisation_genitive


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
    if not event.keeps_minutes:
        raise DomainError("Протокол ведётся только для заседаний ММО и творческих групп.")
    if not items:
        raise DomainError("Добавьте хотя бы один вопрос повестки.", field="items")
    minutes, _ = Minutes.objects.update_or_create(
        event=event,
        defaults={
            # Left blank, the number is the meeting's place in its academic year.
            "number": number.strip() or str(meeting_number(event)),
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


def work_year(event: Event, plan_years: set[int] | None = None) -> int:
    """The academic year whose work the meeting is part of: the year of the plan whose lines
    it carries out (the August meeting that plans the coming year opens that year), else the
    year its date falls in (from September). ``plan_years``: those years, if already read."""
    if plan_years is None:
        plan_years = set(event.activities.values_list("section__plan__academic_year", flat=True))
    if len(plan_years) == 1:
        return next(iter(plan_years))
    return ru.academic_year_start(timezone.localdate(event.starts_at))


def meeting_number(event: Event) -> int:
    """The meeting's number within its work year (``work_year``): the third meeting of a year
    is № 3, and the August meeting planning the year is its № 1.

    Cancelled meetings are not counted. A creative group's meetings are numbered within the
    group (two groups keep two numberings).
    """
    year = work_year(event)
    # a meeting of that year starts at the earliest in the spring before it
    since = timezone.make_aware(datetime(year, 3, 1))
    earlier = Event.objects.filter(
        association_id=event.association_id,
        kind=event.kind,
        starts_at__gte=since,
        starts_at__lte=event.starts_at,
    ).exclude(status=Event.Status.CANCELLED)
    if event.kind == Event.Kind.GROUP_MEETING:
        earlier = earlier.filter(working_groups__in=event.working_groups.all())
    others: dict[int, tuple[datetime, set[int]]] = {}
    for pk, starts_at, plan_year in earlier.exclude(pk=event.pk).values_list(
        "pk", "starts_at", "activities__section__plan__academic_year"
    ):
        years = others.setdefault(pk, (starts_at, set()))[1]
        if plan_year is not None:
            years.add(plan_year)
    return 1 + sum(
        work_year(Event(starts_at=starts_at), years) == year for starts_at, years in others.values()
    )


def _whose(event: Event, association) -> str:
    """Whose meeting the minutes record, in the genitive: the association's, or for a creative
    group's meeting the group's («творческой группы «Мы за них в ответе» Муниципального …»)."""
    genitive = organisation_genitive(association.name)
    if event.kind == Event.Kind.GROUP_MEETING:
        group = event.working_groups.first()  # the group that scheduled it (groups app)
        if group is not None:
            return f"творческой группы «{group.name}» {genitive}".strip()
    return genitive


def minutes_document(event: Event):
    """The minutes as the printable dataclass: attendance comes from the event itself."""
    minutes = event.minutes
    registrations = list(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    attended = Registration.Attendance.ATTENDED
    association = event.association
    municipality = association.municipality if association.municipality_id else None
    return PrintedMinutes(
        organisation=association.methodological_centre,
        association_name=association.name,
        association_genitive=_whose(event, association),
        city=ru.document_place(municipality.name) if municipality else "",
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
