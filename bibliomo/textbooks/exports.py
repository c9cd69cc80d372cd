"""Provision figures as spreadsheets: the lines, the municipal summary, the regional form."""

from __future__ import annotations

import io
from collections import defaultdict

import xlsxwriter
from django.db.models import Sum

from bibliomo.textbooks import provision
from bibliomo.textbooks.models import Enrolment, Holding, WriteOff

LINE_COLUMNS = [
    "Школа",
    "Класс",
    "Предмет",
    "Код учебника",
    "Обучающихся",
    "Экземпляров",
    "Обеспеченность, %",
    "Нехватка",
    "Излишек",
]


def line_rows(lines, schools: dict[int, str]) -> list[list]:
    return [
        [
            schools.get(line.school_id, str(line.school_id)),
            line.grade,
            line.subject,
            line.code,
            line.pupils,
            round(line.copies),
            round(line.percent, 1) if line.percent is not None else "нет данных",
            line.shortage,
            line.surplus,
        ]
        for line in lines
    ]


def new_book():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    return buffer, book, head


def _sheet(book, head, name: str, columns: list[str], rows: list[list]) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, columns, head)
    sheet.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    sheet.set_column(0, len(columns) - 1, 16)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def provision_xlsx(year: int, as_of, schools: dict[int, str], **scope) -> bytes:
    buffer, book, head = new_book()
    lines = provision.lines(year, as_of, **scope)
    _sheet(book, head, "Линии", LINE_COLUMNS, line_rows(lines, schools))
    for name, by, label in (
        ("По школам", "school", "Школа"),
        ("По предметам", "subject", "Предмет"),
        ("По ступеням", "stage", "Классы"),
    ):
        rows = [
            [
                schools.get(t.key[0], t.key[0]) if by == "school" else t.key[0],
                t.pupils,
                round(t.percent, 1) if t.percent is not None else "нет данных",
                round(t.shortage),
                round(t.surplus),
            ]
            for t in provision.totals(year, as_of, by, **scope)
        ]
        _sheet(
            book,
            head,
            name,
            [label, "Обучающихся", "Обеспеченность, %", "Нехватка", "Излишек"],
            rows,
        )
    book.close()
    return buffer.getvalue()


REASONS = {
    "loss": "утеря",
    "damage": "порча",
    "limit_date": "истёк срок использования",
    "other": "другое",
}


def regional_form_xlsx(year: int, as_of, association) -> bytes:
    """The form the region asks of a municipality: per subject and grade, pupils now and next
    year, copies in stock, extra need and its reason; and write-offs by reason."""
    schools = association.schools.all()
    lines = provision.lines(year, as_of, association_id=association.pk)
    pupils_now = defaultdict(int)
    for row in (
        Enrolment.objects.filter(school__in=schools, academic_year=year)
        .values("grade")
        .annotate(n=Sum("pupils"))
    ):
        pupils_now[row["grade"]] = row["n"]
    # Cohorts move up a grade; the first-grade intake is forecast as this year's first grade.
    forecast = {
        grade: pupils_now.get(grade - 1, 0) if grade > 1 else pupils_now.get(1, 0)
        for grade in range(1, 12)
    }
    stock = defaultdict(float)
    demand = defaultdict(int)
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
    rows = []
    for subject, grade in sorted(stock.keys() | demand.keys()):
        share = demand[(subject, grade)] / pupils_now[grade] if pupils_now.get(grade) else 1
        need_next = round(forecast.get(grade, 0) * share)
        extra = max(0, need_next - round(stock[(subject, grade)]))
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
                round(stock[(subject, grade)]),
                extra,
                reason,
            ]
        )
    buffer, book, head = new_book()
    _sheet(
        book,
        head,
        "Потребность",
        [
            "Предмет",
            "Класс",
            f"Обучающихся {year}/{year + 1}",
            f"Прогноз {year + 1}/{year + 2}",
            "Экземпляров в фонде",
            "Дополнительная потребность",
            "Причина",
        ],
        rows,
    )
    write_offs = (
        WriteOff.objects.filter(school__in=schools).values("reason").annotate(n=Sum("copies"))
    )
    _sheet(
        book,
        head,
        "Списание",
        ["Причина", "Экземпляров"],
        [[REASONS.get(row["reason"], row["reason"]), row["n"]] for row in write_offs],
    )
    book.close()
    return buffer.getvalue()
