"""Shared by the provision workbook tests: a school's data, a small catalogue, and
helpers that write, edit and read a workbook."""

import io
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from bibliomo.lib.provision_workbook import (
    CatalogueRef,
    EnrolmentRow,
    HoldingRow,
    LineRow,
    SchoolWorkbook,
    WorkbookData,
    WorkbookError,
    WorkbookProblem,
    WriteOffRow,
    read_workbook,
    write_workbook,
)

RUSSIAN_1 = CatalogueRef("1.1.1.1.1.1.1", "Русский язык", "Русский язык. Азбука. 1 класс", 1, 1)
MATHS_5 = CatalogueRef("1.1.2.4.1.1.1", "Математика", "Математика. 5–6 классы", 5, 6)
ENGLISH_5 = CatalogueRef("1.1.2.2.1.1.10", "Иностранный язык", "Английский язык. 5 класс", 5, 5)
ALGEBRA = CatalogueRef("1.1.3.4.1.2.1", "Математика", "Алгебра. 7–9 классы", 7, 9)
CATALOGUE = (RUSSIAN_1, MATHS_5, ENGLISH_5, ALGEBRA)

SCHOOL = SchoolWorkbook(
    campaign_id=7,
    campaign_name="Мониторинг обеспеченности учебниками — сентябрь 2024",
    academic_year=2024,
    school_id=5,
    school_name="МОУ «СОШ № 5»",
    buildings=(),
    enrolment=(
        EnrolmentRow(grade=1, pupils=50, classes=2),
        EnrolmentRow(grade=5, pupils=54, classes=2),
        EnrolmentRow(grade=7, pupils=25, classes=1),
    ),
    lines=(
        LineRow(grade=1, code=RUSSIAN_1.code, pupils=50),
        LineRow(grade=5, code=MATHS_5.code, pupils=54),
        LineRow(grade=5, code=ENGLISH_5.code, pupils=54),
        LineRow(grade=7, code=ALGEBRA.code, pupils=25),
    ),
    holdings=(
        HoldingRow(code=RUSSIAN_1.code, purchase_year=2021, copies=52, damaged=1),
        HoldingRow(code=MATHS_5.code, purchase_year=2022, copies=40),
        HoldingRow(code=MATHS_5.code, purchase_year=2023, copies=20, lost=2),
        HoldingRow(code=ALGEBRA.code, purchase_year=2019, copies=30, damaged=3, lost=1),
    ),
    write_offs=(
        WriteOffRow(ALGEBRA.code, 5, "damage", "7", date(2024, 6, 10)),
        WriteOffRow(RUSSIAN_1.code, 2, "loss", "7/1", date(2024, 6, 10)),
    ),
)
COMPLEX = replace(
    SCHOOL,
    school_id=9,
    school_name="МОУ «Образовательный комплекс № 2»",
    buildings=("Корпус на Ленина, 5", "Корпус 2"),
    enrolment=(
        EnrolmentRow(grade=1, pupils=30, classes=1, building="Корпус на Ленина, 5"),
        EnrolmentRow(grade=1, pupils=20, classes=1, building="Корпус 2"),
        EnrolmentRow(grade=5, pupils=54, classes=2, building="Корпус 2"),
        EnrolmentRow(grade=7, pupils=25, classes=1, building="Корпус 2"),
    ),
)
EMPTY = replace(SCHOOL, enrolment=(), lines=(), holdings=(), write_offs=())

FIRST_ROW = 3  # the caption is row 1, the header row 2


def data_of(book: SchoolWorkbook) -> WorkbookData:
    return WorkbookData(book.enrolment, book.lines, book.holdings, book.write_offs)


def read(data: bytes, filename: str = "мониторинг.xlsx", **identity) -> WorkbookData:
    identity = {"campaign_id": 7, "school_id": 5, **identity}
    return read_workbook(data, filename, CATALOGUE, **identity)


def problems_of(data: bytes, filename: str = "мониторинг.xlsx", **identity) -> list:
    with pytest.raises(WorkbookError) as caught:
        read(data, filename, **identity)
    return caught.value.problems


def only_problem(data: bytes, **identity) -> WorkbookProblem:
    (problem,) = problems_of(data, **identity)
    return problem


def only_message(data: bytes, filename: str = "мониторинг.xlsx", **identity) -> str:
    (problem,) = problems_of(data, filename, **identity)
    assert (problem.sheet, problem.row, problem.column) == ("", None, None)
    return str(problem)


def edited(data: bytes, cells: dict[str, dict[str, object]]) -> bytes:
    """The workbook after a person typed `cells` ({sheet: {"B5": value}}) and saved it.

    openpyxl stands in for Excel: it writes what it is told into any cell, protected or not,
    the way a paste or a person who switched the protection off would.
    """
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet, values in cells.items():
        for cell, value in values.items():
            workbook[sheet][cell] = value
    return saved(workbook)


def filled(sheets: dict[str, list[list[object]]], book: SchoolWorkbook = EMPTY) -> bytes:
    """An empty template with `sheets` typed in from the first data row; None leaves a cell."""
    cells: dict[str, dict[str, object]] = {}
    for sheet, rows in sheets.items():
        for offset, row in enumerate(rows):
            for column, value in enumerate(row):
                if value is not None:
                    address = f"{'ABCDEF'[column]}{FIRST_ROW + offset}"
                    cells.setdefault(sheet, {})[address] = value
    return edited(write_workbook(book, CATALOGUE), cells)


def saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def places(problems: list[WorkbookProblem]) -> list[tuple[str, int | None, str | None]]:
    return [(problem.sheet, problem.row, problem.column) for problem in problems]
