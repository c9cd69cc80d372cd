"""The exchange's papers as a person who signs them reads them: the act and the orders."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from bibliomo.directory import services as directory
from bibliomo.exchange import acts, order_exports
from bibliomo.exchange.models import OrderLine, Shipment
from tests.factories import advance
from tests.lib.paper_rules import (
    assert_clean_text,
    assert_paper_layout,
    docx_all_text,
    formula_cells,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# --- the transfer act ------------------------------------------------------------------------


def test_the_act_names_directors_in_the_genitive_and_signs_with_short_names(cast, shipment):
    text = docx_all_text(acts.docx_bytes(shipment))
    # «Петров А.А.» in the directory: «в лице директора Петрова А.А.», never the nominative.
    assert text.count("в лице директора Петрова А.А.") == 2
    assert "в лице директора Петров А.А." not in text
    # The position says which school by its short name; «№» held to its number.
    assert "Директор МБОУ «СОШ №\u00a01»" in text
    assert "Директор Муниципальное" not in text
    # Signatures deciphered as «И.О. Фамилия», the librarians' names on their lines.
    assert "А.А. Петров" in text
    assert "А.С. Иванова" in text and "О.И. Петрова" in text
    assert_clean_text(text)


def test_the_act_joins_authors_and_title_with_one_full_stop(cast, shipment):
    text = docx_all_text(acts.docx_bytes(shipment))
    assert "Иванова А.А. Русский язык. 5 класс" in text
    assert "А.А.." not in text


def test_a_person_corrects_the_genitive_and_the_act_uses_it(cast, shipment):
    directory.school_update(
        cast.methodist, cast.school_a, director_genitive="Петрова Андрея Андреевича"
    )
    text = docx_all_text(acts.docx_bytes(shipment))
    assert "в лице директора Петрова Андрея Андреевича" in text


def test_the_word_act_keeps_the_paper_rules(cast, shipment):
    assert_paper_layout(acts.docx_bytes(shipment), tables_with_header=1)


def test_the_act_is_dated_the_day_the_books_leave_and_promises_the_shipments_due_date(
    cast, shipment
):
    unsent = docx_all_text(acts.docx_bytes(shipment))
    # Not yet sent: a blank for the date, never today's (which may be after the return date).
    assert "«___» ____________ 2024 г." in unsent
    assert "вернуть учебники в срок до 31.05.2025" in unsent
    advance(cast, shipment, Shipment.Status.SHIPPED, day=date(2024, 9, 10))
    shipment.refresh_from_db()
    sent = docx_all_text(acts.docx_bytes(shipment))
    assert "10.09.2024" in sent
    assert "вернуть учебники в срок до 31.05.2025" in sent


def test_the_pdf_act_has_the_same_wording_and_page_numbers(cast, shipment):
    content = acts.pdf_bytes(shipment)
    text = pdf_text(content)
    assert "в лице директора Петрова А.А." in " ".join(text.split())
    assert "А.С. Иванова" in text and "О.И. Петрова" in text
    assert "А.А.." not in text
    html = acts.render_to_string(
        "exchange/act_print.html",
        {"act": acts.build(shipment), "lines": [], "sides": [], "columns": [], "closing": []},
    )
    assert "counter(page)" in html
    assert "break-inside: avoid" in html and "table-header-group" in html


def test_the_act_downloads_for_the_sender(cast, login, shipment):
    response = login(cast.librarian_a).get(reverse("exchange:act_docx", args=[shipment.pk]))
    assert response.status_code == 200
    assert_paper_layout(response.content)


# --- the orders ------------------------------------------------------------------------------


def test_the_school_order_in_word_keeps_the_paper_rules_and_names_the_librarian(cast, order):
    school_order = order.schools.get(school=cast.school_a)
    content = order_exports.school_docx(school_order)
    assert_paper_layout(content, tables_with_header=1)
    text = docx_all_text(content)
    assert "А.С. Иванова" in text and "А.А. Петров" in text
    assert_clean_text(text)


def test_the_consolidated_order_totals_are_formulas_per_school(cast, order):
    content = order_exports.consolidated_xlsx(order)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [cell.value for cell in sheet[4]]
    assert header[:7] == [
        "Издатель",
        "Код в перечне",
        "Предмет",
        "Класс",
        "Авторы",
        "Название",
        "Всего экз.",
    ]
    assert header[7:] == ["МБОУ «Гимназия № 5»", "МБОУ «СОШ № 1»"]
    formulas = formula_cells(content)
    grand = [row for row in sheet.iter_rows(min_row=5) if row[0].value == "Всего по округу"]
    assert len(grand) == 1
    for cell in grand[0][6:]:
        assert cell.data_type == "f" and cell.value.startswith("=SUM(")
    # Every formula is one of ours: a SUM over cells of the sheet.
    assert formulas and all(formula.startswith("=SUM(") for _, _, formula in formulas)
    # Grades are text.
    grades = [row[3] for row in sheet.iter_rows(min_row=5) if row[1].value]
    assert grades and all(cell.data_type == "s" for cell in grades)
    # Print set-up: landscape, one page wide, the header row on every page.
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$4"


def test_the_consolidated_order_sums_match_the_lines(cast, order):
    content = order_exports.consolidated_xlsx(order)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    # Cached values of the formulas, written by the project, equal the order's own figures.
    values = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
    grand = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "Всего по округу")
    total = values.cell(row=grand[0].row, column=7).value
    expected = sum(
        line.copies for line in OrderLine.objects.filter(school_order__order=order, copies__gt=0)
    )
    assert total == expected
