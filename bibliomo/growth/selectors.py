"""Reads of professional growth: a person's card, hours per librarian and school, the route
with its steps' state, the year's figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from bibliomo.directory.models import Association, Person, Role
from bibliomo.events.models import Certificate, Registration
from bibliomo.growth.models import GrowthCard, Learning, Route, RouteStep
from bibliomo.lib import ru

ENDING_SOON_DAYS = 30
ZERO = Decimal(0)


def _moments(academic_year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(academic_year, 9, 1, tzinfo=tz), datetime(academic_year + 1, 9, 1, tzinfo=tz)


def attended(person: Person, academic_year: int | None = None) -> list[Registration]:
    """Bibliomo events she attended (newest first), each with her certificates."""
    registrations = (
        Registration.objects.filter(person=person, attendance=Registration.Attendance.ATTENDED)
        .select_related("event")
        .order_by("-event__starts_at")
    )
    if academic_year is not None:
        start, end = _moments(academic_year)
        registrations = registrations.filter(event__starts_at__gte=start, event__starts_at__lt=end)
    rows = list(registrations)
    numbers: dict[int, list[str]] = {}
    for event_id, number in Certificate.objects.filter(
        person=person, event_id__in=[r.event_id for r in rows]
    ).values_list("event_id", "number"):
        numbers.setdefault(event_id, []).append(number)
    for row in rows:
        # For the card and the portfolio.
        row.certificate_numbers = numbers.get(row.event_id, [])  # type: ignore[attr-defined]
    return rows


@dataclass
class Hours:
    events: Decimal = ZERO
    courses: Decimal = ZERO
    other: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.events + self.courses + self.other


def _counted_learning(academic_year: int) -> QuerySet[Learning]:
    """Learning of the year whose hours count: confirmed courses, everything else recorded."""
    start, end = ru.academic_year_days(academic_year)
    return Learning.objects.filter(starts_on__gte=start, starts_on__lte=end).filter(
        ~Q(kind=Learning.Kind.COURSE) | Q(confirmed_at__isnull=False)
    )


def learning_by_kind(
    association: Association, academic_year: int
) -> list[tuple[str, int, Decimal]]:
    """(kind, records, hours) of the year's learning that counts, most records first; one query."""
    rows = (
        _counted_learning(academic_year)
        .filter(association=association)
        .values("kind")
        .annotate(records=Count("pk"), hours=Sum("hours"))
        .order_by("-records", "kind")
    )
    return [(row["kind"], row["records"], row["hours"] or ZERO) for row in rows]


def hours_by_person(association: Association, academic_year: int) -> dict[int, Hours]:
    """{person id: hours} for the year — three grouped queries, whatever the number of people."""
    result: dict[int, Hours] = {}
    start, end = _moments(academic_year)
    for person_id, hours in (
        Registration.objects.filter(
            event__association=association,
            attendance=Registration.Attendance.ATTENDED,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .values("person_id")
        .annotate(hours=Sum("event__hours"))
        .values_list("person_id", "hours")
    ):
        result.setdefault(person_id, Hours()).events = hours or ZERO
    learning = _counted_learning(academic_year).filter(association=association)
    for person_id, kind, hours in (
        learning.values("person_id", "kind")
        .annotate(hours=Sum("hours"))
        .values_list("person_id", "kind", "hours")
    ):
        row = result.setdefault(person_id, Hours())
        if kind == Learning.Kind.COURSE:
            row.courses += hours or ZERO
        else:
            row.other += hours or ZERO
    return result


def librarians(association: Association) -> QuerySet[Person]:
    return (
        Person.objects.filter(
            is_active=True,
            role_grants__association=association,
            role_grants__role=Role.LIBRARIAN,
        )
        .select_related("school")
        .distinct()
        .order_by("school__sort_name", "last_name", "first_name")
    )


@dataclass
class PersonRow:
    person: Person
    this_year: Hours
    last_year: Hours


@dataclass
class SchoolRow:
    school: str
    people: int = 0
    this_year: Decimal = ZERO
    last_year: Decimal = ZERO


@dataclass
class Overview:
    academic_year: int
    people: list[PersonRow] = field(default_factory=list)
    schools: list[SchoolRow] = field(default_factory=list)
    without: list[Person] = field(default_factory=list)
    ending_soon: list[Learning] = field(default_factory=list)
    to_confirm: list[Learning] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ru.format_academic_year(self.academic_year)

    @property
    def previous_label(self) -> str:
        return ru.format_academic_year(self.academic_year - 1)


def overview(association: Association, academic_year: int, today: date | None = None) -> Overview:
    """The methodist's view: hours per librarian and per school this year and last, who had
    no professional development this year, courses ending soon, courses to confirm."""
    today = today or timezone.localdate()
    this_year = hours_by_person(association, academic_year)
    last_year = hours_by_person(association, academic_year - 1)
    result = Overview(academic_year)
    schools: dict[str, SchoolRow] = {}
    for person in librarians(association):
        row = PersonRow(
            person, this_year.get(person.pk, Hours()), last_year.get(person.pk, Hours())
        )
        result.people.append(row)
        name = person.school.short_name if person.school is not None else "без школы"
        school = schools.setdefault(name, SchoolRow(name))
        school.people += 1
        school.this_year += row.this_year.total
        school.last_year += row.last_year.total
        if row.this_year.total == 0:
            result.without.append(person)
    result.schools = list(schools.values())
    courses = Learning.objects.filter(association=association, kind=Learning.Kind.COURSE)
    result.ending_soon = list(
        courses.filter(ends_on__gte=today, ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS))
        .select_related("person__school")
        .order_by("ends_on")
    )
    # Finished courses and those with their certificate already attached.
    result.to_confirm = list(
        courses.filter(confirmed_at__isnull=True, return_comment="")
        .filter(Q(ends_on__lt=today) | ~Q(certificate=""))
        .select_related("person__school")
        .order_by("created_at")
    )
    return result


def card_of(person: Person) -> GrowthCard:
    return GrowthCard.objects.filter(person=person).first() or GrowthCard(person=person)


def route_of(person: Person, academic_year: int) -> Route | None:
    return Route.objects.filter(person=person, academic_year=academic_year).first()


def route_steps(route: Route) -> list[RouteStep]:
    """The steps in date order; an event step is done once her attendance is marked."""
    came = Registration.objects.filter(
        event=OuterRef("event_id"),
        person_id=route.person_id,
        attendance=Registration.Attendance.ATTENDED,
    )
    steps: list[RouteStep] = list(
        route.steps.select_related("event").annotate(attended=Exists(came)).order_by("due_on", "pk")
    )
    for step in steps:
        attended = bool(step.attended)  # type: ignore[attr-defined]  # annotated above
        done = bool(step.done_on) or (step.kind == RouteStep.Kind.EVENT and attended)
        step.is_done = done  # type: ignore[attr-defined]  # for the route page and year_figures
    return steps


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """Professional growth of the association's librarians in one academic year, for the
    year's analysis. Plain data:

    {
      "academic_year": 2025, "label": "2025/2026",
      "librarians": 44,                 # active librarians of the association
      "with_development": 38, "without_development": 6,
      "hours": {"total": 812.0, "events": 420.0, "courses": 324.0, "other": 68.0},
      "courses_confirmed": 12,          # courses of qualification upgrade begun this year
      "routes": 5, "route_steps": 21, "route_steps_done": 13,
      "by_school": [{"school": "МБОУ «СОШ № 1»", "librarians": 2, "hours": 36.0}, …],
    }
    """
    overview_now = overview(association, academic_year)
    totals = Hours()
    for row in overview_now.people:
        totals.events += row.this_year.events
        totals.courses += row.this_year.courses
        totals.other += row.this_year.other
    routes = list(Route.objects.filter(association=association, academic_year=academic_year))
    steps = [step for route in routes for step in route_steps(route)]
    done = [step for step in steps if step.is_done]  # type: ignore[attr-defined]  # route_steps
    return {
        "academic_year": academic_year,
        "label": ru.format_academic_year(academic_year),
        "librarians": len(overview_now.people),
        "with_development": len(overview_now.people) - len(overview_now.without),
        "without_development": len(overview_now.without),
        "hours": {
            "total": float(totals.total),
            "events": float(totals.events),
            "courses": float(totals.courses),
            "other": float(totals.other),
        },
        "courses_confirmed": _counted_learning(academic_year)
        .filter(association=association, kind=Learning.Kind.COURSE)
        .count(),
        "routes": len(routes),
        "route_steps": len(steps),
        "route_steps_done": len(done),
        "by_school": [
            {"school": row.school, "librarians": row.people, "hours": float(row.this_year)}
            for row in overview_now.schools
        ],
    }
