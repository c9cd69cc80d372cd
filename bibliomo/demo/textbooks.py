"""The demo's textbooks: the sample federal list, every school's enrolment, lines in use and
holdings, and a monitoring for each year: closed for the past years (all accepted), open for
the current one (schools in every state)."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.fpu_sample import EXCLUDED_IN_2024, LIMIT_DATES, SAMPLE_ENTRIES
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline, at
from bibliomo.lib import ru
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services
from bibliomo.textbooks.models import Campaign, CatalogEntry, Submission


def _lines_for_grade(rng: random.Random, grade: int, by_subject) -> list:
    """One textbook per subject taught in the grade; the first (most popular) line mostly."""
    chosen = []
    for _subject, entries in by_subject.items():
        fitting = [e for e in entries if e.grade_from <= grade <= e.grade_to]
        if not fitting:
            continue
        chosen.append(
            fitting[0] if rng.random() < 0.7 or len(fitting) == 1 else rng.choice(fitting)
        )
    return chosen


def _catalogue(cast: DemoCast) -> None:
    """The sample federal list, then a newer one that left some entries out (with limit dates)."""
    if CatalogEntry.objects.exists():
        return
    stamps = Stamps()
    services.catalogue_import(cast.methodist, list(SAMPLE_ENTRIES))
    stamps.done(datetime(2024, 6, 3, 10, 0, tzinfo=MOSCOW))
    # A newer list left these out: they may be used only until their limit dates.
    newer = [e for e in SAMPLE_ENTRIES if e.code not in EXCLUDED_IN_2024]
    services.catalogue_import(cast.methodist, newer)
    for entry in CatalogEntry.objects.filter(code__in=LIMIT_DATES):
        services.catalogue_set_limit_date(cast.methodist, entry, LIMIT_DATES[entry.code])
    stamps.done(datetime(2024, 11, 8, 10, 0, tzinfo=MOSCOW))


# Which schools (by their place in the list) are where in the current year's monitoring.
NOT_STARTED = (3, 11, 17)
FILLING = (8,)
RETURNED = (5, 13)


@dataclass(frozen=True)
class Schedule:
    """When a year's monitoring happened: created, data as of, deadline; `open` — still going."""

    created: date
    as_of: date
    deadline: date
    open: bool

    def submitted(self, index: int, timeline: Timeline) -> date:
        """Each school hands in on its own day, never after the deadline or today."""
        day = self.as_of + timedelta(days=1 + index % 9)
        return min(day, self.deadline, timeline.today)


def _schedule(year: int, timeline: Timeline) -> Schedule:
    if year == SEED_YEAR:
        return Schedule(date(2024, 9, 2), date(2024, 9, 15), date(2024, 9, 30), False)
    if year < timeline.current:
        return Schedule(date(year, 9, 2), date(year, 9, 15), date(year, 9, 30), False)
    # The current year: opened on 1 September, data as of that day, due by 30 September.
    return Schedule(timeline.start(), timeline.start(), timeline.campaign_deadline, True)


@transaction.atomic
def build(cast: DemoCast, year: int = SEED_YEAR, today: date | None = None) -> Campaign:
    """A year's monitoring. A past year's is closed: every school handed in before the
    deadline and was accepted (two after a return). The current year's is open with schools
    in every state, dated between 1 September and today."""
    timeline = Timeline.of(today)
    association = cast.association
    existing = Campaign.objects.filter(association=association, academic_year=year).first()
    if existing is not None:
        return existing
    _catalogue(cast)
    by_subject = defaultdict(list)
    for entry in CatalogEntry.objects.order_by("code"):
        if entry.status != CatalogEntry.Status.EXCLUDED:
            by_subject[entry.subject].append(entry)
    excluded = list(CatalogEntry.objects.filter(status=CatalogEntry.Status.EXCLUDED))
    schedule = _schedule(year, timeline)
    stamps = Stamps()
    campaign = services.campaign_create(
        cast.methodist,
        association,
        name=f"Мониторинг обеспеченности учебниками {ru.format_academic_year(year)}",
        academic_year=year,
        as_of=schedule.as_of,
        deadline=schedule.deadline,
    )
    created = at(schedule.created, 9)
    stamps.done(created)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=created)
    rng = random.Random(year)
    featured = cast.librarians[0].school_id  # the demo login's school takes part in everything
    submissions = list(campaign.submissions.select_related("school").order_by("school__short_name"))
    for index, submission in enumerate(submissions):
        school = submission.school
        state = "accepted"
        if schedule.open and school.pk != featured:
            if index in NOT_STARTED:
                continue  # these schools have not started yet
            if index in FILLING:
                state = "filling"
            elif index in RETURNED:
                state = "returned"
            elif index % 2:
                state = "submitted"
        librarian = next((p for p in cast.librarians if p.school_id == school.pk), cast.methodist)
        enrolment, lines, holdings = _school_data(rng, index, year, by_subject, excluded)
        services.submission_save(
            librarian, submission, enrolment=enrolment, lines=lines, holdings=holdings
        )
        handed_in = schedule.submitted(index, timeline)
        stamps.done(at(handed_in, 9))
        if state == "filling":
            continue  # still filling in
        _submit(librarian, submission, at(handed_in, 11), stamps)
        if state == "submitted":
            continue  # waiting for the methodist
        decided = at(min(handed_in + timedelta(days=2), timeline.today), 15)
        if state == "returned" or (not schedule.open and index in RETURNED):
            _decide(
                cast.methodist,
                submission,
                False,
                decided,
                stamps,
                "Проверьте число обучающихся в 10 классе и фонд по физике.",
            )
            if state == "returned":
                continue
            # Corrected and handed in again before the deadline.
            _submit(librarian, submission, at(handed_in + timedelta(days=3), 11), stamps)
            decided = at(handed_in + timedelta(days=4), 15)
        _decide(cast.methodist, submission, True, decided, stamps)
    return campaign


def _submit(librarian, submission, when, stamps: Stamps) -> None:
    services.submission_submit(librarian, submission)
    stamps.done(when)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=when)


def _decide(methodist, submission, accept: bool, when, stamps: Stamps, comment: str = "") -> None:
    services.submission_decide(methodist, submission, accept, comment)
    stamps.done(when)
    Submission.objects.filter(pk=submission.pk).update(decided_at=when)


def _school_data(rng: random.Random, index: int, year: int, by_subject, excluded):
    """A school's enrolment, lines in use and holdings for a year (holdings bought before it)."""
    enrolment, lines, holdings = [], [], []
    stock_bias = rng.choice([0.88, 0.95, 1.0, 1.0, 1.05, 1.12])  # some short, some surplus
    for grade in range(1, 12):
        pupils = rng.randint(85, 150)
        enrolment.append(EnrolmentRow(grade, pupils, math.ceil(pupils / 28)))
        for entry in _lines_for_grade(rng, grade, by_subject):
            if (
                index % 7 == 5
                and excluded
                and grade == excluded[0].grade_from
                and entry.subject == excluded[0].subject
            ):
                entry = excluded[0]  # still teaching from an excluded textbook
            lines.append(LineRow(grade, entry.code, pupils))
            copies = max(0, round(pupils * stock_bias * rng.uniform(0.93, 1.07)))
            recent = round(copies * rng.uniform(0.5, 0.8))
            holdings.append(
                HoldingRow(
                    entry.code,
                    rng.choice([year - 2, year - 1, year]),
                    recent,
                    damaged=rng.randint(0, 3),
                    lost=rng.randint(0, 2),
                )
            )
            if copies - recent:
                holdings.append(
                    HoldingRow(entry.code, rng.choice(range(year - 7, year - 3)), copies - recent)
                )
    merged: dict[tuple[str, int], HoldingRow] = {}
    for row in holdings:
        key = (row.code, row.purchase_year)
        if key in merged:
            old = merged[key]
            row = HoldingRow(
                row.code,
                row.purchase_year,
                old.copies + row.copies,
                old.damaged + row.damaged,
                old.lost + row.lost,
            )
        merged[key] = row
    return enrolment, lines, list(merged.values())
