"""Reads of the contests: who sees which entries, the weighted results, progress, the note."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from bibliomo.contests.models import Contest, Criterion, Entry, ExternalEvent, Juror, Score, Sheet
from bibliomo.core.cuts import Cut, cut
from bibliomo.directory.models import Association, Person, Role
from bibliomo.lib import ru

TWO_PLACES = Decimal("0.01")


def contests_for(person: Person, association: Association) -> QuerySet[Contest]:
    """Drafts only for those who run the association's work; the rest for every member."""
    found = Contest.objects.filter(association=association).annotate(
        entry_count=Count("entries", filter=~Q(entries__status=Entry.Status.WITHDRAWN))
    )
    if not person.has_perm("contests.manage_contest", association):
        found = found.exclude(status=Contest.Status.DRAFT)
    if not person.has_perm("contests.view_every_contest", association):
        found = found.filter(jurors__person=person)
    # the newest first (Meta.ordering does not apply to an aggregated query)
    return found.order_by("-applications_open", "title")


def juror_of(contest: Contest, person: Person) -> Juror | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return contest.jurors.filter(person=person).first()


def entries_visible(person: Person, contest: Contest) -> QuerySet[Entry]:
    """All entries for the readers of the association, her school's for a librarian."""
    entries = contest.entries.select_related("category", "school", "submitted_by").prefetch_related(
        "awards"
    )
    if person.has_perm("contests.view_all_entries", contest):
        return entries
    if person.school_id is None:
        return entries.none()
    return entries.filter(school_id=person.school_id)


def weighted_total(points: dict[int, int], criteria: list[Criterion]) -> Decimal:
    """One juror's total for one entry: Σ points × weight over the criteria."""
    return sum((Decimal(points.get(c.pk, 0)) * c.weight for c in criteria), Decimal("0")).quantize(
        TWO_PLACES
    )


def aggregate(totals: list[Decimal], how: str) -> Decimal | None:
    if not totals:
        return None
    if how == Contest.Aggregation.MEDIAN:
        value = Decimal(statistics.median(totals))
    else:
        value = sum(totals, Decimal("0")) / len(totals)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class EntryResult:
    entry: Entry
    totals: dict[int, Decimal] = field(default_factory=dict)  # juror id → weighted total
    per_criterion: dict[int, Decimal] = field(default_factory=dict)  # criterion → mean points
    result: Decimal | None = None
    spread: Decimal | None = None
    rank: int | None = None
    tied: bool = False
    decisions: dict[int, bool] = field(default_factory=dict)  # round id → passes


def results(contest: Contest) -> list[EntryResult]:
    """Every submitted entry with its jurors' weighted totals, the result (mean or median, per
    the regulation), the spread between jurors, the rank within its nomination and ties."""
    criteria = list(contest.criteria.all())
    entries = list(
        contest.entries.filter(status=Entry.Status.SUBMITTED)
        .select_related("category", "school")
        .prefetch_related("decisions")
        .order_by("category__position", "number")
    )
    points: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for score in Score.objects.filter(
        sheet__entry__contest=contest, sheet__submitted_at__isnull=False
    ).values("sheet__entry_id", "sheet__juror_id", "criterion_id", "points"):
        key = (score["sheet__entry_id"], score["sheet__juror_id"])
        points[key][score["criterion_id"]] = score["points"]
    by_entry: dict[int, dict[int, dict[int, int]]] = defaultdict(dict)
    for (entry_id, juror_id), marks in points.items():
        by_entry[entry_id][juror_id] = marks
    rows = []
    for entry in entries:
        sheets = by_entry.get(entry.pk, {})
        row = EntryResult(entry=entry)
        row.totals = {j: weighted_total(m, criteria) for j, m in sheets.items()}
        row.result = aggregate(list(row.totals.values()), contest.aggregation)
        if row.totals:
            row.spread = max(row.totals.values()) - min(row.totals.values())
            row.per_criterion = {
                c.pk: (
                    Decimal(sum(m.get(c.pk, 0) for m in sheets.values())) / len(sheets)
                ).quantize(TWO_PLACES)
                for c in criteria
            }
        row.decisions = {d.round_id: d.passes for d in entry.decisions.all()}
        rows.append(row)
    _rank(rows)
    return rows


def _rank(rows: list[EntryResult]) -> None:
    by_category: dict[int, list[tuple[Decimal, EntryResult]]] = defaultdict(list)
    for row in rows:
        if row.result is not None:
            by_category[row.entry.category_id].append((row.result, row))
    for group in by_category.values():
        group.sort(key=lambda pair: pair[0], reverse=True)
        counts = Counter(result for result, _ in group)
        for result, row in group:
            # Competition ranking: equal results share a rank («1, 2, 2, 4»).
            row.rank = 1 + sum(1 for other, _ in group if other > result)
            row.tied = counts[result] > 1


def juror_progress(contest: Contest) -> list[dict[str, Any]]:
    jurors = (
        contest.jurors.select_related("person", "invitation")
        .annotate(
            assigned=Count("sheets", filter=Q(sheets__conflict="")),
            done=Count("sheets", filter=Q(sheets__submitted_at__isnull=False)),
            declined=Count("sheets", filter=~Q(sheets__conflict="")),
        )
        .order_by("-is_chair", "person__last_name", "person__first_name")
    )
    return [
        {
            "juror": j,
            "assigned": j.assigned,
            "done": j.done,
            "declined": j.declined,
            "percent": round(100 * j.done / j.assigned) if j.assigned else 0,
        }
        for j in jurors
    ]


def sheets_of(juror: Juror) -> QuerySet[Sheet]:
    return juror.sheets.select_related("entry__category").order_by("entry__number")


def others_scores(sheet: Sheet) -> list[dict[str, Any]]:
    """Other jurors' submitted totals for the same entry (shown per the contest's setting)."""
    contest = sheet.entry.contest
    if contest.scores_after_own and sheet.submitted_at is None:
        return []
    criteria = list(contest.criteria.all())
    found = []
    others = (
        Sheet.objects.filter(entry=sheet.entry, submitted_at__isnull=False)
        .exclude(pk=sheet.pk)
        .select_related("juror__person")
        .prefetch_related("scores")
    )
    for other in others:
        marks = {s.criterion_id: s.points for s in other.scores.all()}
        juror = other.juror.person
        assert juror is not None, "only a seated juror (with a person) has sheets"
        found.append(
            {
                "juror": juror.short_name,
                "total": weighted_total(marks, criteria),
                "comment": other.comment,
            }
        )
    return found


def public_contests(association: Association) -> QuerySet[Contest]:
    return Contest.objects.filter(association=association).exclude(status=Contest.Status.DRAFT)


def public_authors(entry: Entry) -> str:
    """Pupils' names go public only with their parents' consent to it."""
    return entry.authors if (not entry.is_pupils or entry.publish_names) else "участник"


# --- the analytical note --------------------------------------------------------------------


def _previous(contest: Contest) -> Contest | None:
    """Last year's edition: the same audience, the year before, the closest title."""
    year = contest.academic_year
    candidates = [
        c
        for c in Contest.objects.filter(
            association_id=contest.association_id, audience=contest.audience
        ).exclude(pk=contest.pk)
        if c.academic_year == year - 1
    ]
    candidates.sort(key=lambda c: (c.title != contest.title, -c.pk))
    return candidates[0] if candidates else None


def _participation(contest: Contest | None) -> tuple[Counter, Counter]:
    if contest is None:
        return Counter(), Counter()
    entries = contest.entries.exclude(status=Entry.Status.WITHDRAWN)
    schools = Counter(entries.values_list("school__short_name", flat=True))
    categories = Counter(entries.values_list("category__name", flat=True))
    return schools, categories


def note(contest: Contest) -> dict[str, Any]:
    """The figures of the analytical note on one contest, as plain data."""
    previous = _previous(contest)
    schools, categories = _participation(contest)
    last_schools, last_categories = _participation(previous)
    criteria = list(contest.criteria.all())
    marks: dict[int, list[int]] = defaultdict(list)
    for criterion_id, value in Score.objects.filter(
        sheet__entry__contest=contest, sheet__submitted_at__isnull=False
    ).values_list("criterion_id", "points"):
        marks[criterion_id].append(value)
    distribution: list[dict[str, Any]] = []
    for c in criteria:
        values = marks.get(c.pk, [])
        mean = Decimal(sum(values)) / len(values) if values else Decimal("0")
        share = (mean / c.max_points * 100).quantize(Decimal("1")) if values else Decimal("0")
        counts = Counter(values)
        distribution.append(
            {
                "criterion": c.title,
                "max_points": c.max_points,
                "mean": mean.quantize(TWO_PLACES),
                "share": int(share),
                "counts": [(n, counts.get(n, 0)) for n in range(c.max_points + 1)],
                "top": max(counts.values(), default=0),
            }
        )
    scored = [d for d in distribution if any(n for _, n in d["counts"])]
    ordered = sorted(scored, key=lambda d: d["share"], reverse=True)
    return {
        "previous": previous,
        "by_school": [
            {"name": name, "now": schools.get(name, 0), "before": last_schools.get(name, 0)}
            for name in sorted(set(schools) | set(last_schools))
        ],
        "by_category": [
            {"name": name, "now": categories.get(name, 0), "before": last_categories.get(name, 0)}
            for name in sorted(set(categories) | set(last_categories))
        ],
        "entries_now": sum(schools.values()),
        "entries_before": sum(last_schools.values()),
        "schools_now": len(schools),
        "schools_before": len(last_schools),
        "distribution": distribution,
        "strongest": ordered[0]["criterion"] if ordered else "",
        "weakest": ordered[-1]["criterion"] if ordered else "",
    }


def year_contests(association: Association, academic_year: int) -> QuerySet[Contest]:
    """The academic year's contests past their draft (a contest belongs to the year its
    applications open in), newest first, each with `entry_count` of submitted entries."""
    return (
        Contest.objects.filter(
            association=association, applications_open__range=ru.academic_year_days(academic_year)
        )
        .exclude(status=Contest.Status.DRAFT)
        .annotate(entry_count=Count("entries", filter=Q(entries__status=Entry.Status.SUBMITTED)))
        .order_by("-applications_open", "title")
    )


def year_external(association: Association, academic_year: int) -> QuerySet[ExternalEvent]:
    """Outside contests and conferences held in the academic year."""
    return ExternalEvent.objects.filter(
        association=association, held_on__range=ru.academic_year_days(academic_year)
    )


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """The contests and outside events of one academic year, as plain data for the year's
    analysis (app `reviews`). Shape:

    {"academic_year": 2024,
     "contests": [{"title": str, "audience": str, "entries": int, "schools": int,
                   "winners": int, "prize_winners": int, "jurors": int,
                   "results_published": bool}],
     "entries": int, "schools": int,          # over all the year's contests (schools distinct)
     "external": [{"title": str, "kind": str, "level": str, "held_on": date,
                   "participants": int, "results": str}]}
    """
    contests = year_contests(association, academic_year)
    rows, all_schools, total = [], set(), 0
    for contest in contests:
        entries = contest.entries.filter(status=Entry.Status.SUBMITTED)
        schools = set(entries.values_list("school_id", flat=True))
        all_schools |= schools
        entry_count: int = contest.entry_count  # type: ignore[attr-defined]  # year_contests
        total += entry_count
        rows.append(
            {
                "title": contest.title,
                "audience": contest.get_audience_display(),
                "entries": entry_count,
                "schools": len(schools),
                "winners": entries.filter(place=1).count(),
                "prize_winners": entries.filter(place__in=[2, 3]).count(),
                "jurors": contest.jurors.count(),
                "results_published": contest.results_public,
            }
        )
    external = [
        {
            "title": e.title,
            "kind": e.kind,
            "level": e.get_level_display(),
            "held_on": e.held_on,
            "participants": e.participants,
            "results": e.results,
        }
        for e in year_external(association, academic_year)
    ]
    return {
        "academic_year": academic_year,
        "contests": rows,
        "entries": total,
        "schools": len(all_schools),
        "external": external,
    }


def assignable_people(contest: Contest) -> QuerySet[Person]:
    return (
        Person.objects.filter(
            role_grants__association_id=contest.association_id,
            role_grants__role__in=[Role.METHODIST, Role.HEAD, Role.LIBRARIAN, Role.DIRECTOR],
            is_active=True,
        )
        .exclude(juries__contest=contest)
        .distinct()
        .order_by("last_name", "first_name")
    )


# --- the home page: a few rows and a count, two queries each whatever the data -------------


def jury_todo(person: Person) -> Cut:
    """Contests where the person, a juror, still has entries to score."""
    found = (
        Contest.objects.filter(jurors__person=person)
        .exclude(status__in=[Contest.Status.DRAFT, Contest.Status.FINISHED])
        .annotate(
            left=Count(
                "jurors__sheets",
                filter=Q(
                    jurors__person=person,
                    jurors__sheets__submitted_at__isnull=True,
                    jurors__sheets__conflict="",
                ),
            )
        )
        .filter(left__gt=0)
        .order_by("judging_until")
    )
    return cut(found)


def open_for_school(association: Association, school_id: int, today) -> Cut:
    """Contests taking entries today, with how many the school has sent to each."""
    found = (
        Contest.objects.filter(
            association=association,
            status=Contest.Status.OPEN,
            applications_open__lte=today,
            applications_close__gte=today,
        )
        .annotate(
            sent=Count(
                "entries",
                filter=Q(entries__school_id=school_id) & ~Q(entries__status=Entry.Status.WITHDRAWN),
            )
        )
        .order_by("applications_close")
    )
    return cut(found)


def person_participation(person: Person) -> list[dict[str, Any]]:
    """The contests a person took part in, for her professional-growth card: her own works,
    her pupils' works she submitted, and her seats on juries — newest first; a work's place
    only once the contest's results are published."""
    rows: list[dict[str, Any]] = []
    entries = (
        Entry.objects.filter(submitted_by=person)
        .exclude(status=Entry.Status.WITHDRAWN)
        .select_related("contest", "category")
    )
    for entry in entries:
        published = entry.contest.results_published_at is not None
        rows.append(
            {
                "contest": entry.contest,
                "role": "руководитель работы обучающихся" if entry.is_pupils else "участник",
                "work": f"{entry.title} ({entry.category.name})",
                "result": (entry.place_title or "участие") if published else "итоги не подведены",
            }
        )
    for seat in Juror.objects.filter(person=person).select_related("contest"):
        rows.append({"contest": seat.contest, "role": "член жюри", "work": "", "result": ""})
    rows.sort(key=lambda row: row["contest"].created_at, reverse=True)
    return rows
