"""The order as files: the consolidated order by publisher and title, each school's order."""

from __future__ import annotations

import io
from collections import defaultdict

import docx
from django.db.models import Sum
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bibliomo.exchange.models import Order, OrderLine, SchoolOrder
from bibliomo.lib import ru
from bibliomo.lib.documents import setup_a4
from bibliomo.textbooks.exports import new_book

SCHOOL_COLUMNS = [
    "Класс",
    "Предмет",
    "Код в перечне",
    "Учебник",
    "Издатель",
    "Учеников сейчас",
    "Прогноз учеников",
    "Годных экз. на следующий год",
    "Выбывает по износу",
    "Выбывает по предельному сроку",
    "Ожидается по обмену",
    "Потребность",
    "Заказать",
    "Причины",
    "Примечание",
]


def consolidated(order: Order) -> list[dict]:
    """Copies per title over the accepted (or all, before consolidation) school orders."""
    lines = OrderLine.objects.filter(school_order__order=order, copies__gt=0)
    if order.status == Order.Status.CONSOLIDATED:
        lines = lines.filter(school_order__status=SchoolOrder.Status.ACCEPTED)
    rows = (
        lines.values(
            "entry_id",
            "entry__publisher",
            "entry__code",
            "entry__title",
            "entry__authors",
            "entry__subject",
            "entry__grade_from",
            "entry__grade_to",
        )
        .annotate(copies=Sum("copies"))
        .order_by("entry__publisher", "entry__subject", "entry__code")
    )
    return list(rows)


def by_school(order: Order) -> dict[int, dict[int, int]]:
    """entry id → school id → copies."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        OrderLine.objects.filter(school_order__order=order, copies__gt=0)
        .values("entry_id", "school_order__school_id")
        .annotate(copies=Sum("copies"))
    )
    for row in rows:
        found[row["entry_id"]][row["school_order__school_id"]] = row["copies"]
    return found


def _grades(row) -> str:
    a, b = row["entry__grade_from"], row["entry__grade_to"]
    return str(a) if a == b else f"{a}–{b}"


def consolidated_xlsx(order: Order) -> bytes:
    rows = consolidated(order)
    schools = list(order.schools.select_related("school").order_by("school__short_name"))
    per_school = by_school(order)
    buffer, book, head = new_book()
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Сводный заказ")
    sheet.write(0, 0, f"Сводный заказ учебников на {order.academic_year_label} учебный год", bold)
    sheet.write(1, 0, order.association.name)
    columns = ["Издатель", "Код в перечне", "Предмет", "Класс", "Авторы", "Название", "Всего экз."]
    columns += [so.school.short_name for so in schools]
    sheet.write_row(3, 0, columns, head)
    sheet.freeze_panes(4, 2)
    number = 4
    publisher = None
    subtotal = 0
    for row in rows:
        if publisher is not None and row["entry__publisher"] != publisher:
            sheet.write_row(number, 0, [f"Итого: {publisher or 'издатель не указан'}"], bold)
            sheet.write(number, 6, subtotal, bold)
            number += 1
            subtotal = 0
        publisher = row["entry__publisher"]
        subtotal += row["copies"]
        values = [
            row["entry__publisher"],
            row["entry__code"],
            row["entry__subject"],
            _grades(row),
            row["entry__authors"],
            row["entry__title"],
            row["copies"],
        ] + [per_school.get(row["entry_id"], {}).get(so.school_id, "") for so in schools]
        sheet.write_row(number, 0, values)
        number += 1
    if publisher is not None:
        sheet.write_row(number, 0, [f"Итого: {publisher or 'издатель не указан'}"], bold)
        sheet.write(number, 6, subtotal, bold)
        number += 1
    sheet.write(number, 0, "Всего по округу", bold)
    sheet.write(number, 6, sum(row["copies"] for row in rows), bold)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 20)
    sheet.set_column(4, 5, 34)
    sheet.set_column(6, 6 + len(schools), 10)
    book.close()
    return buffer.getvalue()


def school_rows(school_order: SchoolOrder) -> list[list]:
    lines = school_order.lines.select_related("entry").order_by("grade", "entry__subject")
    return [
        [
            line.grade,
            line.entry.subject,
            line.entry.code,
            line.entry.title,
            line.entry.publisher,
            line.pupils_now,
            line.forecast,
            line.usable,
            line.worn,
            line.expiring,
            line.from_exchange,
            line.need,
            line.copies,
            "; ".join(line.reason_labels),
            line.note,
        ]
        for line in lines
    ]


def school_xlsx(school_order: SchoolOrder) -> bytes:
    buffer, book, head = new_book()
    sheet = book.add_worksheet("Заказ школы")
    bold = book.add_format({"bold": True})
    sheet.write(
        0,
        0,
        f"Заказ учебников на {school_order.order.academic_year_label} учебный год: "
        f"{school_order.school.full_name}",
        bold,
    )
    rows = school_rows(school_order)
    sheet.write_row(2, 0, SCHOOL_COLUMNS, head)
    for number, row in enumerate(rows, start=3):
        sheet.write_row(number, 0, row)
    sheet.write(len(rows) + 3, 0, "Итого заказать", bold)
    sheet.write(len(rows) + 3, 12, sum(row[12] for row in rows), bold)
    sheet.freeze_panes(3, 0)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 2, 16)
    sheet.set_column(3, 4, 30)
    sheet.set_column(5, 12, 11)
    sheet.set_column(13, 14, 30)
    book.close()
    return buffer.getvalue()


def school_docx(school_order: SchoolOrder) -> bytes:
    document = docx.Document()
    setup_a4(document, size=11)
    for section in document.sections:  # a wide table: landscape
        section.page_width, section.page_height = section.page_height, section.page_width
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(
        f"Заказ учебников на {school_order.order.academic_year_label} учебный год"
    ).bold = True
    document.add_paragraph(school_order.school.full_name).alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [row for row in school_rows(school_order) if row[12]]
    total = sum(row[12] for row in lines)
    document.add_paragraph(
        f"Заказывается {total} {ru.plural_form(total, 'экземпляр', 'экземпляра', 'экземпляров')} "
        f"по {len(lines)} {ru.plural_form(len(lines), 'позиции', 'позициям', 'позициям')}. "
        "Расчёт: прогноз учеников − годные экземпляры на следующий год − ожидаемое по обмену."
    )
    columns = [
        "Класс",
        "Код",
        "Учебник, издатель",
        "Прогноз",
        "Годных",
        "По обмену",
        "Заказать",
        "Причины",
    ]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in lines:
        cells = table.add_row().cells
        values = [
            str(row[0]),
            row[2],
            f"{row[3]} ({row[4]})" if row[4] else row[3],
            str(row[6]),
            str(row[7]),
            str(row[10]),
            str(row[12]),
            row[13] + (f". {row[14]}" if row[14] else ""),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    document.add_paragraph()
    document.add_paragraph(
        f"Директор ____________ / {school_order.school.director or '________________'}"
    )
    document.add_paragraph("Педагог-библиотекарь ____________ / ________________")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
