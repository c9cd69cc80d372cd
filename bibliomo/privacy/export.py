"""The person's own copy of her data: JSON for machines, a Word document for people.

The DOCX is one self-contained function on purpose: when the shared paper builder lands it
can take over without touching the rest.
"""

from __future__ import annotations

import io
import json
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bibliomo.lib.documents import setup_a4

DOCX_ROWS_PER_SECTION = 200


def personal_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def personal_data_docx(data: dict[str, Any]) -> bytes:
    """A4 Word document: the profile as a two-column table, then one table per section."""
    document = Document()
    setup_a4(document, size=11)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(data["title"])
    run.bold, run.font.size = True, Pt(14)
    document.add_paragraph(f"Сформировано {data['generated_at']}.")

    document.add_paragraph().add_run("Карточка").bold = True
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in data["profile"].items():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, _text(value) or "—"

    for section in data["sections"]:
        rows = section["rows"]
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(12)
        heading.add_run(f"{section['title']}: {len(rows)}").bold = True
        columns = [name for name in rows[0] if name != "ID"]
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, columns, strict=True):
            cell.text = name
            for paragraph in cell.paragraphs:
                for header_run in paragraph.runs:
                    header_run.bold = True
        for row in rows[:DOCX_ROWS_PER_SECTION]:
            for cell, name in zip(table.add_row().cells, columns, strict=True):
                cell.text = _text(row[name])
        if len(rows) > DOCX_ROWS_PER_SECTION:
            document.add_paragraph(
                f"Показаны первые {DOCX_ROWS_PER_SECTION} строк; все — в файле JSON."
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
