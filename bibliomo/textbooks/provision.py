"""Provision with textbooks, computed in the database.

Rules (PRODUCT.md): the provision of a grade in a subject is the usable copies of the line in use
divided by its pupils. Usable copies are those neither damaged nor lost, of textbooks that are in
the federal list or still within their limit date. When several grades (or two lines of one grade)
use the same textbook, its copies are shared among them in proportion to their pupils. In every
total a line counts at most 100% — a surplus of one title never hides a shortage of another —
and lines without pupils are left out of percentages ("no data").

All figures come from one SQL query (common table expressions, aggregates), the same on SQLite
and PostgreSQL; Python only names the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

# Copies allocated to each line in use, with the school, grade, subject and textbook.
_LINES = """
WITH scope AS (
    SELECT sc.id FROM directory_school sc WHERE {scope}
),
stock AS (
    SELECT h.school_id, h.entry_id, SUM(h.copies - h.damaged - h.lost) AS usable
    FROM textbooks_holding h
    JOIN textbooks_catalogentry c ON c.id = h.entry_id
    WHERE h.school_id IN (SELECT id FROM scope)
      AND (c.status <> 'excluded' OR (c.limit_date IS NOT NULL AND c.limit_date >= %(as_of)s))
    GROUP BY h.school_id, h.entry_id
),
demand AS (
    SELECT school_id, entry_id, SUM(pupils) AS pupils
    FROM textbooks_textbookline
    WHERE academic_year = %(year)s AND school_id IN (SELECT id FROM scope)
    GROUP BY school_id, entry_id
),
lines AS (
    SELECT l.school_id, l.grade, c.subject, c.code, l.entry_id, l.pupils,
           CASE WHEN d.pupils > 0
                THEN COALESCE(s.usable, 0) * 1.0 * l.pupils / d.pupils
                ELSE COALESCE(s.usable, 0) END AS share
    FROM textbooks_textbookline l
    JOIN textbooks_catalogentry c ON c.id = l.entry_id
    JOIN demand d ON d.school_id = l.school_id AND d.entry_id = l.entry_id
    LEFT JOIN stock s ON s.school_id = l.school_id AND s.entry_id = l.entry_id
    WHERE l.academic_year = %(year)s AND l.school_id IN (SELECT id FROM scope)
)
"""

_COVERED = "CASE WHEN share < pupils THEN share ELSE pupils END"
_SHORTAGE = "CASE WHEN share < pupils THEN pupils - share ELSE 0 END"
_SURPLUS = "CASE WHEN share > pupils THEN share - pupils ELSE 0 END"
_STAGE = "CASE WHEN grade <= 4 THEN '1–4' WHEN grade <= 9 THEN '5–9' ELSE '10–11' END"


@dataclass(frozen=True)
class Line:
    school_id: int
    grade: int
    subject: str
    code: str
    entry_id: int
    pupils: int
    copies: float  # usable copies allocated to this line

    @property
    def percent(self) -> float | None:
        if self.pupils == 0:
            return None  # no data
        return min(100.0, 100.0 * self.copies / self.pupils)

    @property
    def shortage(self) -> int:
        return max(0, round(self.pupils - self.copies))

    @property
    def surplus(self) -> int:
        return max(0, round(self.copies - self.pupils))


@dataclass(frozen=True)
class Total:
    key: tuple  # what the row is about: (school_id,), (subject,), (stage,), ()
    pupils: int
    covered: float
    shortage: float
    surplus: float
    lines: int

    @property
    def percent(self) -> float | None:
        if not self.pupils:
            return None
        return 100.0 * self.covered / self.pupils


def _scope(*, association_id=None, school_id=None, municipality_id=None) -> tuple[str, dict]:
    if school_id is not None:
        return "sc.id = %(school)s", {"school": school_id}
    if association_id is not None:
        return "sc.association_id = %(association)s", {"association": association_id}
    if municipality_id is not None:
        return (
            "sc.association_id IN (SELECT id FROM directory_association "
            "WHERE municipality_id = %(municipality)s)",
            {"municipality": municipality_id},
        )
    return "1 = 1", {}


def _run(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lines(year: int, as_of: date, **scope) -> list[Line]:
    where, params = _scope(**scope)
    sql = _LINES.format(scope=where) + (
        "SELECT school_id, grade, subject, code, entry_id, pupils, share FROM lines "
        "ORDER BY school_id, grade, subject, code"
    )
    # PostgreSQL answers numeric (Decimal), SQLite float: the share is a float either way.
    return [
        Line(*row[:6], float(row[6] or 0))
        for row in _run(sql, {"year": year, "as_of": as_of, **params})
    ]


def totals(year: int, as_of: date, by: str, **scope) -> list[Total]:
    """Totals by "school", "subject", "stage", "grade", "school_grade" or "all"."""
    keys = {
        "school": ["school_id"],
        "subject": ["subject"],
        "stage": [_STAGE],
        "grade": ["grade"],
        "school_grade": ["school_id", "grade"],
        "school_subject": ["school_id", "subject"],
        "all": [],
    }[by]
    where, params = _scope(**scope)
    select_keys = ", ".join(f"{expression} AS k{n}" for n, expression in enumerate(keys))
    group = f"GROUP BY {', '.join(f'k{n}' for n in range(len(keys)))} ORDER BY 1" if keys else ""
    sql = _LINES.format(scope=where) + (
        f"SELECT {select_keys + ',' if keys else ''} SUM(pupils), SUM({_COVERED}), "
        f"SUM({_SHORTAGE}), SUM({_SURPLUS}), COUNT(*) FROM lines {group}"
    )
    rows = _run(sql, {"year": year, "as_of": as_of, **params})
    width = len(keys)
    return [
        Total(
            tuple(row[:width]),
            int(row[width] or 0),
            float(row[width + 1] or 0),
            float(row[width + 2] or 0),
            float(row[width + 3] or 0),
            int(row[width + 4] or 0),
        )
        for row in rows
        if row[width + 4]
    ]
