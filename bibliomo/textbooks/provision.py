"""Provision with textbooks, computed in the database.

Rules (PRODUCT.md, README «Как считается обеспеченность»):
- the provision of a grade in a subject is the usable copies of the line in use divided by its
  pupils. Usable copies are those on the books as of the campaign date (bought no later than its
  year), neither damaged nor lost nor written off by an act dated on or before that date, of
  textbooks that are in the federal list or still within their limit date;
- copies are whole: when several grades (or two lines of one grade) use the same textbook, its
  copies are apportioned among them in proportion to their pupils by the largest remainder, so
  every line's copies are a whole number and the lines of a textbook add up to its copies;
- in every total a line counts at most 100% — a surplus of one title never hides a shortage of
  another — and lines without pupils are left out of percentages ("no data");
- an accepted report is frozen: its lines were stored when it was accepted (ProvisionLine,
  FrozenGrade) and are read from there, whatever changed in the school's data afterwards.

Every figure comes from one SQL query (common table expressions, window functions, aggregates),
the same on SQLite and PostgreSQL; Python only names the columns.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

STAGES = ("1–4", "5–9", "10–11")

# The lines of the schools computed from their data ({live}: their ids), with whole copies, and
# the stored lines of accepted reports ({frozen}: their ids): `lines` and `enrolled`.
_LINES = """
WITH stock AS (
    SELECT h.school_id, h.entry_id, SUM(h.copies - h.damaged - h.lost) AS usable
    FROM textbooks_holding h
    JOIN textbooks_catalogentry c ON c.id = h.entry_id
    WHERE h.school_id IN {live} AND h.purchase_year <= %(as_of_year)s
      AND (c.status <> 'excluded' OR (c.limit_date IS NOT NULL AND c.limit_date >= %(as_of)s))
    GROUP BY h.school_id, h.entry_id
),
written AS (
    SELECT w.school_id, w.entry_id, SUM(w.copies) AS copies
    FROM textbooks_writeoff w
    WHERE w.school_id IN {live} AND w.act_date <= %(as_of)s
    GROUP BY w.school_id, w.entry_id
),
raw AS (
    SELECT l.school_id, l.grade, l.entry_id, l.pupils,
           CASE WHEN COALESCE(s.usable, 0) > COALESCE(w.copies, 0)
                THEN COALESCE(s.usable, 0) - COALESCE(w.copies, 0) ELSE 0 END AS usable
    FROM textbooks_textbookline l
    LEFT JOIN stock s ON s.school_id = l.school_id AND s.entry_id = l.entry_id
    LEFT JOIN written w ON w.school_id = l.school_id AND w.entry_id = l.entry_id
    WHERE l.academic_year = %(year)s AND l.school_id IN {live}
),
weighted AS (
    SELECT school_id, grade, entry_id, pupils, usable,
           CASE WHEN SUM(pupils) OVER p > 0 THEN pupils ELSE 1 END AS weight,
           CASE WHEN SUM(pupils) OVER p > 0 THEN SUM(pupils) OVER p ELSE COUNT(*) OVER p END
               AS whole
    FROM raw
    WINDOW p AS (PARTITION BY school_id, entry_id)
),
parted AS (
    SELECT school_id, grade, entry_id, pupils, usable,
           (usable * weight) / whole AS base, (usable * weight) %% whole AS rest
    FROM weighted
),
ranked AS (
    SELECT school_id, grade, entry_id, pupils, base,
           usable - SUM(base) OVER p AS left_over,
           ROW_NUMBER() OVER (PARTITION BY school_id, entry_id ORDER BY rest DESC, grade)
               AS place
    FROM parted
    WINDOW p AS (PARTITION BY school_id, entry_id)
),
lines AS (
    SELECT r.school_id, r.grade, c.subject, r.entry_id, r.pupils,
           r.base + CASE WHEN r.place <= r.left_over THEN 1 ELSE 0 END AS copies
    FROM ranked r JOIN textbooks_catalogentry c ON c.id = r.entry_id
    {frozen_lines}
),
enrolled AS (
    SELECT school_id, grade, SUM(pupils) AS pupils
    FROM textbooks_enrolment
    WHERE academic_year = %(year)s AND school_id IN {live}
    GROUP BY school_id, grade
    {frozen_enrolled}
)
"""
_FROZEN_LINES = """UNION ALL
    SELECT school_id, grade, subject, entry_id, pupils, copies
    FROM textbooks_provisionline
    WHERE submission_id IN {frozen}"""
_FROZEN_ENROLLED = """UNION ALL
    SELECT school_id, grade, pupils
    FROM textbooks_frozengrade
    WHERE submission_id IN {frozen}"""
# The stored totals of the schools in scope, as summary rows (see _grouped): those of accepted
# reports ({frozen}: their submissions) and those kept for the others ({kept}: (school,
# version) pairs of LiveTotal rows computed from data of that version). {page}: the schools
# whose totals by subject are wanted one by one.
_STORED = """
WITH stored AS (
    SELECT school_id, kind, key, need, covered, shortage, surplus, lines, copies, pupils
    FROM textbooks_frozentotal WHERE submission_id IN {frozen}
    UNION ALL
    SELECT school_id, kind, key, need, covered, shortage, surplus, lines, copies, pupils
    FROM textbooks_livetotal
    WHERE academic_year = %(year)s AND as_of = %(as_of)s
      AND catalogue_version = %(catalogue)s AND {kept}
)
"""
_SUMS_PART = """
SELECT 'school', school_id, NULL, need, covered, shortage, surplus, lines, copies, pupils
FROM stored WHERE kind = 'all' AND lines > 0
UNION ALL
SELECT kind, NULL, key, SUM(need), SUM(covered), SUM(shortage), SUM(surplus), SUM(lines),
       SUM(copies), SUM(pupils)
FROM stored GROUP BY kind, key
"""
_PAGE_PART = """
SELECT 'school_subject', school_id, key, need, covered, shortage, surplus, lines, copies, need
FROM stored WHERE kind = 'subject' AND school_id IN {page} AND lines > 0
"""

_COVERED = "CASE WHEN copies < pupils THEN copies ELSE pupils END"
_SHORTAGE = "CASE WHEN copies < pupils THEN pupils - copies ELSE 0 END"
_SURPLUS = "CASE WHEN copies > pupils THEN copies - pupils ELSE 0 END"
_STAGE = "CASE WHEN grade <= 4 THEN '1–4' WHEN grade <= 9 THEN '5–9' ELSE '10–11' END"


def entry_label(authors: str, title: str, limit: int = 60) -> str:
    """«Петров Б.Б. Математика. 5 класс»: the first author and the title, short enough to read
    beside the code in a table row."""
    first = (authors or "").split(",")[0].strip()
    if first and len((authors or "").split(",")) > 1:
        first += " и др."
    text = (title or "").strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip(" ,.;:") + "…"
    return f"{first} {text}".strip() if first else text


@dataclass(frozen=True)
class Line:
    school_id: int
    grade: int
    subject: str
    code: str
    entry_id: int
    pupils: int
    copies: int  # whole usable copies apportioned to this line
    title: str = ""  # «Автор И.О. Название», see entry_label

    @property
    def percent(self) -> float | None:
        if self.pupils == 0:
            return None  # no data
        return min(100.0, 100.0 * self.copies / self.pupils)

    @property
    def shortage(self) -> int:
        return max(0, self.pupils - self.copies)

    @property
    def surplus(self) -> int:
        return max(0, self.copies - self.pupils)


@dataclass(frozen=True)
class Total:
    key: tuple  # what the row is about: (school_id,), (subject,), (stage,), ()
    need: int  # copies needed: the pupils of every line, one copy per pupil per subject
    covered: int
    shortage: int
    surplus: int
    lines: int
    copies: int = 0  # usable copies apportioned to the lines
    pupils: int | None = None  # pupils enrolled (for a school, a stage, everything)

    @property
    def percent(self) -> float | None:
        if not self.need:
            return None
        return 100.0 * self.covered / self.need


@dataclass
class Summary:
    """Every total of the summary page, from one query."""

    total: Total | None
    by_school: list[Total]
    by_subject: list[Total]
    by_stage: list[Total]
    # What the totals were added up from (rows of _KEPT: school, accepted report, data
    # version, list version, stored or not), for `school_subjects` and `digest`.
    state: list[tuple] = field(default_factory=list, repr=False, compare=False)
    year: int = field(default=0, repr=False, compare=False)
    as_of: date | None = field(default=None, repr=False, compare=False)

    @property
    def digest(self) -> str:
        """Names the exact state of the schools these totals come from."""
        return _digest(self.state)


def _scope(
    *, association_id=None, school_id=None, municipality_id=None, school_ids=None
) -> tuple[str, dict]:
    if school_ids is not None:
        return f"sc.id IN {_ids(school_ids)}", {}
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


# Which schools in scope count by an accepted (frozen) report of the year, and which live.
_WHO = """
SELECT sc.id, (
    SELECT MAX(s.id) FROM textbooks_submission s
    JOIN textbooks_campaign cp ON cp.id = s.campaign_id
    WHERE s.school_id = sc.id AND cp.academic_year = %(year)s AND s.frozen_at IS NOT NULL
) FROM directory_school sc WHERE {scope}
"""


def _ids(values) -> str:
    """An SQL list of integer ids, «(NULL)» when empty (matches nothing)."""
    return "(" + ", ".join(str(int(v)) for v in values) + ")" if values else "(NULL)"


def _sql(
    tail: str, live: bool, scope: dict, year: int, stored_lines: bool = True
) -> tuple[str, dict]:
    """The CTEs and `tail`. The schools in scope are first split (one small query) into those
    with an accepted report of the year, read from what it stored, and the others, computed
    from their data: both are then given to the main query as lists of ids, so that it reads
    only their rows. `live=True` ignores accepted reports (used to compute what an accepted
    report freezes); `stored_lines=False` leaves the accepted reports out of `lines` and
    `enrolled` (the summary adds their stored totals instead)."""
    where, params = _scope(**scope)
    with connection.cursor() as cursor:
        cursor.execute(_WHO.format(scope=where), {"year": year, **params})
        found = cursor.fetchall()
    frozen = [] if live else sorted(submission for _, submission in found if submission)
    live_schools = [school for school, submission in found if live or not submission]
    sql = _LINES.format(
        live=_ids(live_schools),
        frozen_lines=_FROZEN_LINES if stored_lines else "",
        frozen_enrolled=_FROZEN_ENROLLED if stored_lines else "",
    ).replace("{frozen}", _ids(frozen))
    return sql + tail.replace("{frozen}", _ids(frozen)), params


def _run(sql: str, params: dict, year: int, as_of: date) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year, "as_of": as_of, "as_of_year": as_of.year, **params})
        return cursor.fetchall()


def lines(year: int, as_of: date, *, live: bool = False, **scope) -> list[Line]:
    sql, params = _sql(
        "SELECT l.school_id, l.grade, l.subject, c.code, l.entry_id, l.pupils, l.copies, "
        "c.authors, c.title FROM lines l JOIN textbooks_catalogentry c ON c.id = l.entry_id "
        "ORDER BY l.school_id, l.grade, l.subject, c.code",
        live,
        scope,
        year,
    )
    return [
        Line(school, grade, subject, code, entry, pupils, int(copies or 0), entry_label(by, title))
        for school, grade, subject, code, entry, pupils, copies, by, title in _run(
            sql, params, year, as_of
        )
    ]


_GROUPS = {
    "school": (["school_id"], ["school_id"]),
    "subject": (["subject"], None),
    "stage": ([_STAGE], [_STAGE]),
    "grade": (["grade"], ["grade"]),
    "school_grade": (["school_id", "grade"], ["school_id", "grade"]),
    "school_subject": (["school_id", "subject"], None),
    "school_stage": (["school_id", _STAGE], ["school_id", _STAGE]),
    "all": ([], []),
}


def _aggregate(kind: str, keys: list[str]) -> str:
    """One UNION ALL part: the totals of `lines` grouped by `keys`, tagged with `kind`, keys
    padded to two columns (k0, k1) as text so every part has the same columns."""
    padded = [f"CAST({k} AS TEXT)" for k in keys] + ["NULL"] * (2 - len(keys))
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    return (
        f"SELECT '{kind}' AS kind, {padded[0]} AS k0, {padded[1]} AS k1, SUM(pupils), "
        f"SUM({_COVERED}), SUM({_SHORTAGE}), SUM({_SURPLUS}), COUNT(*), SUM(copies) "
        f"FROM lines{group}"
    )


def _enrolled(kind: str, keys: list[str]) -> str:
    padded = [f"CAST({k} AS TEXT)" for k in keys] + ["NULL"] * (2 - len(keys))
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    return (
        f"SELECT 'pupils:{kind}' AS kind, {padded[0]} AS k0, {padded[1]} AS k1, SUM(pupils), "
        f"0, 0, 0, 0, 0 FROM enrolled{group}"
    )


def _key(kind: str, raw: tuple) -> tuple:
    if kind == "all":
        return ()
    keys = _GROUPS[kind][0]
    values = []
    for name, value in zip(keys, raw, strict=False):
        values.append(int(value) if name in ("school_id", "grade") else value)
    return tuple(values)


def _collect(
    year: int, as_of: date, kinds: list[str], live: bool, scope: dict
) -> tuple[dict, dict]:
    """The sums of `kinds` ({kind: {key: [need, covered, shortage, surplus, lines, copies]}})
    and the pupils enrolled ({kind: {key: pupils}}) from the lines, in one query."""
    parts = []
    for kind in kinds:
        line_keys, pupil_keys = _GROUPS[kind]
        parts.append(_aggregate(kind, line_keys))
        if pupil_keys is not None:
            parts.append(_enrolled(kind, pupil_keys))
    sql, params = _sql(" UNION ALL ".join(parts), live, scope, year)
    return _sums(kinds, _run(sql, params, year, as_of))


def _sums(kinds: list[str], rows: list[tuple]) -> tuple[dict, dict]:
    found: dict[str, dict[tuple, list[int]]] = {kind: {} for kind in kinds}
    pupils: dict[str, dict[tuple, int]] = {kind: {} for kind in kinds}
    for tag, k0, k1, *figures in rows:
        kind = tag.split(":", 1)[-1]
        if kind not in found:
            continue
        key = _key(kind, (k0, k1))
        if tag.startswith("pupils:"):
            pupils[kind][key] = pupils[kind].get(key, 0) + int(figures[0] or 0)
        else:
            sums = found[kind].setdefault(key, [0] * 6)
            for n, value in enumerate(figures):
                sums[n] += int(value or 0)
    return found, pupils


def _totals(kinds: list[str], found: dict, pupils: dict) -> dict[str, list[Total]]:
    result = {}
    for kind in kinds:
        rows = []
        for key, (need, covered, shortage, surplus, count, copies) in found[kind].items():
            if not count:
                continue
            enrolled = pupils[kind].get(key, 0) if _GROUPS[kind][1] is not None else need
            rows.append(Total(key, need, covered, shortage, surplus, count, copies, enrolled))
        rows.sort(key=lambda t: _order(kind, t.key))
        result[kind] = rows
    return result


def _grouped(year: int, as_of: date, kinds: list[str], live: bool, scope: dict) -> dict:
    """Totals of `kinds` computed from the lines (stored lines for accepted reports)."""
    return _totals(kinds, *_collect(year, as_of, kinds, live, scope))


def _order(kind: str, key: tuple):
    if kind == "stage":
        return (STAGES.index(key[0]),)
    return key


def totals(year: int, as_of: date, by: str, *, live: bool = False, **scope) -> list[Total]:
    """Totals by "school", "subject", "stage", "grade", "school_grade", "school_subject" or
    "all". `need` is the copies needed (pupils of every line); `pupils` is enrolment (for the
    subject groupings, the pupils who learn the subject)."""
    return _grouped(year, as_of, [by], live, scope)[by]


@dataclass(frozen=True)
class SchoolRow:
    """What is stored for one school (LiveTotal, FrozenTotal): `kind` "all", "subject" or
    "stage", `key` the subject or stage ("" for all)."""

    school_id: int
    kind: str
    key: str
    need: int
    covered: int
    shortage: int
    surplus: int
    copies: int
    lines: int
    pupils: int


def school_rows(year: int, as_of: date, school_ids: list[int]) -> list[SchoolRow]:
    """The rows to store for schools computed from their current data: one "all" row per
    school (zeros when it has no lines, so that «computed, nothing to count» is stored too),
    and a row per subject and per stage — with the pupils of grades that have no lines, so
    the stored rows add up to exactly what the lines give."""
    kinds = ["school", "school_subject", "school_stage"]
    found, pupils = _collect(year, as_of, kinds, True, {"school_ids": school_ids})
    rows = []
    for school in school_ids:
        sums = found["school"].get((school,), [0] * 6)
        rows.append(
            SchoolRow(school, "all", "", *_stored(sums), pupils["school"].get((school,), 0))
        )
    for (school, subject), sums in found["school_subject"].items():
        rows.append(SchoolRow(school, "subject", subject, *_stored(sums), sums[0]))
    for key in sorted(found["school_stage"].keys() | pupils["school_stage"].keys()):
        sums = found["school_stage"].get(key, [0] * 6)
        rows.append(
            SchoolRow(key[0], "stage", key[1], *_stored(sums), pupils["school_stage"].get(key, 0))
        )
    return rows


def _stored(sums: list[int]) -> tuple[int, int, int, int, int, int]:
    need, covered, shortage, surplus, lines, copies = sums
    return need, covered, shortage, surplus, copies, lines


def _total_order(kind: str, total: Total):
    return _order(kind, total.key)


# Which schools in scope count by an accepted report of the year (its submission), and for
# the others the version of their data and whether totals of that version are stored; the
# schools' names, in natural order.
_KEPT = """
WITH catalogue AS (
    SELECT COALESCE(MAX(version), 0) AS version FROM textbooks_dataversion WHERE school_id = 0
),
frozen AS (
    SELECT s.school_id, MAX(s.id) AS id FROM textbooks_submission s
    JOIN textbooks_campaign cp ON cp.id = s.campaign_id
    WHERE cp.academic_year = %(year)s AND s.frozen_at IS NOT NULL
    GROUP BY s.school_id
),
schools AS (
    SELECT sc.id, frozen.id AS frozen, COALESCE(v.version, 0) AS version,
           sc.short_name AS name, sc.sort_name
    FROM directory_school sc
    LEFT JOIN frozen ON frozen.school_id = sc.id
    LEFT JOIN textbooks_dataversion v ON v.school_id = sc.id
    WHERE {scope}
)
SELECT s.id, s.frozen, s.version, catalogue.version, EXISTS (
    SELECT 1 FROM textbooks_livetotal t
    WHERE t.school_id = s.id AND t.academic_year = %(year)s AND t.as_of = %(as_of)s
      AND t.version = s.version AND t.catalogue_version = catalogue.version AND t.kind = 'all'
), s.name FROM schools s CROSS JOIN catalogue ORDER BY s.sort_name, s.name, s.id
"""


# The totals of the schools {versions} ((school, version) pairs) computed from their data and
# stored as LiveTotal rows by one statement (after `_LINES` with them as {live}): every figure
# is added up in the database, none travels through Python. The same rows as `school_rows`.
_KEEP = """,
versions (school_id, version) AS (VALUES {versions}),
line_sums AS (
    SELECT school_id, SUM(pupils) AS need, SUM({covered}) AS covered,
           SUM({shortage}) AS shortage, SUM({surplus}) AS surplus, SUM(copies) AS copies,
           COUNT(*) AS lines
    FROM lines GROUP BY school_id
),
stage_sums AS (
    SELECT school_id, {stage} AS stage, SUM(pupils) AS need, SUM({covered}) AS covered,
           SUM({shortage}) AS shortage, SUM({surplus}) AS surplus, SUM(copies) AS copies,
           COUNT(*) AS lines
    FROM lines GROUP BY school_id, {stage}
),
school_pupils AS (
    SELECT school_id, SUM(pupils) AS pupils FROM enrolled GROUP BY school_id
),
stage_pupils AS (
    SELECT school_id, {stage} AS stage, SUM(pupils) AS pupils FROM enrolled
    GROUP BY school_id, {stage}
)
INSERT {ignore} INTO textbooks_livetotal
    (school_id, academic_year, as_of, version, catalogue_version, kind, key, need, covered,
     shortage, surplus, copies, lines, pupils)
SELECT v.school_id, %(year)s, %(as_of)s, v.version, %(catalogue)s, 'all', '',
       COALESCE(s.need, 0), COALESCE(s.covered, 0), COALESCE(s.shortage, 0),
       COALESCE(s.surplus, 0), COALESCE(s.copies, 0), COALESCE(s.lines, 0),
       COALESCE(p.pupils, 0)
FROM versions v
LEFT JOIN line_sums s ON s.school_id = v.school_id
LEFT JOIN school_pupils p ON p.school_id = v.school_id
UNION ALL
SELECT l.school_id, %(year)s, %(as_of)s, v.version, %(catalogue)s, 'subject', l.subject,
       SUM(l.pupils), SUM({covered_l}), SUM({shortage_l}), SUM({surplus_l}), SUM(l.copies),
       COUNT(*), SUM(l.pupils)
FROM lines l JOIN versions v ON v.school_id = l.school_id
GROUP BY l.school_id, v.version, l.subject
UNION ALL
SELECT k.school_id, %(year)s, %(as_of)s, v.version, %(catalogue)s, 'stage', k.stage,
       COALESCE(s.need, 0), COALESCE(s.covered, 0), COALESCE(s.shortage, 0),
       COALESCE(s.surplus, 0), COALESCE(s.copies, 0), COALESCE(s.lines, 0),
       COALESCE(p.pupils, 0)
FROM (SELECT school_id, stage FROM stage_sums UNION SELECT school_id, stage FROM stage_pupils) k
JOIN versions v ON v.school_id = k.school_id
LEFT JOIN stage_sums s ON s.school_id = k.school_id AND s.stage = k.stage
LEFT JOIN stage_pupils p ON p.school_id = k.school_id AND p.stage = k.stage
{on_conflict}
"""


def _keep_sql(missing: list[tuple[int, int]]) -> str:
    postgresql = connection.vendor == "postgresql"
    ids = _ids(sorted(school for school, _ in missing))
    lines_sql = _LINES.format(live=ids, frozen_lines="", frozen_enrolled="")
    return lines_sql.rstrip() + _KEEP.format(
        versions=", ".join(f"({int(school)}, {int(version)})" for school, version in missing),
        covered=_COVERED,
        shortage=_SHORTAGE,
        surplus=_SURPLUS,
        covered_l=_COVERED.replace("copies", "l.copies").replace("pupils", "l.pupils"),
        shortage_l=_SHORTAGE.replace("copies", "l.copies").replace("pupils", "l.pupils"),
        surplus_l=_SURPLUS.replace("copies", "l.copies").replace("pupils", "l.pupils"),
        stage=_STAGE,
        ignore="" if postgresql else "OR IGNORE",
        on_conflict="ON CONFLICT DO NOTHING" if postgresql else "",
    )


def _keep(year: int, as_of: date, missing: list[tuple[int, int]], catalogue: int) -> None:
    """Compute and store the totals of schools whose data changed since they were last stored,
    all of them in one statement. The versions were read before the data: if the data change
    meanwhile, the rows carry the older version and are computed again on the next read —
    never trusted for newer data."""
    ids = _ids(sorted(school for school, _ in missing))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Some thousand schools' lines are sorted and grouped in memory, not on disk; the
            # statement is planned once, compiling it would cost more than it saves.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"DELETE FROM textbooks_livetotal WHERE school_id IN {ids} "
            "AND academic_year = %(year)s AND as_of = %(as_of)s",
            {"year": year, "as_of": as_of},
        )
        cursor.execute(
            _keep_sql(missing),
            {
                "year": year,
                "as_of": as_of,
                "as_of_year": as_of.year,
                "catalogue": catalogue,
            },
        )


def _pairs(kept: list[tuple[int, int]]) -> str:
    """An SQL condition: (school_id, version) is one of `kept`."""
    if not kept:
        return "1 = 0"
    by_version: dict[int, list[int]] = {}
    for school, version in kept:
        by_version.setdefault(version, []).append(school)
    return (
        "("
        + " OR ".join(
            f"(version = {int(v)} AND school_id IN {_ids(ids)})"
            for v, ids in sorted(by_version.items())
        )
        + ")"
    )


def _scope_key(scope: dict) -> str | None:
    """What StoredSummary calls a scope; None for a list of schools (not kept)."""
    for name in ("association_id", "municipality_id", "school_id"):
        if scope.get(name) is not None:
            return f"{name.removesuffix('_id')}:{int(scope[name])}"
    return None if scope.get("school_ids") is not None else "all"


def _digest(found: list[tuple]) -> str:
    """The state a summary is added up from: the federal list's version and, for every school,
    its accepted report (frozen totals also bump the school's version) and data version."""
    catalogue = found[0][3] if found else 0
    state = ";".join(
        f"{school},{frozen or 0},{version}" for school, frozen, version, *_ in sorted(found)
    )
    return hashlib.sha256(f"{catalogue}|{state}".encode()).hexdigest()


def _rows(found: list[tuple]) -> list[list]:
    return [[kind, school, key, *(int(v or 0) for v in rest)] for kind, school, key, *rest in found]


def _stored_cte(found: list[tuple]) -> str:
    """The `stored` CTE of the schools `found` (rows of _KEPT)."""
    frozen = sorted(submission for _, submission, *_rest in found if submission)
    kept = [(school, version) for school, submission, version, *_rest in found if not submission]
    return _STORED.replace("{frozen}", _ids(frozen)).replace("{kept}", _pairs(kept))


def _summed(year: int, as_of: date, found: list[tuple], scope_key: str | None) -> list[list]:
    """The stored totals added up (all, school, subject, stage rows). The sums are kept
    (StoredSummary) for the exact state they come from and read from there while it lasts."""
    from bibliomo.textbooks.models import StoredSummary

    catalogue = found[0][3] if found else 0
    params = {"year": year, "as_of": as_of, "catalogue": catalogue}
    digest = _digest(found)
    if scope_key is not None:
        held = (
            StoredSummary.objects.filter(
                scope=scope_key, academic_year=year, as_of=as_of, digest=digest
            )
            .values_list("figures", flat=True)
            .first()
        )
        if held is not None:
            return held
    with connection.cursor() as cursor:
        cursor.execute(_stored_cte(found) + _SUMS_PART, params)
        rows = _rows(cursor.fetchall())
    if scope_key is not None:
        with transaction.atomic(), connection.cursor() as cursor:
            # The older sums and the pages made from them: two statements, whatever they hold.
            held_by = (
                "FROM textbooks_storedsummary WHERE scope = %(scope)s "
                "AND academic_year = %(year)s AND as_of = %(as_of)s"
            )
            where: dict[str, str | int | date] = {
                "scope": scope_key,
                "year": year,
                "as_of": as_of,
            }
            cursor.execute(
                f"DELETE FROM textbooks_summarypage WHERE summary_id IN (SELECT id {held_by})",
                where,
            )
            cursor.execute(f"DELETE {held_by}", where)
            StoredSummary.objects.bulk_create(
                [
                    StoredSummary(
                        scope=scope_key,
                        academic_year=year,
                        as_of=as_of,
                        digest=digest,
                        figures=rows,
                    )
                ],
                ignore_conflicts=True,
            )
    return rows


def _fresh(year: int, as_of: date, scope: dict) -> tuple[list[tuple], int]:
    """The schools in scope as _KEPT reads them, after computing and storing the totals of
    those whose data changed since; and how many those were."""
    where, params = _scope(**scope)
    with connection.cursor() as cursor:
        cursor.execute(_KEPT.format(scope=where), {"year": year, "as_of": as_of, **params})
        found = cursor.fetchall()
    missing = [
        (school, version)
        for school, submission, version, _c, exists, _name in found
        if not submission and not exists
    ]
    if missing:
        _keep(year, as_of, missing, found[0][3])
    return found, len(missing)


def keep_fresh(year: int, as_of: date, **scope) -> int:
    """Compute and store now, ahead of the next reader, the totals of the schools in scope
    whose data changed (what the next summary would otherwise compute first); how many."""
    return _fresh(year, as_of, scope)[1]


def _summary_totals(rows: list[list]) -> dict[str, list[Total]]:
    totals: dict[str, list[Total]] = {
        kind: [] for kind in ("all", "school", "subject", "stage", "school_subject")
    }
    for kind, school, key, *sums, pupils in rows:
        need, covered, shortage, surplus, count, copies = sums
        if not count:
            continue  # no lines: no percent (its pupils are in the totals all the same)
        if kind == "school":
            found_key: tuple = (school,)
        elif kind == "school_subject":
            found_key = (school, key)
        else:
            found_key = () if kind == "all" else (key,)
        if kind in ("subject", "school_subject"):
            pupils = need  # pupils who learn the subject: one copy each
        totals[kind].append(
            Total(found_key, need, covered, shortage, surplus, count, copies, pupils)
        )
    for kind, found_rows in totals.items():
        found_rows.sort(key=functools.partial(_total_order, kind))
    return totals


def summary_state(year: int, as_of: date, **scope) -> list[tuple]:
    """The state a summary of the scope is added up from, its stored rows made current first:
    for every school in natural order (school, accepted report, data version, list version,
    stored, name). `Summary.digest` and `state_digest` name it."""
    return _fresh(year, as_of, scope)[0]


def state_digest(state: list[tuple]) -> str:
    return _digest(state)


def summary(year: int, as_of: date, *, state: list[tuple] | None = None, **scope) -> Summary:
    """The summary's totals (all, by school, by subject, by stage) from stored rows: accepted
    reports' frozen totals and the other schools' totals kept for their current data (computed
    first for schools whose data changed, all in one statement). A fixed number of queries at
    any size; `school_subjects` adds some schools' totals by subject. `state`: what
    `summary_state` just read for the same scope (saves reading it again)."""
    found = state if state is not None else _fresh(year, as_of, scope)[0]
    totals = _summary_totals(_summed(year, as_of, found, _scope_key(scope)))
    return Summary(
        total=totals["all"][0] if totals["all"] else None,
        by_school=totals["school"],
        by_subject=totals["subject"],
        by_stage=totals["stage"],
        state=found,
        year=year,
        as_of=as_of,
    )


def school_subjects(figures: Summary, school_ids: list[int]) -> list[Total]:
    """The totals by subject of the schools `school_ids` of a summary (keys (school, subject)),
    from the same stored rows as its totals: one query, whatever the number of schools."""
    if not school_ids:
        return []
    wanted = set(school_ids)
    on_page = [row for row in figures.state if row[0] in wanted]
    catalogue = figures.state[0][3] if figures.state else 0
    params = {"year": figures.year, "as_of": figures.as_of, "catalogue": catalogue}
    with connection.cursor() as cursor:
        cursor.execute(
            _stored_cte(on_page) + _PAGE_PART.replace("{page}", _ids(sorted(wanted))), params
        )
        rows = _rows(cursor.fetchall())
    return _summary_totals(rows)["school_subject"]


def stored_page(year: int, as_of: date, state: list[tuple], key: str, **scope) -> dict | None:
    """The stored parts of a summary's page `key` made from the totals of exactly `state`."""
    from bibliomo.textbooks.models import SummaryPage

    return (
        SummaryPage.objects.filter(
            summary__scope=_scope_key(scope),
            summary__academic_year=year,
            summary__as_of=as_of,
            summary__digest=_digest(state),
            key=key,
        )
        .values_list("parts", flat=True)
        .first()
    )


def keep_page(year: int, as_of: date, state: list[tuple], key: str, parts: dict, **scope) -> None:
    """Store the parts of a summary's page made from the totals of `state`, with those totals
    (deleted with them when the state changes); nothing when they are no longer stored."""
    from bibliomo.textbooks.models import StoredSummary, SummaryPage

    held = (
        StoredSummary.objects.filter(
            scope=_scope_key(scope), academic_year=year, as_of=as_of, digest=_digest(state)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if held is not None:
        SummaryPage.objects.bulk_create(
            [SummaryPage(summary_id=held, key=key, parts=parts)], ignore_conflicts=True
        )
