"""The rules every Word paper and every workbook of the project keeps, as assertions.

Used by the tests of each document and by the gallery test, so one rule is checked one way.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import docx
import openpyxl
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_all_text(content: bytes) -> str:
    """Every paragraph of the body, table cells included, in reading order."""
    document = docx.Document(io.BytesIO(content))
    return "\n".join(
        "".join(node.text or "" for node in paragraph.iter(f"{W}t"))
        for paragraph in document.element.body.iter(f"{W}p")
    )


def assert_paper_layout(
    content: bytes, *, tables_with_header: int | None = None, min_headers: int = 0
) -> None:
    """A4, fixed proportional tables, repeated headers, unsplit rows, a PAGE field, properties."""
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {21.0, 29.7}
    assert section.left_margin.cm >= 2.0 and section.right_margin.cm >= 1.0
    assert section.top_margin.cm >= 2.0 and section.bottom_margin.cm >= 2.0
    text_width = section.page_width - section.left_margin - section.right_margin

    footer_xml = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footer_xml), "no PAGE field"

    headers = 0
    for table in document.tables:
        tbl = table._tbl
        layout = tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert grid and all(width > 0 for width in grid)
        # Twentieths of a point; the columns fill the text width (to a millimetre).
        assert abs(sum(grid) - text_width / 635) < 60, (sum(grid), text_width / 635)
        if len(set(grid)) == 1 and len(grid) > 2:
            raise AssertionError(f"{len(grid)} equal columns: widths not proportional")
        for row in tbl.tr_lst:
            properties = row.trPr
            assert properties is not None and properties.find(qn("w:cantSplit")) is not None
            for cell in row.tc_lst:
                width = cell.tcPr.find(qn("w:tcW"))
                assert width is not None and int(width.get(qn("w:w"))) > 0
        first = tbl.tr_lst[0].trPr
        if first.find(qn("w:tblHeader")) is not None:
            headers += 1
    if tables_with_header is not None:
        assert headers == tables_with_header
    assert headers >= min_headers, "no table repeats its header row"

    properties = document.core_properties
    assert properties.author and "python-docx" not in properties.author
    assert "python-docx" not in (properties.comments or "")
    assert "python-docx" not in (properties.last_modified_by or "")
    assert properties.created is not None
    created = properties.created.replace(tzinfo=properties.created.tzinfo or UTC)
    assert datetime.now(UTC) - created < timedelta(days=1)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"python-docx" not in archive.read("docProps/core.xml")
        assert b"<Application>Bibliomo</Application>" in archive.read("docProps/app.xml")


def assert_clean_text(text: str) -> None:
    """No doubled full stops, no doubled closing quotes, no «№» alone at a line's end."""
    assert ".." not in text.replace("...", "…"), _around(text, "..")
    assert "»»" not in text, _around(text, "»»")
    assert "««" not in text, _around(text, "««")
    assert not re.search(r"№ \d", text), _around(text, "№ ")


def _around(text: str, needle: str) -> str:
    index = text.find(needle)
    return text[max(0, index - 60) : index + 60]


def formula_cells(content: bytes) -> list[tuple[str, str, str]]:
    """(sheet, cell, formula) of every formula in a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append((sheet.title, cell.coordinate, str(cell.value)))
    return found


PAYLOADS = (
    '=HYPERLINK("http://evil.example","Нажмите")',
    "+7(999)1234567+1",
    "-2+3",
    "@SUM(1,2)",
)


def assert_no_injected_formula(content: bytes) -> None:
    """No formula that carries a payload: every user text came back as text."""
    for sheet, cell, formula in formula_cells(content):
        for payload in PAYLOADS:
            assert payload.lstrip("=+-@")[:8] not in formula, (sheet, cell, formula)
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in PAYLOADS:
                    assert cell.data_type in ("s", "inlineStr"), (sheet.title, cell.coordinate)
