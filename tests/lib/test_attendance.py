import io
import random

import docx
import pytest
import xlsxwriter

from bibliomo.lib.attendance import (
    AttendanceFileError,
    AttendanceRow,
    PersonRef,
    Problem,
    match_attendance,
    read_attendance_file,
)


def read_attendance(data: bytes, filename: str):
    """The participants listed in a file, in file order (the rows of `read_attendance_file`)."""
    return read_attendance_file(data, filename).rows


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        for name, rows in sheets.items():
            worksheet = workbook.add_worksheet(name)
            for index, row in enumerate(rows):
                worksheet.write_row(index, 0, row)
    return buffer.getvalue()


def problems_of(data: bytes, filename: str) -> list[Problem]:
    with pytest.raises(AttendanceFileError) as caught:
        read_attendance(data, filename)
    return caught.value.problems


def only_message(data: bytes, filename: str) -> str:
    (problem,) = problems_of(data, filename)
    assert (problem.sheet, problem.row, problem.column) == ("", None, None)
    return str(problem)


# --- reading CSV ----------------------------------------------------------------------------


def test_semicolon_csv_in_windows_1251_after_a_title():
    text = (
        "Участники вебинара «Алгоритм заказа учебников»;;\r\n"
        ";;\r\n"
        "ФИО;E-mail;Время подключения\r\n"
        "Семёнова Алёна Петровна;Semenova@School5.ru;10:02\r\n"
        ";;\r\n"
        "Иванова Анна;;10:05\r\n"
    )

    rows = read_attendance(text.encode("cp1251"), "участники.csv")

    assert rows == [
        AttendanceRow("", 4, "Semenova@School5.ru", "Семёнова Алёна Петровна"),
        AttendanceRow("", 6, "", "Иванова Анна"),
    ]


def test_comma_csv_in_utf8_with_bom_and_quoted_cells():
    text = (
        'Имя,Email,"Комментарий, если есть"\n'
        '"Петрова  Мария",mailto:petrova@mail.ru,"Здравствуйте, коллеги"\n'
        "Сидоров Павел,<sidorov@yandex.ru>,\n"
    )

    rows = read_attendance(b"\xef\xbb\xbf" + text.encode("utf-8"), "export.csv")

    # «Имя» with no «Фамилия» beside it is the whole name, as webinar platforms use it.
    assert rows == [
        AttendanceRow("", 2, "petrova@mail.ru", "Петрова Мария"),
        AttendanceRow("", 3, "sidorov@yandex.ru", "Сидоров Павел"),
    ]


def test_tab_separated_text_saved_as_xls_is_read_by_its_content():
    text = "Фамилия\tИмя\tОтчество\tПочта\r\nКузнецова\tОльга\tИвановна\tkuz@school.ru\r\n"

    rows = read_attendance(text.encode("utf-16"), "webinar.xls")

    assert rows == [AttendanceRow("", 2, "kuz@school.ru", "Кузнецова Ольга Ивановна")]


def test_header_words_are_recognised_in_any_case_and_with_qualifiers():
    text = "№;Ф.И.О. участника;Адрес электронной почты\n1;Иванова Анна;a@b.ru\n"

    assert read_attendance(text.encode(), "list.csv") == [
        AttendanceRow("", 2, "a@b.ru", "Иванова Анна")
    ]


# --- reading spreadsheets -------------------------------------------------------------------


def test_xlsx_with_title_header_on_row_3_and_separate_name_columns():
    data = xlsx(
        {
            "Участники": [
                ["Семинар 24.04.2025"],
                [],
                ["№", "Фамилия", "Имя", "Отчество", "E-mail"],
                [1, "Леонтьева", "Эльвира", "Викторовна", "leontieva@umc.ru"],
                [],
                [2, "Никитенко", "Татьяна", "", ""],
            ]
        }
    )

    rows = read_attendance(data, "list.xlsx")

    assert rows == [
        AttendanceRow("Участники", 4, "leontieva@umc.ru", "Леонтьева Эльвира Викторовна"),
        AttendanceRow("Участники", 6, "", "Никитенко Татьяна"),
    ]


def test_the_first_sheet_with_a_header_is_read():
    data = xlsx(
        {
            "Сводка": [["Всего участников", 1]],
            "Список": [["ФИО", "Почта"], ["Иванова Анна", "a@b.ru"]],
        }
    )

    assert read_attendance(data, "export.xlsx") == [
        AttendanceRow("Список", 2, "a@b.ru", "Иванова Анна")
    ]


def test_a_workbook_is_recognised_by_content_whatever_its_name():
    data = xlsx({"Лист1": [["ФИО"], ["Иванова Анна"]]})

    assert read_attendance(data, "download")[0].full_name == "Иванова Анна"


# --- problems in rows -----------------------------------------------------------------------


def test_bad_email_is_reported_with_sheet_row_and_column():
    rows = [["Список"]] + [[]] * 4 + [["ФИО", "E-mail"], ["Иванова Анна", "ivanova@"]]

    (problem,) = problems_of(xlsx({"Участники": rows}), "list.xlsx")

    assert problem == Problem(
        "Участники", 7, "E-mail", "это не адрес электронной почты.", "ivanova@"
    )
    assert str(problem) == (
        "Лист «Участники», строка 7, столбец «E-mail»: «ivanova@» — это не адрес электронной почты."
    )


def test_one_bad_row_rejects_the_whole_file_and_every_problem_is_listed():
    text = "ФИО;E-mail\nИванова;a@b.ru\nПетрова;petrova(at)mail.ru\nСидоров;s@b.ru\nКозлова;k@b\n"

    problems = problems_of(text.encode(), "list.csv")

    assert [(problem.row, problem.column) for problem in problems] == [(3, "E-mail"), (5, "E-mail")]
    assert str(problems[0]) == (
        "Строка 3, столбец «E-mail»: «petrova(at)mail.ru» — это не адрес электронной почты."
    )


def test_the_same_problem_in_sixty_one_rows_is_one_message():
    text = "ФИО;E-mail\n" + "".join(f"Участник {n};нет адреса\n" for n in range(61))

    with pytest.raises(AttendanceFileError) as caught:
        read_attendance(text.encode(), "list.csv")

    error = caught.value
    assert len(error.problems) == 61
    assert error.messages == [
        "Строки 2–62 (всего 61 строка), столбец «E-mail»: это не адрес электронной почты "
        "(строка 2 — «нет адреса»; строка 3 — «нет адреса»; строка 4 — «нет адреса», …)."
    ]


def test_a_header_without_participants_is_an_error():
    (problem,) = problems_of(xlsx({"Лист1": [["ФИО", "E-mail"], [], []]}), "list.xlsx")

    assert str(problem) == "Лист «Лист1»: под строкой заголовков нет ни одного участника."


def test_a_problem_without_a_place_reads_as_a_sentence():
    assert str(Problem("", None, None, "файл пуст.")) == "Файл пуст."
    assert str(Problem("", 4, None, "ошибка.")) == "Строка 4: ошибка."


# --- files that are not an attendance list --------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    assert only_message(data, "list.csv").startswith(
        "Файл «list.csv» пуст. Загрузите список участников"
    )


def test_random_bytes_named_csv_are_refused_as_unreadable_text():
    noise = random.Random(5).randbytes(4000)

    message = only_message(noise, "list.csv")

    assert "Не удалось прочитать файл «list.csv»" in message
    assert "UTF-8" in message and "Windows-1251" in message


def test_random_bytes_named_xlsx_are_a_damaged_spreadsheet():
    noise = random.Random(6).randbytes(4000)

    assert only_message(noise, "list.xlsx").startswith(
        "Не удалось прочитать файл «list.xlsx»: он повреждён"
    )


def test_a_truncated_xlsx_is_a_damaged_spreadsheet():
    data = xlsx({"Лист1": [["ФИО"], ["Иванова Анна"]]})

    assert only_message(data[: len(data) // 2], "list.xlsx").startswith(
        "Не удалось прочитать файл «list.xlsx»: он повреждён"
    )


def test_a_word_document_renamed_to_xlsx_is_recognised():
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("ФИО;E-mail")
    document.save(buffer)

    message = only_message(buffer.getvalue(), "list.xlsx")

    assert message.startswith("Файл «list.xlsx» — документ Word (DOCX), а не таблица.")
    assert "XLSX" in message and "CSV" in message


def test_a_pdf_is_refused_with_what_is_expected():
    message = only_message(b"%PDF-1.7\n...", "list.pdf")

    assert "документ PDF" in message and "Excel (XLSX, XLS), OpenDocument (ODS) или CSV" in message


def test_a_table_without_a_recognisable_header_says_what_columns_are_expected():
    message = only_message("Город;Школа\nСерпухов;Гимназия № 1\n".encode(), "list.csv")

    assert message.startswith("В первых 10 строках файла не найдена строка заголовков.")
    assert "«E-mail»" in message and "«ФИО»" in message


def test_a_header_below_the_tenth_row_is_not_searched_for():
    rows = [["Отчёт"]] * 10 + [["ФИО", "E-mail"], ["Иванова Анна", "a@b.ru"]]

    message = only_message(xlsx({"Отчёт": rows}), "list.xlsx")

    assert message.startswith("В первых 10 строках листа «Отчёт» не найдена строка заголовков.")


# --- matching -------------------------------------------------------------------------------

LEONTIEVA = PersonRef(1, "Leontieva@UMC.ru", "Леонтьева", "Эльвира", "Викторовна")
SEMENOVA = PersonRef(2, "", "Семёнова", "Алёна", "Петровна")
IVANOVA_ANNA_P = PersonRef(3, "ivanova.ap@school5.ru", "Иванова", "Анна", "Петровна")
IVANOVA_ANNA_S = PersonRef(4, "ivanova.as@school7.ru", "Иванова", "Анна", "Сергеевна")
KUZNETSOVA = PersonRef(5, "kuz@school9.ru", "Кузнецова", "Ольга", "Ивановна")
PEOPLE = [LEONTIEVA, SEMENOVA, IVANOVA_ANNA_P, IVANOVA_ANNA_S, KUZNETSOVA]


def row(full_name: str = "", email: str = "", number: int = 2) -> AttendanceRow:
    return AttendanceRow("", number, email, full_name)


def test_matching_by_email_ignores_case_and_the_name():
    attended = row("Эля (УМЦ)", "leontieva@umc.RU")

    result = match_attendance([attended], PEOPLE)

    assert result.matched == {1: attended}
    assert result.unmatched == [] and result.ambiguous == []


def test_matching_by_full_name_treats_yo_as_ye_and_ignores_spacing():
    attended = row("  семенова   алена петровна ")

    assert match_attendance([attended], PEOPLE).matched == {2: attended}


@pytest.mark.parametrize(
    "full_name",
    [
        "Кузнецова Ольга Ивановна",
        "Ольга Кузнецова",
        "Ольга Ивановна Кузнецова",
        "Кузнецова О.И.",
        "Кузнецова О. И.",
        "О.И. Кузнецова",
        "Кузнецова Ольга Ивановна, МБОУ СОШ № 9",
        "Кузнецова Ольга (СОШ № 9)",
    ],
)
def test_matching_by_name_in_the_usual_written_forms(full_name):
    attended = row(full_name, "olga.personal@gmail.com")  # an address the system does not know

    assert match_attendance([attended], PEOPLE).matched == {5: attended}


def test_namesakes_make_a_row_ambiguous_and_are_never_guessed():
    both = row("Иванова Анна")
    initials = row("Иванова А.")

    result = match_attendance([both, initials], PEOPLE)

    assert result.matched == {}
    assert result.ambiguous == [(both, [3, 4]), (initials, [3, 4])]


def test_the_patronymic_tells_namesakes_apart():
    attended = row("Иванова Анна Сергеевна")

    assert match_attendance([attended], PEOPLE).matched == {4: attended}


def test_an_unknown_patronymic_does_not_contradict_a_name():
    person = PersonRef(9, "", "Орлова", "Вера", "")
    attended = row("Орлова Вера Николаевна")

    assert match_attendance([attended], [person]).matched == {9: attended}


def test_a_shared_school_mailbox_is_resolved_by_name_or_left_ambiguous():
    first = PersonRef(10, "library@school3.ru", "Белова", "Нина", "Ивановна")
    second = PersonRef(11, "Library@school3.ru", "Чернова", "Инна", "Олеговна")
    named = row("Чернова Инна", "library@school3.ru")
    unnamed = row("Библиотека", "library@school3.ru", number=3)

    result = match_attendance([named, unnamed], [first, second])

    assert result.matched == {11: named}
    assert result.ambiguous == [(unnamed, [10, 11])]


def test_strangers_and_single_words_are_unmatched():
    stranger = row("Петров Пётр", "petrov@example.ru")
    first_name_only = row("Анна", number=3)

    result = match_attendance([stranger, first_name_only], PEOPLE)

    assert result.unmatched == [stranger, first_name_only]
    assert result.matched == {}


def test_a_person_who_joined_twice_counts_once_with_the_first_row():
    first = row("Кузнецова Ольга", "kuz@school9.ru", number=2)
    again = row("Кузнецова Ольга", "kuz@school9.ru", number=9)

    result = match_attendance([first, again], PEOPLE)

    assert result.matched == {5: first}
    assert result.unmatched == [] and result.ambiguous == []


def test_reading_and_matching_together():
    text = "ФИО;E-mail\nЛеонтьева Э.В.;\nИванова Анна;\nНекто;nekto@mail.ru\n"

    result = match_attendance(read_attendance(text.encode(), "list.csv"), PEOPLE)

    assert [attended.full_name for attended in result.matched.values()] == ["Леонтьева Э.В."]
    assert [attended.full_name for attended, _ in result.ambiguous] == ["Иванова Анна"]
    assert [attended.full_name for attended in result.unmatched] == ["Некто"]


def test_an_exact_header_wins_and_unknown_columns_are_named():
    from bibliomo.lib.attendance import read_attendance_file

    text = "ФИО;Полное имя;E-mail;Время подключения\nИванова Анна;Аня;a@b.ru;10:05\n"

    result = read_attendance_file(text.encode(), "list.csv")

    assert [(row.full_name, row.email) for row in result.rows] == [("Иванова Анна", "a@b.ru")]
    assert [str(notice) for notice in result.notices] == [
        "Строка 1, столбец «Полное имя»: столбец не прочитан: «ФИО» читается из столбца «ФИО».",
        "Строка 1, столбец «Время подключения»: этот столбец не читается, его данные не загружены.",
    ]


def test_two_e_mail_columns_are_an_error_naming_both():
    text = "ФИО;E-mail;E-mail\nИванова Анна;a@b.ru;c@d.ru\n"

    assert [str(p) for p in problems_of(text.encode(), "list.csv")] == [
        "Строка 1: непонятно, какой из столбцов «E-mail» (B) и «E-mail» (C) читать как "
        "«E-mail». Оставьте один из них или переименуйте лишний."
    ]
