"""The provision workbook as written, and what people do to it that the reader forgives."""

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
    WorkbookData,
    WriteOffRow,
    read_workbook,
    write_workbook,
)
from tests.lib.provision_workbook_cases import (
    ALGEBRA,
    CATALOGUE,
    COMPLEX,
    EMPTY,
    ENGLISH_5,
    FIRST_ROW,
    MATHS_5,
    RUSSIAN_1,
    SCHOOL,
    data_of,
    edited,
    filled,
    read,
    saved,
)

# --- the template ---------------------------------------------------------------------------


def test_the_template_reads_back_as_the_data_it_was_made_from():
    assert read(write_workbook(SCHOOL, CATALOGUE)) == data_of(SCHOOL)


def test_a_school_with_buildings_reads_back_with_its_buildings():
    data = write_workbook(COMPLEX, CATALOGUE)

    assert read(data, school_id=9) == data_of(COMPLEX)


def test_an_empty_template_reads_as_no_data():
    assert read(write_workbook(EMPTY, CATALOGUE)) == WorkbookData((), (), (), ())


def test_the_sheets_their_order_and_visibility():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))

    assert [(sheet.title, sheet.sheet_state) for sheet in workbook] == [
        ("Инструкция", "visible"),
        ("Контингент", "visible"),
        ("УМК", "visible"),
        ("Фонд", "visible"),
        ("Списание", "visible"),
        ("Справочник", "hidden"),
        ("Служебный", "veryHidden"),
    ]
    assert workbook.active.title == "Инструкция"


@pytest.mark.parametrize(
    ("sheet", "header"),
    [
        ("Контингент", ["Класс", "Корпус", "Обучающихся", "Классов"]),
        ("УМК", ["Класс", "Код учебника", "Название (подставится само)", "Обучающихся"]),
        (
            "Фонд",
            [
                "Код учебника",
                "Название",
                "Год поступления",
                "Экземпляров",
                "Из них испорчено",
                "Из них утеряно",
            ],
        ),
        ("Списание", ["Код учебника", "Экземпляров", "Причина", "Номер акта", "Дата акта"]),
    ],
)
def test_each_sheet_has_a_bold_frozen_protected_header_over_open_cells(sheet, header):
    worksheet = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))[sheet]

    assert [cell.value for cell in worksheet[2]] == header
    assert all(cell.font.b and cell.protection.locked for cell in worksheet[2])
    assert worksheet.freeze_panes == "A3"
    assert worksheet.protection.sheet
    assert not worksheet["A3"].protection.locked
    assert all(worksheet.column_dimensions[letter].width >= 10 for letter in "ABCD")


def test_title_columns_are_locked_lookup_formulas_with_the_title_already_shown():
    data = write_workbook(SCHOOL, CATALOGUE)
    formulas = openpyxl.load_workbook(io.BytesIO(data))["УМК"]
    shown = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["УМК"]

    assert "VLOOKUP(TRIM(B3),Перечень_учебников,3,FALSE)" in formulas["C3"].value
    assert formulas["C3"].protection.locked
    assert shown["C3"].value == RUSSIAN_1.title
    assert formulas.column_dimensions["C"].width > 40


def test_at_least_two_hundred_prepared_rows_below_the_data():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))

    for sheet, records, title in (("УМК", SCHOOL.lines, "C"), ("Фонд", SCHOOL.holdings, "B")):
        last = FIRST_ROW + len(records) + 199
        worksheet = workbook[sheet]
        assert worksheet[f"{title}{last}"].value.startswith("=IF(")
        assert not worksheet[f"A{last}"].protection.locked
        assert worksheet[f"A{last}"].border.left.style == "thin"


def validations(data: bytes, sheet: str) -> dict[str, tuple[str, str | None, str | None]]:
    """Column letter → (type, formula1, formula2) of the sheet's data validations."""
    worksheet = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    found = {}
    for rule in worksheet.data_validations.dataValidation:
        (cells,) = rule.sqref.ranges
        assert cells.min_row == FIRST_ROW
        found[cells.coord[0]] = (rule.type, rule.formula1, rule.formula2)
    return found


def test_dropdowns_and_number_checks_for_the_person_typing():
    data = write_workbook(COMPLEX, CATALOGUE)

    assert validations(data, "Контингент") == {
        "A": ("whole", "1", "11"),
        "B": ("list", "Корпуса", None),
        "C": ("whole", "0", "100000"),
        "D": ("whole", "0", "100000"),
    }
    assert validations(data, "УМК")["B"] == ("list", "Коды_учебников", None)
    assert validations(data, "Фонд")["C"] == ("whole", "1990", "2025")
    reasons = validations(data, "Списание")
    assert reasons["C"] == ("list", '"утеря,порча,истёк срок использования,другое"', None)
    assert reasons["E"][0] == "date"


def test_the_lists_come_from_the_hidden_catalogue_and_the_stamp():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(COMPLEX, CATALOGUE)))
    names = {name: workbook.defined_names[name].attr_text for name in workbook.defined_names}
    catalogue = [list(row) for row in workbook["Справочник"].iter_rows(values_only=True)]

    assert names == {
        "Коды_учебников": "'Справочник'!$A$2:$A$5",
        "Перечень_учебников": "'Справочник'!$A$2:$C$5",
        "Корпуса": "'Служебный'!$B$9:$B$10",
    }
    stamp = workbook["Служебный"]
    assert [stamp["B9"].value, stamp["B10"].value] == list(COMPLEX.buildings)
    # Sorted as the federal list is: by the numbers of the code, not as text.
    assert catalogue == [
        ["Код", "Предмет", "Название", "Классы"],
        [RUSSIAN_1.code, "Русский язык", RUSSIAN_1.title, "1"],
        [ENGLISH_5.code, "Иностранный язык", ENGLISH_5.title, "5"],
        [MATHS_5.code, "Математика", MATHS_5.title, "5–6"],
        [ALGEBRA.code, "Математика", ALGEBRA.title, "7–9"],
    ]


def test_a_school_with_one_building_gets_a_locked_building_column():
    worksheet = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))["Контингент"]

    assert worksheet["B3"].protection.locked
    assert "B" not in validations(write_workbook(SCHOOL, CATALOGUE), "Контингент")


def test_the_instruction_names_the_school_the_campaign_and_the_year():
    worksheet = openpyxl.load_workbook(io.BytesIO(write_workbook(COMPLEX, CATALOGUE)))["Инструкция"]
    text = "\n".join(str(cell.value) for (cell,) in worksheet.iter_rows(max_col=1) if cell.value)

    assert "Школа: МОУ «Образовательный комплекс № 2»" in text
    assert f"Кампания: {COMPLEX.campaign_name}" in text
    assert "Учебный год: 2024/2025" in text
    assert "Корпуса: Корпус на Ленина, 5, Корпус 2" in text
    for words in (
        "1 комплект = 1 экземпляр",
        "Из них испорчено",
        "истёк срок использования",
        "не меняйте строку заголовков",
        "только целые числа",
        "«Книга Excel (*.xlsx)»",
        "страницу кампании",
    ):
        assert words in text
    assert worksheet.protection.sheet


def test_a_person_editing_in_another_program_keeps_the_protection_and_the_checks():
    data = edited(
        write_workbook(SCHOOL, CATALOGUE),
        {"УМК": {"D6": 20}, "Фонд": {"D4": 45}},
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))

    assert workbook["УМК"].protection.sheet
    assert workbook["УМК"]["B2"].protection.locked
    assert not workbook["УМК"]["D6"].protection.locked
    assert len(workbook["УМК"].data_validations.dataValidation) == 3
    assert workbook["Служебный"].sheet_state == "veryHidden"
    result = read(data)
    assert result.lines[-1] == LineRow(7, ALGEBRA.code, 20)
    assert result.holdings[1] == HoldingRow(MATHS_5.code, 2022, 45)


def test_six_hundred_rows_are_read_back():
    catalogue = [
        CatalogueRef(f"1.1.{index // 100}.{index % 100}.1", "Предмет", f"Учебник {index}", 1, 11)
        for index in range(300)
    ]
    buildings = ("Корпус 1", "Корпус 2")
    book = replace(
        SCHOOL,
        buildings=buildings,
        enrolment=tuple(
            EnrolmentRow(grade, 60, 2, building) for grade in range(1, 12) for building in buildings
        ),
        lines=tuple(
            LineRow(grade, catalogue[grade * 25 + index].code, 100)
            for grade in range(1, 12)
            for index in range(25)
        ),
        holdings=tuple(
            HoldingRow(entry.code, 2015 + index % 10, 120, index % 3, index % 2)
            for index, entry in enumerate(catalogue[:280])
        ),
        write_offs=tuple(
            WriteOffRow(entry.code, 3, "limit_date", f"{index}", date(2024, 5, 20))
            for index, entry in enumerate(catalogue[:30])
        ),
    )
    data = edited(write_workbook(book, catalogue), {"Фонд": {"D3": "120"}})  # as Excel saves

    result = read_workbook(data, "фонд.xlsx", catalogue, campaign_id=7, school_id=5)

    assert result == data_of(book)
    assert (
        sum(map(len, (result.enrolment, result.lines, result.holdings, result.write_offs))) == 607
    )


# --- what people do to a spreadsheet --------------------------------------------------------


def test_numbers_as_text_grades_with_letters_codes_with_dots_and_blank_rows():
    data = filled(
        {
            "Контингент": [
                ["1", None, " 50 ", "2,0"],
                [],
                ["5 А", None, "54", 2.0],
                ["7-й", None, "25", " 1"],
            ],
            "УМК": [
                ["1 класс", f"{RUSSIAN_1.code}.", "что угодно: столбец не читается", 50],
                [],
                [],
                ["5а", f" {MATHS_5.code} ", None, "54"],
            ],
            "Фонд": [[f"{RUSSIAN_1.code}. ", "старое название", "2021 г.", "1 052", "1", None]],
            "Списание": [[ALGEBRA.code, "5,0", "Истёк срок использования ", "№ 12", "10.06.2024"]],
        }
    )

    assert read(data) == WorkbookData(
        enrolment=(EnrolmentRow(1, 50, 2), EnrolmentRow(5, 54, 2), EnrolmentRow(7, 25, 1)),
        lines=(LineRow(1, RUSSIAN_1.code, 50), LineRow(5, MATHS_5.code, 54)),
        holdings=(HoldingRow(RUSSIAN_1.code, 2021, 1052, 1, 0),),
        write_offs=(WriteOffRow(ALGEBRA.code, 5, "limit_date", "12", date(2024, 6, 10)),),
    )


def test_building_names_are_taken_whatever_the_case_and_spaces():
    data = filled(
        {"Контингент": [[1, "  корпус   на ленина, 5 ", 30, 1], [1, "КОРПУС 2", 20, 1]]},
        book=replace(COMPLEX, enrolment=(), lines=(), holdings=(), write_offs=()),
    )

    assert read(data, school_id=9).enrolment == COMPLEX.enrolment[:2]


def test_a_title_merged_above_the_header_is_skipped():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))
    worksheet = workbook["Фонд"]
    worksheet.insert_rows(1, amount=3)
    worksheet["A1"] = "Мониторинг фонда учебников"
    worksheet.merge_cells("A1:F2")

    assert read(saved(workbook)).holdings == SCHOOL.holdings


def test_columns_are_found_by_their_headers_not_their_places():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))
    worksheet = workbook["Фонд"]
    # «Экземпляров» and «Из них испорчено» swapped, headers and values alike.
    for copies, damaged in worksheet.iter_rows(min_row=2, min_col=4, max_col=5):
        copies.value, damaged.value = damaged.value, copies.value

    assert read(saved(workbook)).holdings == SCHOOL.holdings
