"""Reads of events: lists, the calendar month, a person's participation, visibility."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from bibliomo.events.models import Certificate, Event, Material, Registration
from bibliomo.lib.signin_sheet import SignInSheet


def events_for_list(
    association,
    *,
    kind: str = "",
    fmt: str = "",
    month: date | None = None,
    person=None,
    organiser=None,
    include_drafts: bool = False,
    drafts_of=None,
) -> QuerySet[Event]:
    """`person`: the events this person is registered for; `organiser`: those this person
    organises; `include_drafts`: every draft too; `drafts_of`: the drafts this person
    organises."""
    events = (
        Event.objects.filter(association=association)
        .select_related("building__school")
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            )
        )
    )
    if drafts_of is not None and not include_drafts:
        organised = Event.objects.filter(organisers=drafts_of).values("pk")
        events = events.filter(~Q(status=Event.Status.DRAFT) | Q(pk__in=organised))
    elif not include_drafts:
        events = events.exclude(status=Event.Status.DRAFT)
    if kind:
        events = events.filter(kind=kind)
    if fmt:
        events = events.filter(format=fmt)
    if month is not None:
        start, end = month_bounds(month)
        events = events.filter(starts_at__lt=end, ends_at__gte=start)
    if organiser is not None:
        events = events.filter(pk__in=Event.objects.filter(organisers=organiser).values("pk"))
    if person is not None:
        events = events.filter(
            registrations__person=person,
        ).exclude(registrations__person=person, registrations__status=Registration.Status.CANCELLED)
    return events.order_by("starts_at")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(month.replace(day=1), time.min, tz)
    last = calendar.monthrange(month.year, month.month)[1]
    end = datetime.combine(month.replace(day=last), time.min, tz) + timedelta(days=1)
    return start, end


@dataclass
class Day:
    day: date
    in_month: bool
    events: list[Event] = field(default_factory=list)


def calendar_weeks(month: date, events) -> list[list[Day]]:
    """Weeks Monday → Sunday covering the month, each day with the events on it."""
    first = month.replace(day=1)
    start = first - timedelta(days=first.weekday())
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    end = last + timedelta(days=6 - last.weekday())
    days = {}
    current = start
    while current <= end:
        days[current] = Day(current, current.month == first.month)
        current += timedelta(days=1)
    for event in events:
        day = timezone.localdate(event.starts_at)
        finish = timezone.localdate(event.ends_at)
        while day <= finish:
            if day in days:
                days[day].events.append(event)
            day += timedelta(days=1)
    ordered = list(days.values())
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


def public_events(association=None) -> QuerySet[Event]:
    events = Event.objects.filter(
        audience=Event.Audience.PUBLIC, status__in=[Event.Status.ANNOUNCED, Event.Status.HELD]
    ).select_related("building__school", "association")
    if association is not None:
        events = events.filter(association=association)
    return events


def event_for_card(pk: int) -> QuerySet[Event]:
    return (
        Event.objects.filter(pk=pk)
        .select_related("building__school", "audience_school", "association")
        .prefetch_related(
            "organisers", "programme__speaker", "activities__section__plan", "materials"
        )
    )


def visible_materials(event: Event, user, registration: Registration | None, can_manage: bool):
    materials = list(event.materials.all())
    if can_manage:
        return materials
    allowed = {Material.Visibility.PUBLIC}
    if user.is_authenticated and event.association_id in user.grants:
        allowed.add(Material.Visibility.MEMBERS)
    if registration is not None and registration.status == Registration.Status.REGISTERED:
        allowed.add(Material.Visibility.PARTICIPANTS)
    return [m for m in materials if m.visibility in allowed]


@dataclass
class Participation:
    registrations: list[Registration]
    attended_hours: Decimal
    attended_count: int


def clashes(event: Event, person) -> list[Event]:
    """Other events at the same time that the person is registered for or waiting for (not
    cancelled ones): someone cannot be in two places at once. One query."""
    if not person.is_authenticated:
        return []
    kept = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    return list(
        Event.objects.filter(
            registrations__person=person,
            registrations__status__in=kept,
            starts_at__lt=event.ends_at,
            ends_at__gt=event.starts_at,
        )
        .exclude(pk=event.pk)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at")
    )


def participation_of(person) -> Participation:
    """Every event of a person, newest first; the hours of those she attended."""
    registrations = list(
        Registration.objects.filter(person=person)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event__building__school", "event__association")
        .prefetch_related(
            Prefetch(
                "event__certificates",
                queryset=Certificate.objects.filter(person=person),
                to_attr="my_certificates",
            ),
        )
        .order_by("-event__starts_at")
    )
    attended = [r for r in registrations if r.attendance == Registration.Attendance.ATTENDED]
    return Participation(
        registrations=registrations,
        attended_hours=sum((r.event.hours for r in attended), Decimal(0)),
        attended_count=len(attended),
    )


def signin_sheet(event: Event) -> SignInSheet:
    """The sign-in sheet of an event: the registered participants by surname, then guests."""
    rows = [
        (
            r.person.full_name,
            r.person.school.short_name if r.person.school else "",
            r.person.get_position_display(),
        )
        for r in Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .select_related("person__school")
        .order_by("person__last_name", "person__first_name")
    ]
    # Guests of an open event sign the same sheet, after the members.
    rows += [
        (guest.full_name, guest.organisation, "гость")
        for guest in event.guests.filter(status=Registration.Status.REGISTERED).order_by(
            "full_name"
        )
    ]
    return SignInSheet(
        association_name=event.association.name,
        event_title=event.title,
        event_kind=event.get_kind_display(),
        date_text=event.when,
        place=event.place,
        rows=rows,
    )
