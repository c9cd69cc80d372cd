"""Builders for the contests tests: a contest with two nominations, three weighted criteria and
two rounds, built through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bibliomo.contests import services
from bibliomo.contests.models import Contest, Entry

CRITERIA = [
    {
        "title": "Раскрытие темы",
        "max_points": 10,
        "weight": Decimal("2"),
        "captions": {"0": "не раскрыта", "10": "раскрыта полностью"},
    },
    {"title": "Оригинальность", "max_points": 5, "weight": Decimal("1"), "captions": {}},
    {"title": "Оформление", "max_points": 5, "weight": Decimal("0.5"), "captions": {}},
]
ROUNDS = [
    {"name": "Заочный этап", "form": "correspondence", "passes": 2},
    {"name": "Очный этап", "form": "in_person", "passes": None},
]


def pdf(name: str = "Иванова_работа.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 contest entry")


def make_contest(cast, *, blind: bool = False, audience: str = "librarians", **extra) -> Contest:
    today = timezone.localdate()
    fields = {
        "title": "Лучший библиотечный урок",
        "goals": "Распространение опыта.",
        "audience": audience,
        "age_groups": "",
        "entry_terms": "Конспект урока (PDF или Word).",
        "applications_open": today - timedelta(days=5),
        "applications_close": today + timedelta(days=10),
        "judging_until": today + timedelta(days=20),
        "results_on": today + timedelta(days=25),
        "blind": blind,
        "aggregation": "mean",
        "scores_after_own": True,
    } | extra
    return services.contest_create(
        cast.methodist,
        cast.association,
        categories=["Урок в начальной школе", "Урок в основной школе"],
        criteria=CRITERIA,
        rounds=ROUNDS,
        **fields,
    )


def open_contest(cast, **kwargs) -> Contest:
    contest = make_contest(cast, **kwargs)
    return services.contest_announce(cast.methodist, contest)


def submit(contest: Contest, librarian, *, title: str = "Урок о книге", **extra) -> Entry:
    fields = {
        "category": contest.categories.first(),
        "title": title,
        "description": "",
        "authors": librarian.full_name,
        "age_group": "",
        "is_pupils": False,
        "parent_consent": False,
        "publish_names": False,
    } | extra
    return services.entry_submit(librarian, contest, file=pdf(), **fields)


def score(juror_person, sheet, values: list[int], comment: str = "") -> None:
    criteria = list(sheet.entry.contest.criteria.all())
    services.sheet_submit(
        juror_person, sheet, {c.pk: v for c, v in zip(criteria, values, strict=True)}, comment
    )
