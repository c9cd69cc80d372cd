"""Reads of the consultation desk: whose questions a person sees, what is overdue, the base of
answers and its search, the year's figures."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bibliomo.consultations.models import FaqEntry, Question, Topic
from bibliomo.directory.models import Association, Role
from bibliomo.lib import ru
from bibliomo.lib.russian_search import highlight, query_terms, relevance

MANAGERS = {Role.METHODIST, Role.HEAD}


def visible_questions(user, association: Association) -> QuerySet[Question]:
    """The methodist and the head see every question; anyone else only her own."""
    questions = Question.objects.filter(association=association).select_related("asker", "school")
    if user.roles_in(association.pk) & MANAGERS:
        return questions
    return questions.filter(asker=user)


def working_day_cutoff(today: date, days: int) -> date:
    """The last day a question may have been asked on and be `days` working days (Monday to
    Friday) without an answer by `today`."""
    day, counted = today, 0
    while counted < days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def overdue_questions(association: Association, today: date | None = None) -> QuerySet[Question]:
    """Questions with no answer for CONSULTATION_ANSWER_DAYS working days, oldest first."""
    today = today or timezone.localdate()
    cutoff = working_day_cutoff(today, settings.CONSULTATION_ANSWER_DAYS)
    end = datetime.combine(cutoff + timedelta(days=1), time.min, timezone.get_current_timezone())
    return (
        Question.objects.filter(
            association=association, status=Question.Status.OPEN, created_at__lt=end
        )
        .select_related("asker", "school")
        .order_by("created_at", "pk")
    )


# --- The base of answers ---------------------------------------------------------------------


def faq_entries(association: Association) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(association=association)


@dataclass
class FaqHit:
    entry: FaqEntry
    fragment: str  # HTML-escaped, matches in <mark>


def faq_search(association: Association, query: str, limit: int = 10) -> tuple[list[FaqHit], int]:
    """The base of answers' part of the one search box: the best `limit` matches (ranked like
    the library: title first, then the question and the answer) and how many matched."""
    query = query.strip()
    entries = faq_entries(association)
    terms = query_terms(query)
    if not query:
        return [], 0
    if connection.vendor == "postgresql":
        entries = entries.filter(
            search_vector=SearchQuery(query, config="russian", search_type="websearch")
        )
    elif not terms:
        return [], 0
    else:
        condition = Q()
        for term in terms:
            condition &= Q(search_stems__contains=f" {term} ")
        entries = entries.filter(condition)
    found = list(entries.only("id", "title", "topic", "question_text", "answer_text")[:300])
    found.sort(
        key=lambda e: -relevance(terms, e.title, e.question_text, e.answer_text) if terms else 0
    )
    hits = [
        FaqHit(e, highlight(f"{e.question_text}\n{e.answer_text}", query)) for e in found[:limit]
    ]
    return hits, len(found)


def faq_draft(question: Question) -> dict[str, str]:
    """The text the methodist starts the public entry from: the question and the solving
    answer with the asker's name and school taken out."""
    answer = question.solution.text if question.solution is not None else ""
    return {
        "title": anonymise(question.subject, question),
        "question_text": anonymise(question.text, question),
        "answer_text": anonymise(answer, question),
        "topic": question.topic,
    }


def anonymise(text: str, question: Question) -> str:
    asker = question.asker
    replacements = []
    if question.school is not None:
        replacements.append((question.school.short_name, "наша школа"))
    replacements += [
        (asker.full_name, "коллега"),
        (asker.short_name, "коллега"),
        (f"{asker.first_name} {asker.patronymic}".strip(), "коллега"),
    ]
    if len(asker.last_name) > 2:
        # Any case of the surname: «Ивановой», «Иванову».
        replacements.append((asker.last_name[:-1] + r"\w*", "коллега"))
    for needle, replacement in replacements:
        if not needle.strip():
            continue
        pattern = needle if needle.endswith(r"\w*") else re.escape(needle)
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


# --- Figures for the year's analysis ---------------------------------------------------------


def _year_bounds(academic_year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime(academic_year, 9, 1, tzinfo=tz),
        datetime(academic_year + 1, 9, 1, tzinfo=tz),
    )


def _median_hours(pairs: list[tuple[datetime, datetime | None]]) -> float | None:
    spans = [(end - start).total_seconds() / 3600 for start, end in pairs if end is not None]
    return round(statistics.median(spans), 1) if spans else None


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """The consultation desk in one academic year (questions asked 1 September – 31 August),
    for the year's analysis. Plain data:

    {
      "academic_year": 2025, "label": "2025/2026",
      "asked": 30, "answered": 28, "solved": 25, "unanswered": 2, "published": 6,
      "by_topic": [{"topic": "write_off", "label": "списание", "count": 7}, …],  # most first,
                                                              # topics with no questions left out
      "median_hours_to_first_answer": 5.5 | None,   # asked → first answer, in hours
      "median_days_to_solution": 1.8 | None,        # asked → marked solved, in days
      "frequent_topics": ["списание", "ФПУ и заказ", "обмен"],  # up to three: seminar ideas
    }
    """
    start, end = _year_bounds(academic_year)
    questions = Question.objects.filter(
        association=association, created_at__gte=start, created_at__lt=end
    )
    rows = list(questions.values_list("created_at", "first_answer_at", "solved_at", "status"))
    labels = dict(Topic.choices)
    by_topic = [
        {"topic": row["topic"], "label": labels.get(row["topic"], row["topic"]), "count": row["n"]}
        for row in questions.values("topic").annotate(n=Count("pk")).order_by("-n", "topic")
    ]
    solution_hours = _median_hours([(r[0], r[2]) for r in rows])
    return {
        "academic_year": academic_year,
        "label": ru.format_academic_year(academic_year),
        "asked": len(rows),
        "answered": sum(1 for r in rows if r[1] is not None),
        "solved": sum(1 for r in rows if r[3] == Question.Status.SOLVED),
        "unanswered": sum(1 for r in rows if r[1] is None),
        "published": FaqEntry.objects.filter(question__in=questions).count(),
        "by_topic": by_topic,
        "median_hours_to_first_answer": _median_hours([(r[0], r[1]) for r in rows]),
        "median_days_to_solution": (
            round(solution_hours / 24, 1) if solution_hours is not None else None
        ),
        "frequent_topics": [row["label"] for row in by_topic[:3]],
    }
