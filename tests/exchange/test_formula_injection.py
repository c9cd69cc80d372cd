"""Spreadsheet formula injection: what a person types reaches every workbook as text.

A librarian who sets her school's short name to `=HYPERLINK("http://…","Нажмите")` must not get a
live formula into the methodist's directory export; nor an order-line note into the order
workbooks. Each payload starts with one of the characters a spreadsheet takes for a formula.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from bibliomo.core.models import Job
from bibliomo.directory import services as directory
from bibliomo.directory.export import directory_workbook
from bibliomo.exchange import order_exports, order_services
from bibliomo.exchange.models import OrderLine, SchoolOrder
from bibliomo.site.paperwork import gallery
from bibliomo.textbooks import exports
from tests.lib.paper_rules import PAYLOADS, formula_cells

pytestmark = pytest.mark.django_db

SHORT_NAME, FULL_NAME, MINUS, PHONE = PAYLOADS
DIRECTOR = "=1+1"
NOTE = '=HYPERLINK("http://evil.example","Примечание")'


def _plant_payloads(cast, order) -> None:
    """The payloads go in through the services a person's form calls."""
    directory.school_update(
        cast.librarian_a,
        cast.school_a,
        short_name=SHORT_NAME,
        full_name=FULL_NAME,
        director=DIRECTOR,
        phone=PHONE,
        address=MINUS,
    )
    directory.person_update(cast.methodist, cast.librarian_a, last_name="=Иванова", phone=PHONE)
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    line = school_order.lines.order_by("pk").first()
    order_services.line_set(cast.librarian_a, line, line.need + 1, NOTE)


def _texts(content: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type == "s"
    }


def _assert_safe(content: bytes, expected_texts: set[str]) -> None:
    formulas = formula_cells(content)
    for sheet, cell, formula in formulas:
        for payload in (*PAYLOADS, DIRECTOR, NOTE, "=Иванова"):
            assert payload not in formula, (sheet, cell, formula)
        assert "HYPERLINK" not in formula.upper(), (sheet, cell, formula)
    texts = _texts(content)
    missing = {text for text in expected_texts if not any(text in t for t in texts)}
    assert not missing, missing


def test_directory_export_keeps_typed_text_as_text(cast, order):
    _plant_payloads(cast, order)
    content, _, _ = directory_workbook(cast.association)
    _assert_safe(content, {SHORT_NAME, FULL_NAME, DIRECTOR, PHONE, MINUS, "=Иванова"})


def test_the_directory_job_too(cast, order):
    from bibliomo.directory.export import directory_export_xlsx

    _plant_payloads(cast, order)

    class Recorder:
        content = b""

        def update(self, *args, **kwargs):
            return None

        def attach(self, name, content):
            Recorder.content = content

    job = Job(params={"association_id": cast.association.pk})
    directory_export_xlsx(job, Recorder())
    _assert_safe(Recorder.content, {SHORT_NAME})


def test_order_workbooks_keep_the_note_and_school_names_as_text(cast, order):
    _plant_payloads(cast, order)
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    _assert_safe(order_exports.school_xlsx(school_order), {NOTE, FULL_NAME})
    consolidated = order_exports.consolidated_xlsx(order)
    _assert_safe(consolidated, {SHORT_NAME})
    # The totals the project writes are still formulas: SUM over its own rows.
    assert formula_cells(consolidated)
    assert all(f.startswith("=SUM(") for _, _, f in formula_cells(consolidated))
    assert OrderLine.objects.filter(note=NOTE).exists()


def test_provision_workbooks_keep_school_names_as_text(cast, order):
    _plant_payloads(cast, order)
    campaign = order.campaign
    schools = {s.pk: s.short_name for s in cast.association.schools.all()}
    content = exports.provision_xlsx(
        campaign.academic_year, campaign.as_of, schools, association_id=cast.association.pk
    )
    _assert_safe(content, set())
    regional = exports.regional_form_xlsx(campaign.academic_year, campaign.as_of, cast.association)
    _assert_safe(regional, set())


def test_every_workbook_of_the_gallery_is_safe(cast, order):
    _plant_payloads(cast, order)
    for sample in gallery(cast.association):
        if sample.content is not None and sample.name.endswith(".xlsx"):
            _assert_safe(sample.content, set())
