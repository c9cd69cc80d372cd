"""The wrong file, changed headers and what really is in a provision workbook file."""

import io
import random

import docx
import openpyxl
import pytest
import xlsxwriter

from bibliomo.lib.provision_workbook import (
    WorkbookError,
    WorkbookProblem,
    read_workbook,
    write_workbook,
)
from tests.lib.provision_workbook_cases import (
    CATALOGUE,
    FIRST_ROW,
    SCHOOL,
    data_of,
    edited,
    only_message,
    only_problem,
    problems_of,
    read,
    saved,
)

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
