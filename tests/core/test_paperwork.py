"""The paperwork gallery on the demo: every paper keeps the rules a person who signs checks."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.management import call_command

from bibliomo.directory.models import School
from bibliomo.lib import names
from tests.lib.paper_rules import (
    assert_clean_text,
    assert_paper_layout,
    docx_all_text,
    formula_cells,
)

pytestmark = pytest.mark.django_db

KINDS = {
    "plan.docx",
    "plan.pdf",
    "plan-months.docx",
    "plan-months.pdf",
    "plan-report.docx",
    "analysis.docx",
    "analysis.pdf",
    "signin.docx",
    "signin.pdf",
    "certificate.pdf",
    "minutes.docx",
    "act.docx",
    "act.pdf",
    "school-order.docx",
    "school-order.xlsx",
    "order.xlsx",
    "provision.xlsx",
    "regional-form.xlsx",
    "directory.xlsx",
    "mentoring.docx",
    "portfolio.docx",
    "portfolio.pdf",
    "growth.xlsx",
}


@pytest.mark.slow
def test_the_gallery_holds_every_kind_and_every_paper_keeps_the_rules(built_demo, tmp_path):
    tmp_path = tmp_path / "gallery"
    out = io.StringIO()
    call_command("paperwork", str(tmp_path), stdout=out)
    listing = out.getvalue()
    written = {path.name for path in tmp_path.iterdir()}
    assert written == KINDS, written ^ KINDS
    for kind in KINDS:
        assert kind in listing

    directors = {s.director for s in School.objects.exclude(director="")}
    genitives = {names.short_name_in_case(d, "genitive") for d in directors}
    for name in sorted(written):
        content = (tmp_path / name).read_bytes()
        if name.endswith(".docx"):
            # Every paper with a table repeats its header row; the minutes have none.
            assert_paper_layout(content, min_headers=0 if name == "minutes.docx" else 1)
            text = docx_all_text(content)
            assert_clean_text(text)
            # After «в лице директора» the genitive of a director, never the name as typed.
            for found in re.findall(r"в лице директора (\S+ \S+)", text):
                assert found in genitives and found not in directors, (name, found)
        elif name.endswith(".pdf"):
            assert content.startswith(b"%PDF"), name
        elif name.endswith(".xlsx"):
            _check_workbook(name, content)


def _check_workbook(name: str, content: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        # A heading row: the first non-empty row has text in its first cell.
        first = next(
            (row for row in sheet.iter_rows(max_row=10) if any(c.value for c in row)), None
        )
        if first is None:
            continue
        assert isinstance(first[0].value, str) and first[0].value.strip(), (name, sheet.title)
        # Column widths are set for the columns in use.
        used = {cell.column_letter for row in sheet.iter_rows(max_row=6) for cell in row}
        widths = {
            letter: dimension.width
            for letter, dimension in sheet.column_dimensions.items()
            if dimension.width
        }
        assert widths, (name, sheet.title, "no column widths")
        assert used, (name, sheet.title)
    # Every formula is one the project wrote: a SUM, COUNT or IF over the sheet's own cells,
    # never text someone typed.
    for sheet_name, cell, formula in formula_cells(content):
        assert re.fullmatch(r"=[A-Z]+\(.*\)", formula), (name, sheet_name, cell, formula)
        assert "HYPERLINK" not in formula.upper(), (name, sheet_name, cell, formula)
