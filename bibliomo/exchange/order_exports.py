"""The order as files: the consolidated order by publisher and title, each school's order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Sum
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from bibliomo.directory.selectors import school_library_signatories
from bibliomo.exchange.models import Order, OrderLine, SchoolOrder
from bibliomo.lib import names, paper, ru
from bibliomo.lib.xlsx import new_book

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


def _rows_of_column(first: int, last: int) -> Callable[[str], str]:
    """A column letter → the cells of these rows in it («G5:G9»)."""
    return lambda letter: f"{letter}{first}:{letter}{last}"


def consolidated(order: Order) -> list[dict[str, Any]]:
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
    return [dict(row) for row in rows]


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
    """The order by publisher and title, a column per school, totals as formulas.

    Every total is a SUM over the rows above it, so a methodist who corrects a figure by hand
    sees the totals follow; the cached values are written too, for readers that do not
    calculate. Grades are text («5–9» is not a number, and «5» must not become 5.0).
    """
    rows = consolidated(order)
    schools = list(order.schools.select_related("school").order_by("school__sort_name"))
    per_school = by_school(order)
    buffer, book, head = new_book()
    title = book.add_format({"bold": True, "font_size": 13})
    text = book.add_format({"valign": "top", "text_wrap": True})
    number = book.add_format({"valign": "top"})
    total_text = book.add_format({"bold": True, "top": 1})
    total_number = book.add_format({"bold": True, "top": 1})
    sheet = book.add_worksheet("Сводный заказ")
    sheet.write_string(
        0, 0, f"Сводный заказ учебников на {order.academic_year_label} учебный год", title
    )
    sheet.write_string(1, 0, order.association.name)
    columns = ["Издатель", "Код в перечне", "Предмет", "Класс", "Авторы", "Название", "Всего экз."]
    columns += [so.school.short_name for so in schools]
    header_row = 3
    for col, heading in enumerate(columns):
        sheet.write_string(header_row, col, heading, head)
    sheet.freeze_panes(header_row + 1, 2)
    first_school_col, last_col = 7, 6 + len(schools)
    row_index = header_row + 1
    subtotal_rows: list[int] = []  # one per publisher, for the grand total

    def write_totals(label: str, cells: Callable[[str], str], values: list[int]) -> None:
        nonlocal row_index
        sheet.write_string(row_index, 0, label, total_text)
        for col in range(1, 6):
            sheet.write_blank(row_index, col, None, total_text)
        for offset, col in enumerate(range(6, last_col + 1)):
            formula = f"=SUM({cells(xl_col_to_name(col))})"
            sheet.write_formula(row_index, col, formula, total_number, values[offset])
        row_index += 1

    def sums(data: list[dict]) -> list[int]:
        found = [sum(r["copies"] for r in data)]
        for so in schools:
            found.append(sum(per_school.get(r["entry_id"], {}).get(so.school_id, 0) for r in data))
        return found

    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["entry__publisher"], []).append(row)
    for publisher, group in groups.items():
        group_start = row_index
        for row in group:
            sheet.write_string(row_index, 0, row["entry__publisher"], text)
            sheet.write_string(row_index, 1, row["entry__code"], text)
            sheet.write_string(row_index, 2, row["entry__subject"], text)
            sheet.write_string(row_index, 3, _grades(row), text)
            sheet.write_string(row_index, 4, row["entry__authors"], text)
            sheet.write_string(row_index, 5, row["entry__title"], text)
            copies = [per_school.get(row["entry_id"], {}).get(so.school_id) for so in schools]
            if schools:
                first = xl_rowcol_to_cell(row_index, first_school_col)
                last = xl_rowcol_to_cell(row_index, last_col)
                sheet.write_formula(row_index, 6, f"=SUM({first}:{last})", number, row["copies"])
            else:
                sheet.write_number(row_index, 6, row["copies"], number)
            for offset, value in enumerate(copies):
                if value:
                    sheet.write_number(row_index, first_school_col + offset, value, number)
            row_index += 1
        first_row, last_row = group_start + 1, row_index  # 1-based, as Excel counts
        subtotal_rows.append(row_index)
        write_totals(
            f"Итого: {publisher or 'издатель не указан'}",
            _rows_of_column(first_row, last_row),
            sums(group),
        )
    write_totals(
        "Всего по округу",
        lambda letter: ",".join(f"{letter}{r + 1}" for r in subtotal_rows) or "0",
        sums(rows),
    )
    sheet.set_column(0, 0, 24, text)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 20)
    sheet.set_column(3, 3, 7)
    sheet.set_column(4, 4, 26)
    sheet.set_column(5, 5, 40)
    sheet.set_column(6, last_col, 11)
    sheet.set_row(header_row, 32)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # the width of one page, as many pages down as it takes
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&CСтраница &P из &N")
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


SCHOOL_DOCX_COLUMNS = [
    paper.Column("Класс", 1.6, paper.CENTER),
    paper.Column("Код в перечне", 2.6, paper.CENTER),
    paper.Column("Учебник, издатель", 8.0),
    paper.Column("Прогноз учеников", 2.1, paper.CENTER),
    paper.Column("Годных экз.", 1.9, paper.CENTER),
    paper.Column("По обмену", 1.9, paper.CENTER),
    paper.Column("Заказать", 2.0, paper.CENTER),
    paper.Column("Причины, примечание", 6.5),
]


def school_docx(school_order: SchoolOrder) -> bytes:
    school = school_order.school
    order = school_order.order
    document = paper.Paper(
        title=f"Заказ учебников на {order.academic_year_label} учебный год: {school.short_name}",
        author=order.association.name,
        size=11,
        landscape=True,  # eight columns: a landscape page keeps the words whole
    )
    document.title(
        f"Заказ учебников на {order.academic_year_label} учебный год",
        school.full_name,
        size=13,
    )
    lines = [row for row in school_rows(school_order) if row[12]]
    total = sum(row[12] for row in lines)
    document.paragraph(
        f"Заказывается {total} {ru.plural_form(total, 'экземпляр', 'экземпляра', 'экземпляров')} "
        f"по {len(lines)} {ru.plural_form(len(lines), 'позиции', 'позициям', 'позициям')}. "
        "Расчёт: прогноз учеников − годные экземпляры на следующий год − ожидаемое по обмену.",
        align=paper.JUSTIFY,
        after=6,
    )
    rows = [
        (
            str(row[0]),
            row[2],
            f"{row[3]} ({row[4]})" if row[4] else row[3],
            str(row[6]),
            str(row[7]),
            str(row[10]),
            str(row[12]),
            ru.join_sentences(row[13], row[14]),
        )
        for row in lines
    ]
    rows.append(("", "", "Итого", "", "", "", str(total), ""))
    document.table(SCHOOL_DOCX_COLUMNS, rows, size=10.5, bold_rows=[len(rows) - 1])
    signatures = [paper.Signature("Директор", names.signature_name(school.director))]
    signatures += [
        paper.Signature(position, names.signature_name(person.full_name))
        for position, person in school_library_signatories(school)
    ] or [paper.Signature("Педагог-библиотекарь", "")]
    document.signatures(signatures)
    return document.to_bytes()
