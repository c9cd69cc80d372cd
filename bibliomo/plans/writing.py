"""Writing a work plan in the association's official Word layout.

A4 portrait, Times New Roman, the «УТВЕРЖДАЮ» block in the top right corner, a centred bold
title, the theme, goal and tasks, the activity table with its header repeated on every page,
and the signatures at the end. `reading.read_plan` reads the result back into an equal
`PlanDocument`, which is what lets a plan be edited in the system and in Word in turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from bibliomo.lib.paper import Paper
from bibliomo.lib.ru import MONTHS_GENITIVE, format_academic_year
from bibliomo.plans.document import Activity, Approval, PlanDocument, Signatory

FONT_NAME = "Times New Roman"
TEXT_SIZE = Pt(14)
TABLE_TEXT_SIZE = Pt(12)
APPROVAL_INDENT = Cm(10)  # the approval block sits in the right-hand part of the page

PLAN_COLUMNS = ("Содержание деятельности", "Сроки", "Ответственный")
STATUS_COLUMN = "Отметка о выполнении"
# 16.5 cm in all: the width of A4 between the margins. «Ответственный» is wide enough for
# «Методист, руководитель ММО, члены ММО» in two lines.
_WIDTHS = (Cm(8.5), Cm(3), Cm(5))
_WIDTHS_WITH_STATUS = (Cm(6.5), Cm(2.5), Cm(4), Cm(3.5))
_SIGNATURE_WIDTHS = (Cm(11), Cm(5.5))
_SIGNATURE_LINE = "________"


def write_plan_docx(
    plan: PlanDocument, *, with_status_column: bool = False, author: str = ""
) -> bytes:
    """The plan as a .docx file; `author` (the association) goes into its properties.

    With `with_status_column` the table gets a fourth column, «Отметка о выполнении», filled
    from each activity's `status_note`; without it the notes are left out of the document.
    """
    sheet = Paper(
        title=f"План работы ММО на {plan.academic_year_label} учебный год",
        author=author or "Методическое объединение",
        size=TEXT_SIZE.pt,
    )
    document = sheet.document

    if not plan.approval.is_empty:
        _add_approval(document, plan.approval)
    _add_title(document, plan)
    _add_statement(document, "Методическая тема:", plan.theme)
    _add_statement(document, "Цель:", plan.goal)
    _add_tasks(document, plan.tasks)
    _add_activity_table(document, plan, with_status_column)
    _add_signatures(document, plan.signatories)
    return sheet.to_bytes()


# --- before the table -----------------------------------------------------------------------


def _add_approval(document: WordDocument, approval: Approval) -> None:
    lines = ["УТВЕРЖДАЮ", approval.position, f"{_SIGNATURE_LINE} {approval.approver}".strip()]
    lines.append(_approval_date_line(approval))
    for line in filter(None, lines):
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.left_indent = APPROVAL_INDENT
    document.add_paragraph()


def _approval_date_line(approval: Approval) -> str:
    """«02» сентября 2024 г. once signed; a blank «___» ________ 2024 г. to sign by hand."""
    day = approval.approved_on
    if day is not None:
        return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."
    return f"«___» ________ {approval.year or '20___'} г."


def _add_title(document: WordDocument, plan: PlanDocument) -> None:
    start = plan.academic_year_start
    names_the_year = re.compile(rf"{start}\s*[-–—/]\s*(?:{start + 1}|{(start + 1) % 100:02d})\b")
    lines = list(plan.title_lines)
    # The year is what tells one plan from another; a title without it gets a line for it.
    if not any(names_the_year.search(line) for line in lines):
        lines.append(f"{format_academic_year(start, sep='-')} учебный год")
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    document.add_paragraph()


def _add_statement(document: WordDocument, label: str, text: str) -> None:
    if not text:
        return
    paragraph = _justified(document.add_paragraph())
    paragraph.add_run(label).bold = True
    paragraph.add_run(f" {text}")
    paragraph.paragraph_format.space_after = Pt(6)


def _add_tasks(document: WordDocument, tasks: Sequence[str]) -> None:
    if not tasks:
        return
    document.add_paragraph().add_run("Задачи:").bold = True
    for task in tasks:
        _justified(document.add_paragraph(f"- {task}"))
    document.add_paragraph()


def _justified(paragraph: Paragraph) -> Paragraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


# --- the table ------------------------------------------------------------------------------


def _add_activity_table(
    document: WordDocument, plan: PlanDocument, with_status_column: bool
) -> None:
    headers = (*PLAN_COLUMNS, STATUS_COLUMN) if with_status_column else PLAN_COLUMNS
    table = _new_table(document, _WIDTHS_WITH_STATUS if with_status_column else _WIDTHS)
    _set_borders(table, "single")

    header = _add_row(table, is_header=True)
    for cell, text in zip(header.cells, headers, strict=True):
        _write(cell, text, bold=True, alignment=WD_ALIGN_PARAGRAPH.CENTER)

    for section in plan.sections:
        if section.title:
            row = _add_row(table)
            heading = row.cells[0].merge(row.cells[-1])
            _write(heading, section.title, bold=True, alignment=WD_ALIGN_PARAGRAPH.CENTER)
            heading.paragraphs[0].paragraph_format.keep_with_next = True  # not alone at page end
        for activity in section.activities:
            values = [activity.content, _timing_text(activity), activity.responsible.text]
            if with_status_column:
                values.append(activity.status_note)
            for cell, text in zip(_add_row(table).cells, values, strict=True):
                _write(cell, text)
    # The last row goes to the page of the signatures that follow, never leaving them alone.
    for cell in table.rows[-1].cells:
        cell.paragraphs[-1].paragraph_format.keep_with_next = True


def _timing_text(activity: Activity) -> str:
    """The author's own words; a timing built in the system without them is described."""
    timing = activity.timing
    return timing.text or ("" if timing.flagged else timing.summary())


def _new_table(document: WordDocument, widths: Sequence[Length]) -> Table:
    table = document.add_table(rows=0, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: Word keeps the column widths below
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # rows added later take their cell widths from here
    return table


def _add_row(table: Table, *, is_header: bool = False) -> _Row:
    """A row that is never torn between two pages; the header row repeats on each of them.

    python-docx has no API for either flag, so they are written as Word's own XML:
    <w:cantSplit> and <w:tblHeader> («Повторять как заголовок на каждой странице»).
    """
    row = table.add_row()
    properties = row._tr.get_or_add_trPr()
    for flag_name in ("w:cantSplit", "w:tblHeader") if is_header else ("w:cantSplit",):
        flag = OxmlElement(flag_name)  # appended in the order the schema requires
        flag.set(qn("w:val"), "true")
        properties.append(flag)
    return row


def _set_borders(table: Table, style: str) -> None:
    """«single» lines around and between all cells, or «nil» for a layout table."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), style)
        if style != "nil":
            line.set(qn("w:sz"), "4")  # in eighths of a point: a thin ½ pt line
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    # The schema fixes the order of table properties; these are the ones that follow borders.
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _write(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    size: Length = TABLE_TEXT_SIZE,
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = alignment
    run = paragraph.add_run(text)  # a "\n" in the text becomes a line break
    run.bold = bold or None  # inherit rather than write an explicit «not bold»
    run.font.size = size


# --- after the table ------------------------------------------------------------------------


def _add_signatures(document: WordDocument, signatories: Sequence[Signatory]) -> None:
    document.add_paragraph().paragraph_format.keep_with_next = True
    if not signatories:
        return
    table = _new_table(document, _SIGNATURE_WIDTHS)
    _set_borders(table, "nil")
    for role, name in signatories:
        role_cell, name_cell = _add_row(table).cells
        _write(role_cell, role, size=TEXT_SIZE)
        _write(name_cell, name, alignment=WD_ALIGN_PARAGRAPH.RIGHT, size=TEXT_SIZE)
        for cell in (role_cell, name_cell):
            cell.paragraphs[0].paragraph_format.space_before = Pt(12)
            cell.paragraphs[0].paragraph_format.keep_with_next = True  # the block stays whole
    document.add_paragraph()  # Word expects the body to end with a paragraph, not a table
