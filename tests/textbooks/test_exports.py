"""The provision Excel and the regional form are papers: heading, titles, widths, totals,
«Исполнитель», print set-up; user text stays text."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from bibliomo.directory.models import School
from bibliomo.lib.provision_workbook import WriteOffRow
from bibliomo.textbooks import services
from tests.factories import MATHS_5, PHYSICS_10_11

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example","Нажмите")', "+1+1", "-2+3", "@SUM(A1)"]


def _check_paper(sheet, heading_word, executor):
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert heading_word in sheet["A1"].value
    assert (
        sheet["A2"].value
        == "городской округ Серпухов, 2024/2025 учебный год, по состоянию на 15.09.2024"
    )
    assert sheet.page_setup.orientation == "landscape"
    # One page wide (1 is the default, left out of the file), as many pages down as needed.
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"
    assert "Итого" in texts
    assert "Исполнитель:" in texts
    assert any(executor in t and "тел." in t for t in texts)
    # Every column as wide as its longest text.
    signed = next(c.row for c in sheet["A"] if c.value == "Исполнитель:")
    for column in sheet.iter_cols(min_row=5, max_row=signed - 1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=0)
        letter = column[0].column_letter
        if letter == "A":
            continue  # the heading and «Исполнитель:» run over into the next columns
        assert sheet.column_dimensions[letter].width >= min(longest, 60), letter
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)


def test_provision_excel_is_a_paper(cast, login, filled):
    School.objects.filter(pk=cast.school_a.pk).update(short_name=PAYLOADS[0])
    services.submission_save(
        cast.librarian_a,
        filled,
        write_offs=[WriteOffRow(MATHS_5.code, 3, "loss", PAYLOADS[1], date(2024, 9, 1))],
    )
    cast.methodist.phone = "+7 (4967) 00-00-00"
    cast.methodist.save()
    response = login(cast.methodist).get(reverse("textbooks:summary"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Линии", "По школам", "По предметам", "По ступеням"]
    for sheet in book.worksheets:
        _check_paper(sheet, "Обеспеченность учебниками", "Э.В. Леонтьева")
    lines = book["Линии"]
    header = [c.value for c in lines[4]]
    assert header[3:5] == ["Код учебника", "Учебник"]
    physics = [
        row for row in lines.iter_rows(min_row=5, values_only=True) if row[3] == PHYSICS_10_11.code
    ]
    assert physics[0][4] == "Орлов Г.Г. Физика. 10–11 классы"
    assert physics[0][0] == PAYLOADS[0]  # the school's name is text, not a live formula
    by_school = book["По школам"]
    assert [c.value for c in by_school[4]][:3] == ["Школа", "Обучающихся", "Нужно учебников, экз."]
    assert [c.value for c in by_school[5]][1:3] == [180, 280]
    total = [c.value for c in by_school[6]]
    assert total[:3] == ["Итого", 180, 280]


def test_regional_form_is_a_paper(cast, login, filled):
    services.submission_save(
        cast.librarian_a,
        filled,
        write_offs=[WriteOffRow(MATHS_5.code, 3, "loss", "12", date(2024, 9, 1))],
    )
    response = login(cast.methodist).get(reverse("textbooks:summary"), {"format": "regional"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Потребность", "Списание"]
    for sheet in book.worksheets:
        _check_paper(sheet, "Потребность в учебниках", "Э.В. Леонтьева")
    assert [c.value for c in book["Списание"][5]] == ["утеря", 3]


def test_school_excel_and_the_command_write_the_same_paper(cast, login, filled, tmp_path):
    from django.core.management import call_command

    response = login(cast.librarian_a).get(
        reverse("textbooks:school_provision", args=[cast.school_a.pk]), {"format": "xlsx"}
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    _check_paper(book["Линии"], "МБОУ «СОШ № 1»", "А.С. Иванова")
    target = tmp_path / "provision.xlsx"
    call_command(
        "provision",
        "--year",
        "2024/2025",
        "--association",
        str(cast.association.pk),
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    lines = openpyxl.load_workbook(target)["Линии"]
    assert "Обеспеченность учебниками" in lines["A1"].value
    assert [c.value for c in lines[4]] == [c.value for c in book["Линии"][4]]
