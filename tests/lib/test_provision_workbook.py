import io
import random
from dataclasses import replace
from datetime import date

import docx
import openpyxl
import pytest
import xlsxwriter

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


# --- problems in the data -------------------------------------------------------------------

NEXT_YEAR = date.today().year + 1


def test_a_negative_count_is_reported_at_its_sheet_row_and_column():
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D4": -3}}))

    assert problem == WorkbookProblem(
        "Фонд", 4, "Экземпляров", "число экземпляров не может быть отрицательным.", "-3"
    )
    assert str(problem) == (
        "Лист «Фонд», строка 4, столбец «Экземпляров»: "
        "«-3» — число экземпляров не может быть отрицательным."
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"УМК": {"B4": "1.1.2.4.1.1"}},
            (
                "УМК",
                4,
                "Код учебника",
                "«1.1.2.4.1.1» — такого кода нет в федеральном перечне учебников; выберите код "
                "из списка.",
            ),
        ),
        (
            {"Фонд": {"A3": "9.9.9"}},
            (
                "Фонд",
                3,
                "Код учебника",
                "«9.9.9» — такого кода нет в федеральном перечне учебников; выберите код из "
                "списка.",
            ),
        ),
        (
            {"УМК": {"A6": 6}, "Контингент": {"A5": 6}},
            (
                "УМК",
                6,
                "Класс",
                "«6» — учебник «Алгебра. 7–9 классы» (1.1.3.4.1.2.1) предназначен для 7–9 классов.",
            ),
        ),
        (
            {"УМК": {"A5": 7, "D5": 25}},
            (
                "УМК",
                5,
                "Класс",
                "«7» — учебник «Английский язык. 5 класс» (1.1.2.2.1.1.10) предназначен для 5 "
                "класса.",
            ),
        ),
        (
            {"УМК": {"D3": "пятьдесят"}},
            (
                "УМК",
                3,
                "Обучающихся",
                "«пятьдесят» — это не число; укажите число обучающихся цифрами.",
            ),
        ),
        (
            {"Контингент": {"D3": 1.5}},
            ("Контингент", 3, "Классов", "«1,5» — число классов должно быть целым."),
        ),
        (
            {"Контингент": {"D3": None}},
            ("Контингент", 3, "Классов", "не указано число классов."),
        ),
        (
            {"Контингент": {"A3": "первый"}},
            ("Контингент", 3, "Класс", "«первый» — это не номер класса; укажите число от 1 до 11."),
        ),
        (
            {"Контингент": {"A5": 12}},
            ("Контингент", 5, "Класс", "«12» — класс должен быть от 1 до 11."),
        ),
        (
            {"Контингент": {"C5": 1, "D5": 25}},
            (
                "Контингент",
                5,
                "Классов",
                "«25» — классов больше, чем обучающихся (1). Не перепутаны ли столбцы?",
            ),
        ),
        (
            {"Фонд": {"E6": 20, "F6": 15}},
            (
                "Фонд",
                6,
                "Экземпляров",
                "«30» — меньше, чем испорченных и утерянных вместе (20 + 15). Испорченные и "
                "утерянные экземпляры входят в число экземпляров.",
            ),
        ),
        (
            {"Фонд": {"C4": NEXT_YEAR}},
            ("Фонд", 4, "Год поступления", f"«{NEXT_YEAR}» — этот год ещё не наступил."),
        ),
        (
            {"Фонд": {"C4": 1985}},
            (
                "Фонд",
                4,
                "Год поступления",
                "«1985» — год поступления должен быть не раньше 1990.",
            ),
        ),
        (
            {"Фонд": {"C4": "позапрошлый"}},
            (
                "Фонд",
                4,
                "Год поступления",
                "«позапрошлый» — это не год; укажите год поступления цифрами, например 2021.",
            ),
        ),
        (
            {"Списание": {"C3": "списали"}},
            (
                "Списание",
                3,
                "Причина",
                "«списали» — такой причины нет; выберите из списка: утеря, порча, истёк срок "
                "использования, другое.",
            ),
        ),
        (
            {"Списание": {"E3": "31.02.2024"}},
            (
                "Списание",
                3,
                "Дата акта",
                "«31.02.2024» — это не дата; укажите дату акта в виде ДД.ММ.ГГГГ.",
            ),
        ),
        (
            {"Списание": {"E3": date(NEXT_YEAR, 1, 1)}},
            (
                "Списание",
                3,
                "Дата акта",
                f"«01.01.{NEXT_YEAR}» — эта дата ещё не наступила.",
            ),
        ),
        (
            {"Списание": {"E4": None}},
            ("Списание", 4, "Дата акта", "не указана дата акта."),
        ),
        (
            {"Списание": {"D4": "  "}},
            ("Списание", 4, "Номер акта", "не указан номер акта."),
        ),
        (
            {"Списание": {"D4": "7/1 от 10.06.2024, утверждён директором МОУ «СОШ № 5»"}},
            (
                "Списание",
                4,
                "Номер акта",
                "«7/1 от 10.06.2024, утверждён директором МОУ «СОШ № 5»» — номер акта длиннее 40 "
                "знаков; укажите только номер.",
            ),
        ),
        (
            {"Списание": {"B4": 0}},
            (
                "Списание",
                4,
                "Экземпляров",
                "«0» — число списанных экземпляров должно быть больше нуля.",
            ),
        ),
        (
            {"Контингент": {"B3": "Корпус 1"}},
            (
                "Контингент",
                3,
                "Корпус",
                "«Корпус 1» — у школы один корпус, оставьте этот столбец пустым.",
            ),
        ),
    ],
)
def test_each_problem_is_reported_where_it_is(cells, expected):
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), cells))

    assert (problem.sheet, problem.row, problem.column, problem.text) == expected


def test_pupils_of_a_line_cannot_outnumber_the_grade():
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), {"УМК": {"D4": 60}}))

    assert problem == WorkbookProblem(
        "УМК",
        4,
        "Обучающихся",
        "«60» — больше, чем обучающихся в 5 классе по листу «Контингент» (54).",
    )


def test_a_grade_with_textbooks_needs_a_row_on_the_enrolment_sheet():
    cleared = {"A4": None, "C4": None, "D4": None}
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": cleared})

    assert only_problem(data) == WorkbookProblem(
        "Контингент",
        None,
        None,
        "нет строки для 5 класса, а на листе «УМК» для него указаны учебники (строки 4, 5).",
    )


def test_a_grade_with_textbooks_needs_pupils():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": {"C3": 0, "D3": 0}})

    assert only_problem(data) == WorkbookProblem(
        "Контингент",
        3,
        "Обучающихся",
        "«0» — в 1 классе нет обучающихся, а на листе «УМК» для него указаны учебники (строка 3).",
    )


def test_lines_are_not_checked_against_an_enrolment_with_its_own_errors():
    # The grade-5 row cannot be read; reporting its lines as having no pupils would be noise.
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": {"C4": "много"}})

    assert places(problems_of(data)) == [("Контингент", 4, "Обучающихся")]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"Контингент": {"A6": 5, "C6": 3, "D6": 1}},
            (
                "Контингент",
                6,
                "Класс",
                "«5» — 5 класс уже указан в строке 4. Параллель указывается одной строкой: "
                "сложите обучающихся и классы.",
            ),
        ),
        (
            {"УМК": {"A7": "5", "B7": MATHS_5.code, "D7": 4}},
            (
                "УМК",
                7,
                "Код учебника",
                f"«{MATHS_5.code}» — этот учебник для 5 класса уже указан в строке 4. Сложите "
                "обучающихся в одну строку.",
            ),
        ),
        (
            {"Фонд": {"A7": f"{MATHS_5.code}.", "C7": "2022", "D7": 4}},
            (
                "Фонд",
                7,
                "Год поступления",
                "«2022» — поступление этого учебника в 2022 году уже указано в строке 4. Сложите "
                "экземпляры в одну строку.",
            ),
        ),
    ],
)
def test_duplicated_rows(cells, expected):
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), cells))

    assert (problem.sheet, problem.row, problem.column, problem.text) == expected


def test_buildings_must_be_the_schools():
    data = edited(
        write_workbook(COMPLEX, CATALOGUE),
        {"Контингент": {"B3": "Корпус 3", "B4": None}, "Фонд": {"B3": "ignored"}},
    )

    problems = problems_of(data, school_id=9)

    assert [str(problem) for problem in problems] == [
        "Лист «Контингент», строка 3, столбец «Корпус»: «Корпус 3» — такого корпуса у школы нет; "
        "выберите из списка: «Корпус на Ленина, 5», «Корпус 2».",
    ]


def test_a_blank_building_means_the_whole_school():
    whole_school = replace(
        COMPLEX,
        enrolment=SCHOOL.enrolment,
    )

    assert read(write_workbook(whole_school, CATALOGUE), school_id=9) == data_of(whole_school)


def test_a_grade_both_for_the_whole_school_and_by_building_is_refused():
    data = edited(write_workbook(COMPLEX, CATALOGUE), {"Контингент": {"B4": None}})

    (problem,) = problems_of(data, school_id=9)

    assert str(problem) == (
        "Лист «Контингент», строка 3, столбец «Корпус»: «Корпус на Ленина, 5» — 1 класс уже "
        "указан в строке 4 без корпуса — для всей школы. Укажите параллель либо по корпусам, "
        "либо одной строкой для всей школы."
    )


def test_the_buildings_given_by_the_caller_win_over_the_templates():
    data = write_workbook(COMPLEX, CATALOGUE)

    problems = problems_of(data, school_id=9, buildings=["Корпус 2"])

    assert places(problems) == [("Контингент", 3, "Корпус")]


def test_every_problem_is_collected_in_file_order():
    data = edited(
        write_workbook(SCHOOL, CATALOGUE),
        {
            "Списание": {"C4": "сгорел"},
            "УМК": {"B6": "нет такого", "A3": 0},
            "Фонд": {"D3": -1, "C6": 2100},
            "Контингент": {"D5": "x"},
        },
    )

    assert places(problems_of(data)) == [
        ("Контингент", 5, "Классов"),
        ("УМК", 3, "Класс"),
        ("УМК", 6, "Код учебника"),
        ("Фонд", 3, "Экземпляров"),
        ("Фонд", 6, "Год поступления"),
        ("Списание", 4, "Причина"),
    ]


def test_a_long_list_shows_the_first_fifty_and_counts_the_rest():
    rows = [[5, "0.0.0", None, 1] for _ in range(61)]
    data = filled({"Контингент": [[5, None, 30, 1]], "УМК": rows})

    with pytest.raises(WorkbookError) as caught:
        read(data)

    assert len(caught.value.problems) == 61
    assert caught.value.messages == [
        "Лист «УМК», строки 3–63 (всего 61 строка), столбец «Код учебника»: такого кода нет в "
        "федеральном перечне учебников; выберите код из списка (строка 3 — «0.0.0»; строка 4 — "
        "«0.0.0»; строка 5 — «0.0.0», …)."
    ]


def test_a_row_with_only_a_title_is_blank_and_a_row_without_a_code_is_not():
    data = filled({"Фонд": [[None, "Букварь"], [None, None, 2020, 10]]})

    assert places(problems_of(data)) == [("Фонд", 4, "Код учебника")]


# --- the wrong file -------------------------------------------------------------------------


def test_a_template_of_another_school():
    message = only_message(write_workbook(SCHOOL, CATALOGUE), school_id=6)

    assert message == (
        "Этот файл — шаблон другой школы («МОУ «СОШ № 5»»). Скачайте шаблон своей школы на "
        "странице кампании и перенесите в него данные."
    )


def test_a_template_of_another_campaign():
    message = only_message(write_workbook(SCHOOL, CATALOGUE), campaign_id=8)

    assert message == (
        "Этот файл — шаблон другой кампании («Мониторинг обеспеченности учебниками — сентябрь "
        "2024», 2024/2025 учебный год). Скачайте шаблон на странице этой кампании и перенесите "
        "в него данные."
    )


def test_another_school_and_campaign_are_both_said_and_the_data_is_not_looked_at():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D3": -1}})

    problems = problems_of(data, campaign_id=8, school_id=6)

    assert [problem.message.split(" (")[0] for problem in problems] == [
        "Этот файл — шаблон другой школы",
        "Этот файл — шаблон другой кампании",
    ]


def test_a_spreadsheet_that_is_not_the_template():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        workbook.add_worksheet("Участники").write_row(0, 0, ["ФИО", "E-mail"])

    message = only_message(buffer.getvalue(), "участники.xlsx")

    assert message == (
        "Файл «участники.xlsx» — не шаблон мониторинга обеспеченности учебниками: в шаблоне есть "
        "листы «Контингент», «УМК», «Фонд», «Списание» и служебные данные, по которым Bibliomo "
        "узнаёт школу и кампанию. Скачайте шаблон на странице кампании, перенесите в него данные "
        "и загрузите его."
    )


def test_sheets_copied_into_another_workbook_lose_the_stamp():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))
    del workbook["Служебный"]

    message = only_message(saved(workbook), "копия.xlsx")

    assert message.startswith("В файле «копия.xlsx» нет служебных данных шаблона")


def test_a_template_of_another_format_version():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Служебный": {"B3": 99}})

    assert "сделан по шаблону другого образца" in only_message(data)


def test_a_missing_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))
    del workbook["Списание"]

    assert only_message(saved(workbook)) == (
        "В файле нет листа «Списание». Не переименовывайте и не удаляйте листы шаблона."
    )


def test_a_changed_header():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D2": "Кол-во"}})

    assert only_problem(data) == WorkbookProblem(
        "Фонд",
        2,
        None,
        "в строке заголовков нет столбца «Экземпляров». Верните заголовки из шаблона.",
    )


def test_a_wiped_header():
    cells = {f"{column}2": None for column in "ABCD"} | {"A1": None}
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": cells})

    assert only_problem(data) == WorkbookProblem(
        "Контингент",
        None,
        None,
        "не найдена строка заголовков. Верните заголовки из шаблона: «Класс», «Обучающихся», "
        "«Классов».",
    )


def test_an_empty_file():
    assert only_message(b"", "пусто.xlsx") == (
        "Файл «пусто.xlsx» пуст. Загрузите заполненный шаблон мониторинга — книгу Excel (.xlsx), "
        "скачанную на странице кампании."
    )


DAMAGED = (
    "Не удалось прочитать файл «мониторинг.xlsx»: он повреждён или это не таблица Excel. "
    "Откройте его в Excel, сохраните как «Книга Excel (*.xlsx)» и загрузите снова."
)


def test_random_bytes():
    assert only_message(random.Random(5).randbytes(4096)) == DAMAGED


def test_a_template_cut_short_in_the_upload():
    data = write_workbook(SCHOOL, CATALOGUE)

    assert only_message(data[: len(data) // 2]) == DAMAGED


def test_a_word_document_renamed_to_xlsx():
    document = docx.Document()
    document.add_paragraph("Мониторинг обеспеченности учебниками")
    buffer = io.BytesIO()
    document.save(buffer)

    assert only_message(buffer.getvalue()) == (
        "Файл «мониторинг.xlsx» — документ Word (DOCX), а не таблица. Загрузите заполненный "
        "шаблон мониторинга — книгу Excel (.xlsx), скачанную на странице кампании."
    )


def test_a_csv_file():
    message = only_message("Класс;Обучающихся\r\n5;54\r\n".encode("cp1251"), "контингент.csv")

    assert message.startswith("Файл «контингент.csv» — текстовый файл, а не таблица.")


# --- headers: an exact header wins, unknown columns are named, look-alikes are an error ------


def with_column(data: bytes, sheet: str, letter: str, title: str, value: object) -> bytes:
    """The workbook after a person inserted a column before `letter` and filled its rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook[sheet]
    index = openpyxl.utils.column_index_from_string(letter)
    worksheet.insert_cols(index)
    worksheet.cell(2, index, title)
    for row in range(FIRST_ROW, worksheet.max_row + 1):
        if worksheet.cell(row, 1).value is not None:
            worksheet.cell(row, index, value)
    return saved(workbook)


def test_an_inserted_quantity_column_does_not_replace_the_copies():
    data = with_column(write_workbook(SCHOOL, CATALOGUE), "Фонд", "C", "Количество", 2)

    result = read(data)

    assert result == data_of(SCHOOL)
    assert [str(notice) for notice in result.notices] == [
        "Лист «Фонд», строка 2, столбец «Количество»: столбец не прочитан: «Экземпляров» "
        "читается из столбца «Экземпляров»."
    ]


def test_an_inserted_year_of_publication_does_not_replace_the_purchase_year():
    data = with_column(write_workbook(SCHOOL, CATALOGUE), "Фонд", "C", "Год", 2010)

    result = read(data)

    assert [row.purchase_year for row in result.holdings] == [2021, 2022, 2023, 2019]
    assert [notice.column for notice in result.notices] == ["Год"]


def test_an_unknown_column_is_named_in_a_notice():
    data = with_column(write_workbook(SCHOOL, CATALOGUE), "УМК", "E", "Примечание", "новый")

    result = read(data)

    assert result == data_of(SCHOOL)
    assert [str(notice) for notice in result.notices] == [
        "Лист «УМК», строка 2, столбец «Примечание»: такого столбца нет в шаблоне, его данные "
        "не загружены."
    ]


def test_two_aliases_of_one_field_without_the_exact_header_are_an_error():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D2": "Количество"}})
    data = with_column(data, "Фонд", "E", "Всего экземпляров", 7)

    assert [str(problem) for problem in problems_of(data)] == [
        "Лист «Фонд», строка 2: непонятно, какой из столбцов «Количество» (D) и «Всего "
        "экземпляров» (E) читать как «Экземпляров». Оставьте один из них или переименуйте "
        "лишний."
    ]


def test_two_exact_headers_of_one_field_are_an_error():
    data = with_column(write_workbook(SCHOOL, CATALOGUE), "Фонд", "E", "Экземпляров", 7)

    (problem,) = problems_of(data)

    assert "«Экземпляров» (D) и «Экземпляров» (E)" in str(problem)


# --- what really is in the file -----------------------------------------------------------


def test_a_formula_without_a_saved_result_is_not_taken_for_an_empty_cell():
    # openpyxl, like any program but Excel, saves a formula without its result.
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D3": "=50+2"}})

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == ("Фонд", 3, "Экземпляров")
    assert problem.message.startswith("в ячейке формула, но её результат не сохранён в файле.")


def test_a_formula_with_its_result_is_read():
    buffer = io.BytesIO(write_workbook(SCHOOL, CATALOGUE))
    workbook = openpyxl.load_workbook(buffer)
    data = saved(workbook)  # the title formulas lose their results: they are never read

    assert read(data) == data_of(SCHOOL)


def test_a_hidden_row_is_a_notice_and_its_data_is_read():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook(SCHOOL, CATALOGUE)))
    workbook["Фонд"].row_dimensions[4].hidden = True

    result = read(saved(workbook))

    assert result == data_of(SCHOOL)
    assert [str(notice) for notice in result.notices] == [
        "Лист «Фонд», строка 4: строка скрыта в Excel, но её данные загружены. Проверьте, "
        "нужны ли они."
    ]


def test_a_sheet_longer_than_the_limit_is_refused_before_it_is_read():
    from bibliomo.lib.spreadsheets import SheetLimits

    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": {"A40": 5}})

    with pytest.raises(WorkbookError) as caught:
        read_workbook(
            data,
            "мониторинг.xlsx",
            CATALOGUE,
            campaign_id=7,
            school_id=5,
            limits=SheetLimits(max_rows=30, max_cells=10_000),
        )

    (message,) = caught.value.messages
    assert message.startswith("Слишком большая таблица: на листе «Контингент» 40 строк, а можно")


def test_an_act_number_longer_than_the_stored_field_is_refused():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Списание": {"D3": "12345678901"}})

    with pytest.raises(WorkbookError) as caught:
        read_workbook(
            data,
            "мониторинг.xlsx",
            CATALOGUE,
            campaign_id=7,
            school_id=5,
            max_lengths={"act_number": 10},
        )

    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.message) == (
        3,
        "Номер акта",
        "номер акта длиннее 10 знаков; укажите только номер.",
    )
