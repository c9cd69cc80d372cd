"""Reads of the year's analysis: its sections (live or frozen), versions, what waits for whom."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.reviews.models import Review
from bibliomo.reviews.sections import Section, assemble

RECENT_APPROVAL_DAYS = 14


def review_sections(review: Review) -> list[Section]:
    """An approved analysis reads as it was approved; any other is assembled from today's data."""
    if review.is_approved and review.sections:
        return [Section.from_dict(data) for data in review.sections]
    return assemble(review.association, review.academic_year)


def year_reviews(association: Association) -> QuerySet[Review]:
    return Review.objects.filter(association=association).select_related("approved_by")


def latest_review(association: Association, academic_year: int) -> Review | None:
    return (
        Review.objects.filter(association=association, academic_year=academic_year)
        .order_by("-version")
        .first()
    )


def next_year_tasks(association: Association, academic_year: int) -> list[str]:
    """«Задачи на следующий учебный год» of the year's analysis: the approved version's when
    there is one, else the latest draft's; [] when the year has no analysis with tasks."""
    reviews = Review.objects.filter(association=association, academic_year=academic_year)
    for review in reviews.order_by("-version"):
        if review.is_approved and review.next_tasks:
            return list(review.next_tasks)
    latest = reviews.order_by("-version").first()
    return list(latest.next_tasks) if latest is not None else []


def reviews_awaiting_director(association: Association) -> QuerySet[Review]:
    return Review.objects.filter(association=association, status=Review.Status.SUBMITTED)


def reviews_in_approval(association: Association, now=None) -> dict[str, list[Review]]:
    """Returned, waiting, approved in the last two weeks — for the methodist and the head."""
    now = now or timezone.now()
    reviews = Review.objects.filter(association=association).filter(
        Q(status__in=[Review.Status.RETURNED, Review.Status.SUBMITTED])
        | Q(
            status=Review.Status.APPROVED,
            approved_at__gte=now - timedelta(days=RECENT_APPROVAL_DAYS),
        )
    )
    grouped: dict[str, list[Review]] = {"returned": [], "submitted": [], "approved": []}
    for review in reviews.order_by("-academic_year", "-version"):
        grouped[review.status].append(review)
    return grouped
