"""Builders for mentoring tests: librarian B is early-career and mentored by librarian A."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bibliomo.directory import services as directory
from bibliomo.mentoring import services


def make_pair(cast, *, days_ago: int = 60, length: int = 240):
    today = timezone.localdate()
    directory.person_update(None, cast.librarian_b, librarian_since=today - timedelta(days=400))
    directory.person_update(None, cast.librarian_a, librarian_since=today - timedelta(days=4000))
    return services.pair_create(
        cast.methodist,
        cast.association,
        mentor=cast.librarian_a,
        mentee=cast.librarian_b,
        starts_on=today - timedelta(days=days_ago),
        ends_on=today - timedelta(days=days_ago) + timedelta(days=length),
    )
