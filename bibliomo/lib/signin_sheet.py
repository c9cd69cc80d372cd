"""«Лист регистрации участников»: the paper people sign at the door of a seminar.

Printed before the event with the registered participants in order and a few numbered empty
rows for those who come without registering. Word and PDF carry the same content: Word for a
methodist who wants to adjust it, PDF to print as it is. In both the table header repeats on
every page and a row is never split across pages, so each signature stays beside its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from io import BytesIO

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row

from bibliomo.lib.documents import html_to_pdf, setup_a4

TITLE = "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ"
COLUMNS = ("№", "ФИО", "Образовательная организация", "Должность", "Подпись")
# 16.5 cm in all, the width of A4 between the margins setup_a4 sets.
_WIDTHS_CM = (1.0, 4.5, 4.5, 3.5, 3.0)
ROW_HEIGHT_CM = 1.1  # room for a handwritten signature
FONT_SIZE = 12


@dataclass
class SignInSheet:
    association_name: str
    event_title: str
    event_kind: str  # «семинар»
    date_text: str  # «24.04.2025, 10:00»
    place: str
    rows: list[tuple[str, str, str]]  # (full name, school, position), in order
    blank_rows: int = 5  # empty numbered rows for those who come unregistered


def signin_sheet_docx(sheet: SignInSheet) -> bytes:
    document = docx.Document()
    setup_a4(document, size=FONT_SIZE)
    paragraphs = document.styles["Normal"].paragraph_format
    paragraphs.space_after = Pt(0)  # the template's default leaves 10 pt after each line
    paragraphs.line_spacing = 1.0
    document.core_properties.title = f"Лист регистрации: {sheet.event_title}"
    document.core_properties.language = "ru-RU"

    _add_centered(document, sheet.association_name)
    _add_centered(document, TITLE, bold=True, size=14, space_before=12)
    _add_centered(document, _event_line(sheet), bold=True)
    for label, value in _details(sheet):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph()
    _add_table(document, _table_rows(sheet))
    document.add_paragraph()  # Word expects the body to end with a paragraph, not a table

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def signin_sheet_html(sheet: SignInSheet) -> str:
    """The sheet as a complete HTML page, for WeasyPrint or the browser's own printing."""
    details = "".join(
        f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>"
        for label, value in _details(sheet)
    )
    header = "".join(f"<th>{escape(title)}</th>" for title in COLUMNS)
    body = "".join(
        f'<tr><td class="number">{escape(number)}</td><td>{escape(name)}</td>'
        f"<td>{escape(school)}</td><td>{escape(position)}</td><td></td></tr>"
        for number, name, school, position in _table_rows(sheet)
    )
    columns = "".join(f'<col style="width: {width}cm">' for width in _WIDTHS_CM)
    association = (
        f'<p class="association">{escape(sheet.association_name)}</p>'
        if sheet.association_name
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(TITLE.capitalize())}: {escape(sheet.event_title)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{association}<h1>{TITLE}</h1>\n"
        f'<p class="event">{escape(_event_line(sheet))}</p>\n{details}\n'
        f"<table>\n<colgroup>{columns}</colgroup>\n"
        f"<thead><tr>{header}</tr></thead>\n<tbody>{body}</tbody>\n</table>\n"
        "</body>\n</html>\n"
    )


def signin_sheet_pdf(sheet: SignInSheet) -> bytes:
    return html_to_pdf(signin_sheet_html(sheet))


# --- content shared by both formats ---------------------------------------------------------


def _event_line(sheet: SignInSheet) -> str:
    """«Семинар «Алгоритм заказа учебников»» — the kind, then the title in quotes."""
    title = sheet.event_title.strip()
    if title and not (title.startswith("«") and title.endswith("»")):
        title = f"«{title}»"
    kind = sheet.event_kind.strip()
    return f"{kind[:1].upper()}{kind[1:]} {title}".strip()


def _details(sheet: SignInSheet) -> list[tuple[str, str]]:
    pairs = [("Дата проведения", sheet.date_text), ("Место проведения", sheet.place)]
    return [(label, value.strip()) for label, value in pairs if value.strip()]


def _table_rows(sheet: SignInSheet) -> list[tuple[str, str, str, str]]:
    """Numbered rows: the registered participants, then the empty ones."""
    filled = [(name, school, position) for name, school, position in sheet.rows]
    empty = [("", "", "")] * max(sheet.blank_rows, 0)
    return [(str(number), *row) for number, row in enumerate(filled + empty, start=1)]


# --- Word -----------------------------------------------------------------------------------


def _add_centered(
    document: WordDocument,
    text: str,
    *,
    bold: bool = False,
    size: int | None = None,
    space_before: int = 0,
) -> None:
    if not text:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space_before)
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)


def _add_table(document: WordDocument, rows: list[tuple[str, str, str, str]]) -> None:
    # «Table Grid», part of python-docx's template, draws thin single lines around every cell.
    table = document.add_table(rows=0, cols=len(COLUMNS), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # keep the widths below instead of fitting columns to the text
    for column, width in zip(table.columns, _WIDTHS_CM, strict=True):
        column.width = Cm(width)  # rows added later take their cell widths from here

    header = _add_row(table, repeat_as_header=True)
    for cell, title in zip(header.cells, COLUMNS, strict=True):
        _write(cell, title, bold=True, centered=True)
    for values in rows:
        row = _add_row(table)
        row.height, row.height_rule = Cm(ROW_HEIGHT_CM), WD_ROW_HEIGHT_RULE.AT_LEAST
        number, *texts = values
        _write(row.cells[0], number, centered=True)
        for cell, text in zip(row.cells[1:], [*texts, ""], strict=True):
            _write(cell, text)


def _add_row(table: Table, *, repeat_as_header: bool = False) -> _Row:
    """A row never torn between pages; a header row repeats at the top of each page.

    python-docx has no API for either, so they are written as Word's own XML: <w:cantSplit>
    and <w:tblHeader> («Повторять как заголовок на каждой странице»).
    """
    row = table.add_row()
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader") if repeat_as_header else ("w:cantSplit",):
        flag = OxmlElement(name)  # appended in the order the schema requires
        flag.set(qn("w:val"), "true")
        properties.append(flag)
    return row


def _write(cell: _Cell, text: str, *, bold: bool = False, centered: bool = False) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    if centered:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        paragraph.add_run(text).bold = bold or None


# --- PDF ------------------------------------------------------------------------------------

_CSS = f"""
@page {{
  size: A4 portrait;
  margin: 2cm 1.5cm 2cm 3cm;
  @bottom-right {{
    content: "Страница " counter(page) " из " counter(pages);
    font: 10pt "Times New Roman", "Liberation Serif", "DejaVu Serif", serif;
  }}
}}
body {{
  font: {FONT_SIZE}pt/1.25 "Times New Roman", "Liberation Serif", "DejaVu Serif", serif;
  color: #000;
}}
p {{ margin: 0 0 3pt; }}
.association {{ text-align: center; }}
h1 {{ text-align: center; font-size: 14pt; margin: 12pt 0 3pt; }}
.event {{ text-align: center; font-weight: bold; margin-bottom: 9pt; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 9pt; table-layout: fixed; }}
thead {{ display: table-header-group; }}  /* repeated at the top of every page */
tr {{ break-inside: avoid; }}
th, td {{ border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: middle; }}
th {{ font-weight: bold; text-align: center; }}
tbody td {{ height: {ROW_HEIGHT_CM}cm; overflow-wrap: anywhere; }}
td.number {{ text-align: center; }}
"""
