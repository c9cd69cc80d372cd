"""«Лист регистрации участников»: the paper people sign at the door of a seminar.

Printed before the event with the registered participants in order and a few numbered empty
rows for those who come without registering. Word and PDF carry the same content: Word for a
methodist who wants to adjust it, PDF to print as it is. In both the table header repeats on
every page and a row is never split across pages, so each signature stays beside its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.shared import Cm

from bibliomo.lib.documents import html_to_pdf
from bibliomo.lib.paper import CENTER, LEFT_ALIGN, Column, Paper
from bibliomo.lib.ru import quoted, typography

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
    document = Paper(
        title=f"Лист регистрации: {sheet.event_title}",
        author=sheet.association_name or "Методическое объединение",
        size=FONT_SIZE,
    )
    if sheet.association_name:
        document.paragraph(sheet.association_name, align=CENTER)
    document.paragraph(TITLE, bold=True, align=CENTER, size=14, before=12)
    document.paragraph(_event_line(sheet), bold=True, align=CENTER)
    for label, value in _details(sheet):
        paragraph = document.paragraph()
        document.run(paragraph, f"{label}: ", bold=True)
        document.run(paragraph, value)
    document.paragraph()
    columns = [
        Column(title, width, CENTER if index == 0 else LEFT_ALIGN)
        for index, (title, width) in enumerate(zip(COLUMNS, _WIDTHS_CM, strict=True))
    ]
    rows = [
        (number, name, school, position, "")
        for number, name, school, position in (_table_rows(sheet))
    ]
    table = document.table(columns, rows)
    for row in table.rows[1:]:
        row.height, row.height_rule = Cm(ROW_HEIGHT_CM), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return document.to_bytes()


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
    title = quoted(sheet.event_title)
    kind = sheet.event_kind.strip()
    return typography(f"{kind[:1].upper()}{kind[1:]} {title}".strip())


def _details(sheet: SignInSheet) -> list[tuple[str, str]]:
    pairs = [("Дата проведения", sheet.date_text), ("Место проведения", sheet.place)]
    return [(label, value.strip()) for label, value in pairs if value.strip()]


def _table_rows(sheet: SignInSheet) -> list[tuple[str, str, str, str]]:
    """Numbered rows: the registered participants, then the empty ones."""
    filled = [(name, school, position) for name, school, position in sheet.rows]
    empty = [("", "", "")] * max(sheet.blank_rows, 0)
    return [(str(number), *row) for number, row in enumerate(filled + empty, start=1)]


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
