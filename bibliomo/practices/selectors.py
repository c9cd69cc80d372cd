"""Reads of the bank of practices: the bank sorted by uptake, a card, the year's figures."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.practices.models import Form, Implementation, Practice

SORTS = {
    "popular": ("-taken_up", "-created_at"),
    "new": ("-created_at",),
    "title": ("title",),
}


def bank(
    association: Association,
    *,
    tag: str = "",
    form: str = "",
    query: str = "",
    sort: str = "popular",
) -> QuerySet[Practice]:
    """The association's practices with how often each was taken up (`taken_up`), most taken
    up first by default."""
    practices = (
        Practice.objects.filter(association=association)
        .select_related("school", "author", "fair")
        .annotate(taken_up=Count("implementations"))
    )
    if tag:
        # JSON containment is not on SQLite, where the list is stored with \u escapes;
        # PostgreSQL shows it as plain text. Either way the quoted tag matches exactly.
        practices = practices.filter(
            Q(tags__icontains=f'"{tag}"') | Q(tags__icontains=json.dumps(tag))
        )
    if form in Form.values:
        practices = practices.filter(form=form)
    if query:
        practices = practices.filter(title__icontains=query)
    return practices.order_by(*SORTS.get(sort, SORTS["popular"]))


def public_practices() -> QuerySet[Practice]:
    return (
        Practice.objects.filter(published_at__isnull=False)
        .select_related("school", "association")
        .annotate(taken_up=Count("implementations"))
    )


def year_counts(association: Association, academic_year: int) -> dict[str, int]:
    """The bank's year in four figures, two queries: cards ``added``, of them
    ``presented_at_fairs``; «Внедрили у нас» ``implementations`` and the distinct
    ``schools_implementing``."""
    start, end = ru.academic_year_days(academic_year)
    cards = Practice.objects.filter(
        association=association, created_at__date__gte=start, created_at__date__lte=end
    ).aggregate(added=Count("pk"), presented_at_fairs=Count("pk", filter=Q(fair__isnull=False)))
    marks = Implementation.objects.filter(
        practice__association=association, implemented_on__gte=start, implemented_on__lte=end
    ).aggregate(implementations=Count("pk"), schools_implementing=Count("school", distinct=True))
    return {**cards, **marks}


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """The bank's year for the annual review (academic_year 2024 → 2024/2025).

    Returns plain data::

        {
            "practices_added": int,        # cards added during the year
            "presented_at_fairs": int,     # of them, presented at an ideas-fair event
            "implementations": int,        # «Внедрили у нас» marks dated in the year
            "schools_implementing": int,   # distinct schools that took a practice up
            "schools_sharing": int,        # distinct schools whose practices were added
            "published": int,              # cards of the year on the public portal
            "top": [                       # most taken up practices of all time, up to 5
                {"title": str, "school": str, "taken_up": int}, ...
            ],
            "by_tag": {tag: int, ...},     # cards added in the year per tag
        }
    """
    start, end = ru.academic_year_days(academic_year)
    added = Practice.objects.filter(
        association=association, created_at__date__gte=start, created_at__date__lte=end
    )
    tags: Counter[str] = Counter()
    for row in added.values_list("tags", flat=True):
        tags.update(row or [])
    top = (
        Practice.objects.filter(association=association)
        .annotate(taken_up=Count("implementations"), last=Max("implementations__implemented_on"))
        .filter(taken_up__gt=0)
        .order_by("-taken_up", "title")
        .values("title", "school__short_name", "taken_up")[:5]
    )
    counts = year_counts(association, academic_year)
    return {
        "practices_added": counts["added"],
        "presented_at_fairs": counts["presented_at_fairs"],
        "implementations": counts["implementations"],
        "schools_implementing": counts["schools_implementing"],
        "schools_sharing": added.values("school").distinct().count(),
        "published": added.filter(published_at__isnull=False).count(),
        "top": [
            {
                "title": row["title"],
                "school": row["school__short_name"],
                "taken_up": row["taken_up"],
            }
            for row in top
        ],
        "by_tag": dict(tags.most_common()),
    }
