import io
import zipfile
from dataclasses import dataclass, replace
from datetime import date

import docx
import pytest
import xlsxwriter

from bibliomo.lib.fpu import (
    ADVANCED,
    BASIC,
    CatalogueDiff,
    FpuEntry,
    FpuFileError,
    FpuProblem,
    code_sort_key,
    diff_catalogue,
    normalise_code,
    read_fpu,
)

OFFICIAL_HEADER = [
    "Порядковый номер учебника",
    "Наименование учебника",
    "Автор/авторский коллектив",
    "Класс",
    "Наименование издателя(ей) учебника",
]
SHORT_HEADER = "Код;Предмет;Название;Авторы;Класс;Издатель;Уровень;Приказ;Срок использования"


def xlsx(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook; dates are written as Excel dates, everything else as it comes."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        day = workbook.add_format({"num_format": "dd.mm.yyyy"})
        for name, rows in sheets.items():
            worksheet = workbook.add_worksheet(name)
            if name in hidden:
                worksheet.hide()
            for index, row in enumerate(rows):
                for column, value in enumerate(row):
                    if isinstance(value, date):
                        worksheet.write_datetime(index, column, value, day)
                    elif isinstance(value, str):
                        worksheet.write_string(index, column, value)  # «5» stays text
                    else:
                        worksheet.write(index, column, value)
    return buffer.getvalue()


def official(*rows: list[object]) -> bytes:
    """A sheet «ФПУ» like the appendix: a merged title, a blank row, the header on row 3."""
    return xlsx({"ФПУ": [["Федеральный перечень учебников"], [], OFFICIAL_HEADER, *rows]})


def entry(code: str, subject: str, title: str, grades: tuple[int, int], **changes) -> FpuEntry:
    values = {
        "authors": "Гаврилова О.С.",
        "publisher": "Просвещение",
        "level": BASIC,
        "order": "",
    }
    values.update(changes)
    return FpuEntry(code, subject, title, grade_from=grades[0], grade_to=grades[1], **values)


def problems_of(data: bytes, filename: str = "fpu.xlsx") -> list[FpuProblem]:
    with pytest.raises(FpuFileError) as caught:
        read_fpu(data, filename)
    return caught.value.problems


def messages_of(data: bytes, filename: str = "fpu.xlsx") -> list[str]:
    return [str(problem) for problem in problems_of(data, filename)]


def only_message(data: bytes, filename: str) -> str:
    (problem,) = problems_of(data, filename)
    assert (problem.sheet, problem.row, problem.column) == ("", None, None)
    return str(problem)


# --- the official layout --------------------------------------------------------------------


def test_the_official_layout_with_sections_instead_of_a_subject_column():
    data = official(
        ["1", "2", "3", "4", "5"],  # the column numbers official tables put under the header
        ["1.1.2", "Основное общее образование"],
        ["1.1.2.1", "Русский язык и литература (предметная область)"],
        ["1.1.2.1.1.", "Русский язык (учебный предмет)"],
        ["1.1.2.1.1.1.1.", "Русский язык. 5 класс", "Гаврилова О.С., Ершов М.П.", 5, "Просвещение"],
        [
            "1.1.2.1.1.1.2",
            "Русский язык. 6–7 классы",
            "Гаврилова О.С.",
            "6-7 классы",
            "Просвещение",
        ],
        [],
        ["1.1.2.1.2", "Литература (учебный предмет)"],
        [" 1.1.2.1.2.1.1 ", "Литература. 5 класс ", " Ершова Л.Г. ", " 5 класс", "Дрофа "],
    )

    assert read_fpu(data, "fpu.xlsx") == [
        entry(
            "1.1.2.1.1.1.1",
            "Русский язык",
            "Русский язык. 5 класс",
            (5, 5),
            authors="Гаврилова О.С., Ершов М.П.",
        ),
        entry("1.1.2.1.1.1.2", "Русский язык", "Русский язык. 6–7 классы", (6, 7)),
        entry(
            "1.1.2.1.2.1.1",
            "Литература",
            "Литература. 5 класс",
            (5, 5),
            authors="Ершова Л.Г.",
            publisher="Дрофа",
        ),
    ]


def test_a_section_row_may_be_just_the_subject_in_a_merged_first_cell():
    data = official(
        ["Информатика"],
        ["1.1.2.3.5.1.1", "Информатика. 7 класс", "Назаров К.Е.", "7", "БИНОМ. Лаборатория знаний"],
    )

    (read,) = read_fpu(data, "fpu.xlsx")

    assert read.subject == "Информатика"


def test_without_a_level_column_the_title_names_the_advanced_level():
    data = official(
        ["Физика"],
        ["1.1.3.5.1.1.1", "Физика. 10 класс. Базовый уровень", "Зимин Л.В.", 10, "Просвещение"],
        ["1.1.3.5.1.2.2", "Физика. 10 класс. Углублённый уровень", "Соболев Г.Н.", 10, "Дрофа"],
        [
            "1.1.3.5.1.2.3",
            "Физика. 10–11 классы. Базовый и углубленный уровни",
            "Соболев Г.Н.",
            "10–11",
            "Дрофа",
        ],
    )

    assert [read.level for read in read_fpu(data, "fpu.xlsx")] == [BASIC, ADVANCED, BASIC]


@pytest.mark.parametrize(
    ("written", "grades"),
    [
        ("5", (5, 5)),
        ("5-9", (5, 9)),
        ("5–9", (5, 9)),
        ("5—9", (5, 9)),
        ("10 - 11", (10, 11)),
        ("5 класс", (5, 5)),
        ("5-6 классы", (5, 6)),
        ("1–4 кл.", (1, 4)),
        (11.0, (11, 11)),
    ],
)
def test_grades_in_the_ways_lists_write_them(written, grades):
    data = official(
        ["Математика"], ["1.1.1.3.1.1.1", "Математика", "Прохоров Г.И.", written, "Просвещение"]
    )

    (read,) = read_fpu(data, "fpu.xlsx")

    assert (read.grade_from, read.grade_to) == grades


def test_optional_columns_in_a_csv_with_a_subject_column():
    text = (
        "\ufeffФедеральный перечень учебников (выписка)\r\n"
        f"{SHORT_HEADER}\r\n"
        "1.1.3.3.1.2.3;Алгебра;Алгебра и начала математического анализа. 10 класс;Фролов В.Д.;10;"
        "Мнемозина;углублённый уровень;№ 858 от 21.09.2022;\r\n"
        "1.1.3.3.1.3.5;Алгебра;Алгебра и начала математического анализа. 10–11 классы;"
        "Белозёров И.К.;10–11;Легион;Базовый;№ 119 от 21.02.2024;до 31.08.2025 г.\r\n"
        "1.1.3.3.1.3.6;Алгебра;Алгебра. 11 класс;Белозёров И.К.;11;Легион;;;2027-08-31\r\n"
    )

    assert read_fpu(text.encode("utf-8"), "выписка.csv") == [
        entry(
            "1.1.3.3.1.2.3",
            "Алгебра",
            "Алгебра и начала математического анализа. 10 класс",
            (10, 10),
            authors="Фролов В.Д.",
            publisher="Мнемозина",
            level=ADVANCED,
            order="№ 858 от 21.09.2022",
        ),
        entry(
            "1.1.3.3.1.3.5",
            "Алгебра",
            "Алгебра и начала математического анализа. 10–11 классы",
            (10, 11),
            authors="Белозёров И.К.",
            publisher="Легион",
            order="№ 119 от 21.02.2024",
            limit_date=date(2025, 8, 31),
        ),
        entry(
            "1.1.3.3.1.3.6",
            "Алгебра",
            "Алгебра. 11 класс",
            (11, 11),
            authors="Белозёров И.К.",
            publisher="Легион",
            limit_date=date(2027, 8, 31),
        ),
    ]


def test_an_empty_subject_cell_falls_back_to_the_section_row():
    text = f"{SHORT_HEADER}\nХимия\n1.1.2.5.2.1.1;;Химия. 8 класс;Крючков Б.А.;8;Просвещение;;;\n"

    (read,) = read_fpu(text.encode(), "fpu.csv")

    assert read.subject == "Химия"


def test_windows_1251_csv_with_commas_and_a_limit_date_cell_in_a_workbook():
    text = (
        "Код,Название,Авторы,Класс,Издатель,Предельный срок\r\n"
        "География\r\n"
        '1.1.2.4.4.1.1,География. 5–6 классы,"Полякова Т.Е., Гришин А.В.",5–6,Просвещение,\r\n'
    )
    (from_csv,) = read_fpu(text.encode("cp1251"), "fpu.csv")
    assert from_csv.authors == "Полякова Т.Е., Гришин А.В."
    assert (from_csv.grade_from, from_csv.grade_to) == (5, 6)

    data = xlsx(
        {
            "Лист1": [
                ["Код", "Название", "Авторы", "Класс", "Издатель", "Предельный срок"],
                ["География"],
                [
                    "1.1.2.4.4.1.1",
                    "География. 5–6 классы",
                    "Полякова Т.Е.",
                    "5–6",
                    "Просвещение",
                    date(2027, 8, 31),
                ],
            ]
        }
    )
    (from_xlsx,) = read_fpu(data, "fpu.xlsx")
    assert from_xlsx.limit_date == date(2027, 8, 31)


def test_tab_separated_text_saved_under_an_excel_name_is_read_by_its_content():
    text = "№\tНазвание\tАвторы\tКласс\tИздатель\nМузыка\n1.1.1.5.2.1.1\tМузыка. 1 класс\tБыстрова Д.А.\t1\tПросвещение\n"

    (read,) = read_fpu(text.encode("utf-16"), "перечень.xls")

    assert (read.code, read.subject) == ("1.1.1.5.2.1.1", "Музыка")


def test_header_words_in_any_case_with_yo_as_ye():
    text = (
        "ПОРЯДКОВЫЙ НОМЕР УЧЕБНИКА;НАИМЕНОВАНИЕ УЧЕБНИКА;АВТОР(Ы);КЛАСС(Ы);ИЗДАТЕЛЬСТВО;"
        "Уровень изучения;Включён приказом\n"
        "Физика\n"
        "1.1.3.5.1.2.3;Физика. 11 класс;Соболев Г.Н.;11;Дрофа;УГЛУБЛЕННЫЙ;№ 858 от 21.09.2022\n"
    )

    (read,) = read_fpu(text.encode(), "fpu.csv")

    assert (read.level, read.order) == (ADVANCED, "№ 858 от 21.09.2022")


def test_a_row_counter_column_is_not_the_code():
    text = (
        "№ п/п;Порядковый номер учебника;Наименование учебника;Автор/авторский коллектив;Класс;"
        "Наименование издателя(ей) учебника\n"
        "Биология\n"
        "1;1.1.2.5.3.1.1;Биология. 5 класс;Лосева Н.П.;5;Просвещение\n"
    )

    (read,) = read_fpu(text.encode(), "fpu.csv")

    assert read.code == "1.1.2.5.3.1.1"


def test_the_header_repeated_on_every_page_is_skipped():
    data = official(
        ["Биология"],
        ["1.1.2.5.3.1.1", "Биология. 5 класс", "Лосева Н.П.", 5, "Просвещение"],
        OFFICIAL_HEADER,
        ["1.1.2.5.3.1.2", "Биология. 6 класс", "Лосева Н.П.", 6, "Просвещение"],
    )

    assert [read.code for read in read_fpu(data, "fpu.xlsx")] == ["1.1.2.5.3.1.1", "1.1.2.5.3.1.2"]


def test_the_first_visible_sheet_with_a_header_is_read():
    def sheet(title: str) -> list[list[object]]:
        return [
            OFFICIAL_HEADER,
            ["Музыка"],
            ["1.1.1.5.2.1.1", title, "Быстрова Д.А.", 1, "Просвещение"],
        ]

    data = xlsx(
        {
            "Титул": [["Приказ № 858 от 21.09.2022"]],
            "Черновик": sheet("Музыка. Черновик"),
            "Перечень": sheet("Музыка. 1 класс"),
        },
        hidden=("Черновик",),
    )

    (read,) = read_fpu(data, "fpu.xlsx")

    assert read.title == "Музыка. 1 класс"


def test_the_header_is_searched_for_in_the_first_fifteen_rows():
    body = [["Музыка"], ["1.1.1.5.2.1.1", "Музыка. 1 класс", "Быстрова Д.А.", 1, "Просвещение"]]

    assert read_fpu(xlsx({"ФПУ": [*[["Приложение"]] * 14, OFFICIAL_HEADER, *body]}), "fpu.xlsx")
    assert messages_of(xlsx({"ФПУ": [*[["Приложение"]] * 15, OFFICIAL_HEADER, *body]})) == [
        "В первых 15 строках листа «ФПУ» не найдена строка заголовков перечня. Нужны столбцы "
        "«Порядковый номер учебника» (или «Код»), «Наименование учебника», «Автор/авторский "
        "коллектив», «Класс» и «Наименование издателя(ей) учебника»."
    ]


# --- problems in rows -----------------------------------------------------------------------


def test_a_grade_outside_1_to_11_is_reported_with_sheet_row_and_column():
    data = official(
        ["Русский язык"],
        ["1.1.2.1.1.1.1", "Русский язык. 5 класс", "Гаврилова О.С.", "5", "Просвещение"],
        ["1.1.2.1.1.1.2", "Русский язык", "Гаврилова О.С.", "5–12", "Просвещение"],
    )

    assert messages_of(data) == [
        "Лист «ФПУ», строка 6, столбец «Класс»: «5–12» — класс должен быть от 1 до 11."
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", "«0» — класс должен быть от 1 до 11."),
        ("9–5", "«9–5» — в диапазоне классов первый больше последнего."),
        ("пятый", "«пятый» — не класс: укажите класс числом («5») или диапазоном («5–9»)."),
        ("5.5", "«5.5» — не класс: укажите класс числом («5») или диапазоном («5–9»)."),
        (
            date(2025, 9, 5),
            "Excel превратил классы в дату (05.09.2025). Задайте столбцу текстовый формат и "
            "введите классы заново, например «5–9».",
        ),
    ],
)
def test_bad_grades(written, message):
    data = official(
        ["География"], ["1.1.2.4.4.1.1", "География", "Полякова Т.Е.", written, "Просвещение"]
    )

    (problem,) = problems_of(data)

    assert (problem.sheet, problem.row, problem.column, problem.text) == (
        "ФПУ",
        5,
        "Класс",
        message,
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "1.1",
            "«1.1» — не код учебника: нужны не меньше трёх чисел через точку, например «1.1.1.2.1.3.61».",
        ),
        (
            1.1,  # what Excel makes of a short code typed into a number cell
            "«1.1» — не код учебника: нужны не меньше трёх чисел через точку, например «1.1.1.2.1.3.61».",
        ),
        (
            "1.1.а.1",
            "«1.1.а.1» — не код учебника: нужны не меньше трёх чисел через точку, например «1.1.1.2.1.3.61».",
        ),
        (
            date(2001, 1, 1),
            "Excel превратил код учебника в дату (01.01.2001). Задайте столбцу текстовый формат и "
            "введите код заново.",
        ),
    ],
)
def test_bad_codes(written, message):
    data = official(["Физика"], [written, "Физика. 7 класс", "Зимин Л.В.", 7, "Просвещение"])

    (problem,) = problems_of(data)

    assert (problem.row, problem.column, problem.text) == (
        5,
        "Порядковый номер учебника",
        message,
    )


def test_a_repeated_code_is_reported_on_its_second_row():
    data = official(
        ["Физика"],
        ["1.1.2.5.1.1.1", "Физика. 7 класс", "Зимин Л.В.", 7, "Просвещение"],
        ["1.1.2.5.1.1.2", "Физика. 8 класс", "Зимин Л.В.", 8, "Просвещение"],
        ["1.1.2.5.1.1.1.", "Физика. 9 класс", "Зимин Л.В.", 9, "Просвещение"],
    )

    assert messages_of(data) == [
        "Лист «ФПУ», строка 7, столбец «Порядковый номер учебника»: "
        "код «1.1.2.5.1.1.1» уже встречался в строке 5."
    ]


def test_every_problem_of_every_row_is_listed_and_nothing_is_read():
    text = (
        f"{SHORT_HEADER}\n"
        "1.1.2.5.2.1.1;Химия;Химия. 8 класс;Крючков Б.А.;8;Просвещение;;;\n"
        ";;Химия. 9 класс;;9;;средний;;31.02.2027\n"
        "1.1.2.5.2.1.3;Химия;;Крючков Б.А.;;Просвещение;;;бессрочно\n"
    )

    assert messages_of(text.encode(), "fpu.csv") == [
        "Строка 3, столбец «Код»: не указан код учебника.",
        "Строка 3, столбец «Предмет»: не указан предмет.",
        "Строка 3, столбец «Авторы»: не указаны авторы.",
        "Строка 3, столбец «Издатель»: не указан издатель.",
        "Строка 3, столбец «Уровень»: «средний» — уровень должен быть «базовый» или «углублённый» "
        "(пустая ячейка — базовый).",
        "Строка 3, столбец «Срок использования»: «31.02.2027» — не дата: запишите предельный срок "
        "как «31.08.2027».",
        "Строка 4, столбец «Название»: не указано наименование учебника.",
        "Строка 4, столбец «Класс»: не указан класс.",
        "Строка 4, столбец «Срок использования»: «бессрочно» — не дата: запишите предельный срок "
        "как «31.08.2027».",
    ]


def test_an_entry_under_no_subject_section_is_a_problem():
    data = official(
        ["1.1.2.5", "Естественно-научные предметы (предметная область)"],
        ["1.1.2.5.1.1.1", "Физика. 7 класс", "Зимин Л.В.", 7, "Просвещение"],
    )

    assert messages_of(data) == [
        "Лист «ФПУ», строка 5: не удалось определить предмет: в таблице нет столбца «Предмет», "
        "а выше этой строки нет строки раздела с названием учебного предмета."
    ]


def test_the_same_problem_in_sixty_rows_is_one_message():
    rows = [
        [f"1.1.2.{number}", "Физика", "Зимин Л.В.", "12", "Просвещение"] for number in range(60)
    ]

    with pytest.raises(FpuFileError) as caught:
        read_fpu(official(["Физика"], *rows), "fpu.xlsx")

    assert len(caught.value.problems) == 60
    assert caught.value.messages == [
        "Лист «ФПУ», строки 5–64 (всего 60 строк), столбец «Класс»: класс должен быть от 1 до "
        "11 (строка 5 — «12»; строка 6 — «12»; строка 7 — «12», …)."
    ]


def test_a_long_value_is_shortened_in_the_message():
    (problem,) = problems_of(
        official(["Физика"], ["1.1.2.5.1.1.1", "Физика", "Зимин Л.В.", "7" * 80, "Просвещение"])
    )

    assert problem.text.startswith(f"«{'7' * 60}…» — не класс")


def test_a_missing_required_column_is_named():
    data = xlsx(
        {
            "ФПУ": [
                ["Федеральный перечень"],
                ["Код", "Название", "Авторы"],
                ["1.1.1.1.1.1.1", "Азбука", "Гаврилова О.С."],
            ]
        }
    )

    assert messages_of(data) == [
        "Лист «ФПУ», строка 2: в строке заголовков нет столбцов «Класс» и "
        "«Наименование издателя(ей) учебника»."
    ]


def test_a_header_without_entries_is_an_error():
    data = official(["1.1.1", "Начальное общее образование"], [])

    assert messages_of(data) == ["Лист «ФПУ»: под строкой заголовков нет ни одного учебника."]


def test_a_problem_without_a_place_reads_as_a_sentence():
    assert str(FpuProblem("", None, None, "файл пуст.")) == "Файл пуст."
    assert (
        str(FpuProblem("", 4, "Класс", "не указан класс."))
        == "Строка 4, столбец «Класс»: не указан класс."
    )


# --- files that are not a list --------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file(data):
    assert only_message(data, "fpu.csv") == (
        "Файл «fpu.csv» пуст. Загрузите федеральный перечень учебников в формате Excel (XLSX, XLS), "
        "OpenDocument (ODS) или CSV."
    )


def test_a_pdf_is_refused_with_what_is_expected():
    assert only_message(b"%PDF-1.7\n...", "Приказ 858.pdf") == (
        "Файл «Приказ 858.pdf» — документ PDF, а не таблица. Загрузите федеральный перечень "
        "учебников в формате Excel (XLSX, XLS), OpenDocument (ODS) или CSV."
    )


def test_a_word_document_renamed_to_xlsx_is_recognised():
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Федеральный перечень учебников")
    document.save(buffer)

    assert only_message(buffer.getvalue(), "C:\\Мои документы\\фпу.xlsx").startswith(
        "Файл «фпу.xlsx» — документ Word (DOCX), а не таблица"
    )


def test_a_web_page_saved_as_xls_is_recognised():
    message = only_message(b"<html><body><table></table></body></html>", "fpu.xls")

    assert message.startswith("Файл «fpu.xls» — страница HTML, а не таблица")


def test_a_truncated_xlsx_is_a_damaged_spreadsheet():
    data = official(["Физика"])

    assert only_message(data[: len(data) // 2], "fpu.xlsx").startswith(
        "Не удалось прочитать файл «fpu.xlsx»: он повреждён"
    )


def test_a_zip_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fpu.csv", "Код;Название")

    assert only_message(buffer.getvalue(), "fpu.zip").startswith(
        "Файл «fpu.zip» — архив, а не таблица"
    )


def test_random_bytes_are_unreadable():
    noise = bytes(range(256)) * 4

    assert only_message(noise, "fpu.csv").startswith(
        "Не удалось прочитать файл «fpu.csv»: это не таблица"
    )
    assert only_message(noise, "fpu.xlsx").startswith(
        "Не удалось прочитать файл «fpu.xlsx»: он повреждён"
    )


def test_a_csv_without_a_header_says_what_columns_are_expected():
    message = only_message("Учебник;Класс\nАзбука;1\n".encode(), "fpu.csv")

    assert message.startswith("В первых 15 строках файла не найдена строка заголовков перечня.")
    assert message.endswith("столбцы разделяются точкой с запятой, запятой или табуляцией.")


# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("1.1.1.2.1.3.61", "1.1.1.2.1.3.61"),
        ("1.1.1.2.1.3.61.", "1.1.1.2.1.3.61"),
        (" 1. 1. 1 ", "1.1.1"),
        ("1.1", None),
        ("1..1.1", None),
        ("1.1.1-2", None),
        ("", None),
    ],
)
def test_normalise_code(written, code):
    assert normalise_code(written) == code


def test_codes_sort_in_the_lists_own_order():
    codes = ["1.1.2.1.1.1.10", "1.1.10.1", "1.1.2.1.1.1.9", "1.1.2"]

    assert sorted(codes, key=code_sort_key) == [
        "1.1.2",
        "1.1.2.1.1.1.9",
        "1.1.2.1.1.1.10",
        "1.1.10.1",
    ]


# --- comparing versions of the list ---------------------------------------------------------


def test_diff_catalogue_reports_added_changed_and_removed_codes_in_code_order():
    kept = entry("1.1.2.3.2.1.1", "Алгебра", "Алгебра. 7 класс", (7, 7))
    renamed = entry("1.1.2.3.3.1.2", "Геометрия", "Геометрия. 7–9 классы", (7, 9))
    regraded = entry("1.1.2.3.3.1.10", "Геометрия", "Геометрия. 8 класс", (8, 8))
    dropped = entry("1.1.2.3.5.2.4", "Информатика", "Информатика. 7 класс", (7, 7))
    new = [
        kept,
        replace(regraded, title="Геометрия. 8–9 классы", grade_to=9, publisher="Дрофа"),
        replace(renamed, title="Математика. Геометрия. 7–9 классы"),
        entry("1.1.3.3.4.1.1", "Вероятность и статистика", "Вероятность и статистика", (10, 11)),
        entry("1.1.2.3.4.1.1", "Вероятность и статистика", "Вероятность и статистика", (7, 9)),
    ]
    old = {item.code: item for item in (dropped, regraded, renamed, kept)}

    assert diff_catalogue(old, new) == CatalogueDiff(
        added=["1.1.2.3.4.1.1", "1.1.3.3.4.1.1"],
        changed=[
            ("1.1.2.3.3.1.2", ["наименование"]),
            ("1.1.2.3.3.1.10", ["наименование", "классы", "издатель"]),
        ],
        removed=["1.1.2.3.5.2.4"],
    )


def test_diff_catalogue_names_every_compared_field_and_ignores_the_limit_date():
    before = entry(
        "1.1.3.5.2.1.1", "Химия", "Химия. 10 класс", (10, 10), order="№ 858 от 21.09.2022"
    )
    after = FpuEntry(
        "1.1.3.5.2.1.1",
        "Химия (базовый уровень)",
        "Химия. 10–11 классы",
        "Крючков Б.А.",
        10,
        11,
        "Дрофа",
        ADVANCED,
        "№ 119 от 21.02.2024",
        limit_date=date(2027, 8, 31),
    )

    diff = diff_catalogue({before.code: before}, [after])

    assert diff.changed == [
        (
            "1.1.3.5.2.1.1",
            ["предмет", "наименование", "авторы", "классы", "издатель", "уровень", "приказ"],
        )
    ]
    assert diff_catalogue(
        {before.code: before}, [replace(before, limit_date=date(2025, 8, 31))]
    ).unchanged


def test_diff_catalogue_takes_anything_with_the_entry_fields_as_the_old_list():
    @dataclass
    class Stored:  # a database row, say
        code: str
        subject: str
        title: str
        authors: str
        grade_from: int
        grade_to: int
        publisher: str
        level: str
        order: str

    new = entry("1.1.1.3.1.1.1", "Математика", "Математика. 1 класс", (1, 1))
    stored = Stored(**{name: getattr(new, name) for name in Stored.__dataclass_fields__})

    assert diff_catalogue({new.code: stored}, [new]).unchanged
    assert diff_catalogue({new.code: stored}, []).removed == [new.code]


# --- the shared header rules and stored lengths ----------------------------------------------


def test_an_exact_header_wins_over_an_alias_and_the_alias_is_named():
    from bibliomo.lib.fpu import read_fpu_file

    text = (
        "Код;Предмет;Название;Наименование учебного пособия;Авторы;Класс;Издатель;Примечание\n"
        "1.1.1.1.1.1.1;Русский язык;Азбука;Пропись;Горецкий В.Г.;1;Просвещение;новый\n"
    )

    result = read_fpu_file(text.encode(), "fpu.csv")

    assert [entry.title for entry in result.entries] == ["Азбука"]
    assert [str(notice) for notice in result.notices] == [
        "Строка 1, столбец «Наименование учебного пособия»: столбец не прочитан: «Наименование "
        "учебника» читается из столбца «Название».",
        "Строка 1, столбец «Примечание»: такого столбца нет в перечне, его данные не загружены.",
    ]


def test_two_columns_that_could_both_be_the_grade_are_an_error():
    text = "Код;Предмет;Название;Авторы;Класс;Класс;Издатель\n"

    assert messages_of(text.encode(), "fpu.csv") == [
        "Строка 1: непонятно, какой из столбцов «Класс» (E) и «Класс» (F) читать как «Класс». "
        "Оставьте один из них или переименуйте лишний."
    ]


def test_values_longer_than_the_catalogue_stores_are_refused_at_their_cells():
    code = "1.1." + "1" * 37  # 41 characters
    order = "Приказ " + "о" * 227  # 234 characters
    text = (
        "Код;Предмет;Название;Авторы;Класс;Издатель;Приказ\n"
        f"{code};Физика;Физика;Зимин Л.В.;7;Просвещение;\n"
        f"1.1.2.5.1.1.1;Физика;Физика;Зимин Л.В.;7;Просвещение;{order}\n"
    )

    problems = problems_of(text.encode(), "fpu.csv")

    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "Код", "слишком длинное значение: 41 знак, а можно не больше 40. Сократите его."),
        (3, "Приказ", "слишком длинное значение: 234 знака, а можно не больше 100. Сократите его."),
    ]


def test_a_csv_longer_than_the_limit_is_refused():
    from bibliomo.lib.spreadsheets import SheetLimits

    text = "Код;Предмет;Название;Авторы;Класс;Издатель\n" + "1.1.1;А;Б;В;1;Г\n" * 20

    with pytest.raises(FpuFileError) as caught:
        read_fpu(text.encode(), "fpu.csv", limits=SheetLimits(max_rows=10, max_cells=1000))

    assert caught.value.messages == [
        "Слишком большая таблица: в файле 21 строка, а можно не больше 10. Удалите лишние строки "
        "(в том числе пустые строки с оформлением в конце) или разделите файл на части."
    ]


def test_a_formula_without_a_saved_result_is_not_called_an_empty_cell():
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(official(["Физика"])))
    workbook["ФПУ"].append(["1.1.2.5.1.1.1", "Физика", "Зимин Л.В.", "=5+2", "Просвещение"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    (problem,) = problems_of(buffer.getvalue())

    assert (problem.row, problem.column) == (5, "Класс")
    assert problem.message.startswith("в ячейке формула, но её результат не сохранён")
