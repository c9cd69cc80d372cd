"""The public side: announced contests, their terms and results, and the results feed.
Pupils' names appear only with their parents' consent to publication."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from bibliomo.contests import selectors
from bibliomo.contests.models import Contest, Entry
from bibliomo.lib import ru


def _public() -> QuerySet[Contest]:
    return Contest.objects.exclude(status=Contest.Status.DRAFT).select_related("association")


def public_contests() -> QuerySet[Contest]:
    """Announced contests, the latest first: those taking entries and those with results."""
    return _public().order_by("-applications_open")


def public_list(request):
    contests = list(_public().order_by("-applications_open"))
    return render(request, "contests/public_list.html", {"contests": contests})


def public_detail(request, pk: int):
    contest = get_object_or_404(_public().select_related("regulation"), pk=pk)
    winners = []
    if contest.results_public:
        for entry in (
            contest.entries.filter(status=Entry.Status.SUBMITTED, place__isnull=False)
            .select_related("category", "school")
            .order_by("category__position", "place", "number")
        ):
            winners.append(
                {
                    "category": entry.category.name,
                    "place": entry.place_title,
                    "title": entry.title,
                    "authors": selectors.public_authors(entry),
                    "school": entry.school.short_name,
                }
            )
    regulation = contest.regulation
    public_regulation = regulation if regulation is not None and _is_public(regulation) else None
    return render(
        request,
        "contests/public_detail.html",
        {
            "contest": contest,
            "winners": winners,
            "regulation": public_regulation,
            "categories": contest.categories.all(),
            "criteria": contest.criteria.all(),
        },
    )


def _is_public(document) -> bool:
    from bibliomo.documents.selectors import public_documents

    return public_documents().filter(pk=document.pk).exists()


class ResultsFeed(Feed):
    title = "Конкурсы ММО: объявления и итоги"
    description = "Объявленные конкурсы методического объединения и их итоги."

    def link(self):
        return reverse("public_contests")

    def items(self):
        return _public().order_by("-applications_open")[:30]

    def item_title(self, item: Contest) -> str:
        prefix = "Итоги конкурса" if item.results_public else "Объявлен конкурс"
        return f"{prefix} «{item.title}»"

    def item_description(self, item: Contest) -> str:
        if item.results_public:
            winners = item.entries.filter(status=Entry.Status.SUBMITTED, place=1).count()
            return (
                f"Итоги подведены {ru.format_date(item.results_published_at)}: "
                f"{ru.plural(winners, 'победитель', 'победителя', 'победителей')}."
            )
        return (
            f"Приём заявок с {ru.format_date(item.applications_open)} "
            f"по {ru.format_date(item.applications_close)}."
        )

    def item_link(self, item: Contest) -> str:
        return reverse("public_contest", args=[item.pk])

    def item_pubdate(self, item: Contest):
        return item.results_published_at or item.created_at


class ResultsAtomFeed(ResultsFeed):
    feed_type = Atom1Feed
    subtitle = ResultsFeed.description
