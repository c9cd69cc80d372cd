"""Provision figures as spreadsheets: the lines, the municipal summary, the regional form.

Every sheet is a paper a methodist signs: a heading (who, the academic year, «по состоянию на»),
the table with its header row repeated on every printed page, a totals row, «Исполнитель» with
name, phone and date; landscape, fitted to the page width; columns as wide as their text. User
text (school names, titles) is always stored as text, never as a formula.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from bibliomo.directory.models import Person
from bibliomo.lib import ru
from bibliomo.lib.xlsx import new_book
from bibliomo.textbooks import provision
from bibliomo.textbooks.models import Holding, WriteOff

LINE_COLUMNS = [
    "Школа",
    "Класс",
    "Предмет",
    "Код учебника",
    "Учебник",
    "Обучающихся",
    "Экземпляров",
    "Обеспеченность, %",
    "Нехватка",
    "Излишек",
]


@dataclass(frozen=True)
class Heading:
    """What heads every sheet and who signs it."""

    title: str  # «Обеспеченность учебниками: ММО …»
    municipality: str
    year: int
    as_of: date
    executor: str = ""  # «И.О. Фамилия»
    phone: str = ""
    made_on: date | None = None

    @classmethod
    def of(
        cls, title: str, association, year: int, as_of: date, person: Person | None = None
    ) -> Heading:
        name, phone = "", ""
        if person is not None and person.last_name:
            name = ru.initials_first(person.last_name, person.first_name, person.patronymic)
            phone = person.phone
        municipality = association.municipality.name if association is not None else ""
        return cls(title, municipality, year, as_of, name, phone, timezone.localdate())


def _percent(value) -> float | str:
    return round(value, 1) if value is not None else "нет данных"


def _sorted_lines(lines, schools: dict[int, str]):
    return sorted(
        lines,
        key=lambda x: (
            ru.natural_key(schools.get(x.school_id, "")),
            x.school_id,
            x.grade,
            x.subject,
            x.code,
        ),
    )


def line_rows(lines, schools: dict[int, str]) -> list[list]:
    return [
        [
            schools.get(line.school_id, str(line.school_id)),
            line.grade,
            line.subject,
            line.code,
            line.title,
            line.pupils,
            line.copies,
            _percent(line.percent),
            line.shortage,
            line.surplus,
        ]
        for line in _sorted_lines(lines, schools)
    ]


def line_total(lines) -> list:
    need = sum(x.pupils for x in lines)
    covered = sum(min(x.pupils, x.copies) for x in lines)
    return [
        "Итого",
        "",
        "",
        "",
        "",
        need,
        sum(x.copies for x in lines),
        _percent(100.0 * covered / need if need else None),
        sum(x.shortage for x in lines),
        sum(x.surplus for x in lines),
    ]


def _width(value) -> int:
    if isinstance(value, float):
        text = f"{value:.1f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return max((len(part) for part in text.split("\n")), default=0)


def _sheet(
    book,
    head,
    name: str,
    columns: list[str],
    rows: list[list],
    heading: Heading | None = None,
    total: list | None = None,
) -> None:
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    cell = book.add_format({"border": 1, "valign": "top"})
    number = book.add_format({"border": 1, "valign": "top", "num_format": "#,##0"})
    decimal = book.add_format({"border": 1, "valign": "top", "num_format": "0.0"})
    total_cell = book.add_format({"border": 1, "bold": True, "num_format": "#,##0"})
    total_decimal = book.add_format({"border": 1, "bold": True, "num_format": "0.0"})
    top = 0
    if heading is not None:
        sheet.write_string(0, 0, heading.title, title)
        subtitle = (
            f"{heading.municipality}, {ru.format_academic_year(heading.year)} учебный год, "
            f"по состоянию на {ru.format_date(heading.as_of)}"
        ).lstrip(", ")
        sheet.write_string(1, 0, subtitle)
        top = 3
    sheet.write_row(top, 0, columns, head)
    sheet.freeze_panes(top + 1, 0)

    def put(row_number, values, fmt_text, fmt_int, fmt_float):
        for column, value in enumerate(values):
            if isinstance(value, bool) or value is None:
                sheet.write_string(
                    row_number, column, "" if value is None else str(value), fmt_text
                )
            elif isinstance(value, int):
                sheet.write_number(row_number, column, value, fmt_int)
            elif isinstance(value, float):
                sheet.write_number(row_number, column, value, fmt_float)
            else:
                sheet.write_string(row_number, column, str(value), fmt_text)

    for offset, row in enumerate(rows, start=1):
        put(top + offset, row, cell, number, decimal)
    last = top + len(rows)
    if rows:
        sheet.autofilter(top, 0, last, len(columns) - 1)
    if total is not None:
        last += 1
        put(last, total, total_cell, total_cell, total_decimal)
    if heading is not None:
        made_on = ru.format_date(heading.made_on) if heading.made_on else ""
        executor = ", ".join(
            part
            for part in (
                heading.executor or "____________",
                f"тел. {heading.phone}" if heading.phone else "тел. ____________",
                made_on,
            )
            if part
        )
        sheet.write_string(last + 2, 0, "Исполнитель:", bold)
        sheet.write_string(last + 2, 1, executor)
    # Columns as wide as their longest text (the header wraps over two lines at most).
    for column, label in enumerate(columns):
        longest = max(
            [_width(row[column]) for row in rows if column < len(row)]
            + [_width(total[column]) if total is not None and column < len(total) else 0]
            + [(len(label) + 1) // 2 + 1, 6]
        )
        sheet.set_column(column, column, min(longest + 2, 60))
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # the width of one page, as many pages down as needed
    sheet.repeat_rows(top)
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&CСтраница &P из &N")


def provision_xlsx(
    year: int, as_of, schools: dict[int, str], heading: Heading | None = None, **scope
) -> bytes:
    buffer, book, head = new_book()
    lines = provision.lines(year, as_of, **scope)
    _sheet(
        book,
        head,
        "Линии",
        LINE_COLUMNS,
        line_rows(lines, schools),
        heading,
        line_total(lines) if lines else None,
    )
    summary = provision.summary(year, as_of, **scope)
    by_school = sorted(
        summary.by_school, key=lambda t: ru.natural_key(schools.get(t.key[0], str(t.key[0])))
    )
    groups = (
        ("По школам", by_school, "Школа", True),
        ("По предметам", summary.by_subject, "Предмет", False),
        ("По ступеням", summary.by_stage, "Классы", True),
    )
    for name, totals, label, with_pupils in groups:
        columns = [label]
        columns += (
            ["Обучающихся", "Нужно учебников, экз."] if with_pupils else ["Обучающихся (экз.)"]
        )
        columns += ["Экземпляров", "Обеспеченность, %", "Нехватка", "Излишек"]

        def figures(t, first, with_pupils=with_pupils):
            row = [first]
            row += [t.pupils or 0, t.need] if with_pupils else [t.need]
            row += [t.copies, _percent(t.percent), t.shortage, t.surplus]
            return row

        rows = [
            figures(t, schools.get(t.key[0], str(t.key[0])) if name == "По школам" else t.key[0])
            for t in totals
        ]
        _sheet(
            book,
            head,
            name,
            columns,
            rows,
            heading,
            figures(summary.total, "Итого") if summary.total else None,
        )
    book.close()
    return buffer.getvalue()


REASONS = {
    "loss": "утеря",
    "damage": "порча",
    "limit_date": "истёк срок использования",
    "other": "другое",
}


def regional_form_xlsx(year: int, as_of, association, heading: Heading | None = None) -> bytes:
    """The form the region asks of a municipality: per subject and grade, pupils now and next
    year, copies in stock, extra need and its reason; and write-offs by reason."""
    schools = association.schools.all()
    lines = provision.lines(year, as_of, association_id=association.pk)
    pupils_now = defaultdict(int)
    for grade_total in provision.totals(year, as_of, "grade", association_id=association.pk):
        pupils_now[grade_total.key[0]] = grade_total.pupils or 0
    # Cohorts move up a grade; the first-grade intake is forecast as this year's first grade.
    forecast = {
        grade: pupils_now.get(grade - 1, 0) if grade > 1 else pupils_now.get(1, 0)
        for grade in range(1, 12)
    }
    stock: defaultdict[tuple[str, int], int] = defaultdict(int)
    demand: defaultdict[tuple[str, int], int] = defaultdict(int)
    for line in lines:
        stock[(line.subject, line.grade)] += line.copies
        demand[(line.subject, line.grade)] += line.pupils
    unusable = {
        (row["entry__subject"], row["entry__grade_from"]): (row["damaged"] or 0)
        + (row["lost"] or 0)
        for row in Holding.objects.filter(school__in=schools)
        .values("entry__subject", "entry__grade_from")
        .annotate(damaged=Sum("damaged"), lost=Sum("lost"))
    }
    rows: list[list[Any]] = []
    for subject, grade in sorted(stock.keys() | demand.keys()):
        share = demand[(subject, grade)] / pupils_now[grade] if pupils_now.get(grade) else 1
        need_next = round(forecast.get(grade, 0) * share)
        extra = max(0, need_next - stock[(subject, grade)])
        if not extra:
            reason = ""
        elif need_next > demand[(subject, grade)]:
            reason = "увеличение контингента"
        elif unusable.get((subject, grade)):
            reason = "утеря / порча"
        else:
            reason = "другое"
        rows.append(
            [
                subject,
                grade,
                demand[(subject, grade)],
                need_next,
                stock[(subject, grade)],
                extra,
                reason,
            ]
        )
    total = [
        "Итого",
        "",
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
        sum(r[5] for r in rows),
        "",
    ]
    buffer, book, head = new_book()
    _sheet(
        book,
        head,
        "Потребность",
        [
            "Предмет",
            "Класс",
            f"Обучающихся {ru.format_academic_year(year)}",
            f"Прогноз {ru.format_academic_year(year + 1)}",
            "Экземпляров в фонде",
            "Дополнительная потребность",
            "Причина",
        ],
        rows,
        heading,
        total if rows else None,
    )
    write_offs = list(
        WriteOff.objects.filter(school__in=schools, act_date__lte=as_of)
        .values("reason")
        .annotate(n=Sum("copies"))
        .order_by("reason")
    )
    reason_rows = [[REASONS.get(row["reason"], row["reason"]), row["n"]] for row in write_offs]
    _sheet(
        book,
        head,
        "Списание",
        ["Причина", "Экземпляров"],
        reason_rows,
        heading,
        ["Итого", sum(r[1] for r in reason_rows)] if reason_rows else None,
    )
    book.close()
    return buffer.getvalue()
