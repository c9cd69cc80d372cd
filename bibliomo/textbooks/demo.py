"""The demo's textbooks: the sample federal list, every school's enrolment, lines in use and
holdings, and the 2024/2025 monitoring — most schools submitted, two returned, a few late."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date

from django.db import transaction

from bibliomo.directory.demo import DemoCast
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services
from bibliomo.textbooks.fpu_sample import EXCLUDED_IN_2024, LIMIT_DATES, SAMPLE_ENTRIES
from bibliomo.textbooks.models import Campaign, CatalogEntry

YEAR = 2024


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


@transaction.atomic
def build(cast: DemoCast) -> Campaign:
    association = cast.association
    existing = Campaign.objects.filter(association=association, academic_year=YEAR).first()
    if existing is not None:
        return existing
    if not CatalogEntry.objects.exists():
        services.catalogue_import(cast.methodist, list(SAMPLE_ENTRIES))
        # A newer list left these out: they may be used only until their limit dates.
        newer = [e for e in SAMPLE_ENTRIES if e.code not in EXCLUDED_IN_2024]
        services.catalogue_import(cast.methodist, newer)
        for entry in CatalogEntry.objects.filter(code__in=LIMIT_DATES):
            services.catalogue_set_limit_date(cast.methodist, entry, LIMIT_DATES[entry.code])
    by_subject = defaultdict(list)
    for entry in CatalogEntry.objects.order_by("code"):
        if entry.status != CatalogEntry.Status.EXCLUDED:
            by_subject[entry.subject].append(entry)
    excluded = list(CatalogEntry.objects.filter(status=CatalogEntry.Status.EXCLUDED))
    campaign = services.campaign_create(
        cast.methodist,
        association,
        name="Мониторинг обеспеченности учебниками 2024/2025",
        academic_year=YEAR,
        as_of=date(2024, 9, 15),
        deadline=date(2024, 9, 30),
    )
    rng = random.Random(2024)
    submissions = list(campaign.submissions.select_related("school").order_by("school__short_name"))
    for index, submission in enumerate(submissions):
        school = submission.school
        if index in (3, 11, 17):
            continue  # these schools have not started yet
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
                        rng.choice([2022, 2023, 2024]),
                        recent,
                        damaged=rng.randint(0, 3),
                        lost=rng.randint(0, 2),
                    )
                )
                if copies - recent:
                    holdings.append(
                        HoldingRow(
                            entry.code, rng.choice([2017, 2018, 2019, 2020]), copies - recent
                        )
                    )
        merged = {}
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
        librarian = next((p for p in cast.librarians if p.school_id == school.pk), cast.methodist)
        services.submission_save(
            librarian, submission, enrolment=enrolment, lines=lines, holdings=list(merged.values())
        )
        if index == 8:
            continue  # still filling in
        services.submission_submit(librarian, submission)
        if index in (5, 13):
            services.submission_decide(
                cast.methodist,
                submission,
                False,
                "Проверьте число обучающихся в 10 классе и фонд по физике.",
            )
        elif index % 2 == 0:
            services.submission_decide(cast.methodist, submission, True)
    return campaign
