"""Reads of mentoring: early-career librarians, the overview of pairs, the year's figures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bibliomo.directory.models import EARLY_CAREER_YEARS, Association, Person, Role
from bibliomo.lib import ru
from bibliomo.mentoring.models import Meeting, Pair, Question, Step


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def early_career(association: Association, today: date | None = None) -> QuerySet[Person]:
    """Active librarians of the association with under three years in a school library,
    annotated with `has_mentor` (an active pair)."""
    today = today or timezone.localdate()
    since = years_before(today, EARLY_CAREER_YEARS)
    return (
        Person.objects.filter(
            role_grants__association=association,
            role_grants__role=Role.LIBRARIAN,
            is_active=True,
            librarian_since__gt=since,
        )
        .select_related("school")
        .annotate(
            has_mentor=Exists(Pair.objects.filter(mentee=OuterRef("pk"), status=Pair.Status.ACTIVE))
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


def pairs_with_progress(pairs: QuerySet[Pair], today: date | None = None) -> QuerySet[Pair]:
    """Pairs with `steps_total`, `steps_done`, `steps_overdue` and `meetings_count`."""
    today = today or timezone.localdate()
    return pairs.select_related("mentor__school", "mentee__school", "seminar").annotate(
        steps_total=Count("steps", distinct=True),
        steps_done=Count("steps", filter=Q(steps__done_on__isnull=False), distinct=True),
        steps_overdue=Count(
            "steps",
            filter=Q(steps__done_on__isnull=True, steps__due_on__lt=today),
            distinct=True,
        ),
        meetings_count=Count("meetings", distinct=True),
    )


def visible_pairs(person: Person, association: Association) -> QuerySet[Pair]:
    pairs = Pair.objects.filter(association=association)
    if person.roles_in(association.pk) & {Role.METHODIST, Role.HEAD, Role.DIRECTOR}:
        return pairs
    return pairs.filter(Q(mentor=person) | Q(mentee=person))


def overdue_steps(association: Association, today: date | None = None) -> QuerySet[Step]:
    """Steps of active pairs past their date and not done (for the methodist's home page)."""
    today = today or timezone.localdate()
    return (
        Step.objects.filter(
            pair__association=association,
            pair__status=Pair.Status.ACTIVE,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("pair__mentor", "pair__mentee")
        .order_by("due_on")
    )


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """Mentoring in the academic year (2024 → 2024/2025), for the year's analysis.

    Returns plain data::

        {
            "pairs": int,             # pairs working at any time during the year
            "pairs_started": int,     # pairs that started in the year
            "pairs_finished": int,    # pairs finished in the year
            "meetings": int,          # meetings logged in the year
            "steps_done": int,        # programme steps done in the year
            "steps_overdue": int,     # steps due in the year and still not done
            "questions": int,         # questions the mentees asked in the year
            "average_rating": float | None,   # surveys of pairs finished in the year, 1–5
            "pair_list": [            # every pair of the year
                {"mentor": str, "mentee": str, "school": str, "status": str,
                 "steps_total": int, "steps_done": int}, ...
            ],
        }
    """
    start, end = ru.academic_year_days(academic_year)
    pairs = Pair.objects.filter(association=association, starts_on__lte=end, ends_on__gte=start)
    finished = pairs.filter(finished_on__gte=start, finished_on__lte=end)
    ratings = list(finished.filter(surveys__isnull=False).values_list("surveys__rating", flat=True))
    rows = pairs_with_progress(pairs, end).order_by("starts_on")
    return {
        "pairs": pairs.count(),
        "pairs_started": pairs.filter(starts_on__gte=start).count(),
        "pairs_finished": finished.count(),
        "meetings": Meeting.objects.filter(
            pair__association=association, held_on__range=(start, end)
        ).count(),
        "steps_done": Step.objects.filter(
            pair__association=association, done_on__range=(start, end)
        ).count(),
        "steps_overdue": Step.objects.filter(
            pair__association=association,
            done_on__isnull=True,
            due_on__range=(start, min(end, timezone.localdate() - timedelta(days=1))),
        ).count(),
        "questions": Question.objects.filter(
            pair__association=association, asked_at__date__range=(start, end)
        ).count(),
        "average_rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "pair_list": [
            {
                "mentor": pair.mentor.short_name,
                "mentee": pair.mentee.short_name,
                "school": pair.mentee.school.short_name if pair.mentee.school else "",
                "status": pair.get_status_display(),
                # Counted by pairs_with_progress's annotate(), which mypy cannot see.
                "steps_total": pair.steps_total,  # type: ignore[attr-defined]
                "steps_done": pair.steps_done,  # type: ignore[attr-defined]
            }
            for pair in rows
        ],
    }
