from __future__ import annotations

import dataclasses
import json
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest

from bibliomo.plans.document import PlanDocument
from bibliomo.plans.reading import PlanReadError, read_plan
from tests.plans import user_plan
from tests.plans.builders import (
    ACTIVITY,
    HEADER,
    PREAMBLE,
    Heading,
    save,
    text_file,
    word_file,
)


def read_sample(path: Path) -> PlanDocument:
    return read_plan(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def text_plan() -> PlanDocument:
    return read_sample(user_plan.TEXT_SAMPLE)


@pytest.fixture(scope="module")
def word_plan() -> PlanDocument:
    return read_sample(user_plan.WORD_SAMPLE)


# --- the user's own plan --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample", [user_plan.TEXT_SAMPLE, user_plan.WORD_SAMPLE], ids=["txt", "docx"]
)
def test_users_plan_is_read_exactly(sample: Path) -> None:
    plan = read_sample(sample)

    assert plan.approval.position == user_plan.POSITION
    assert plan.approval.approver == user_plan.APPROVER  # the trailing «/» of the source is gone
    assert plan.approval.year == user_plan.APPROVAL_YEAR
    assert plan.approval.approved_on is None
    assert plan.title_lines == user_plan.TITLE_LINES
    assert plan.academic_year_start == 2024
    assert plan.theme == user_plan.THEME
    assert plan.goal == user_plan.GOAL
    assert plan.tasks == user_plan.TASKS
    assert [tuple(signatory) for signatory in plan.signatories] == user_plan.SIGNATORIES
    assert plan.warnings == []

    assert [section.title for section in plan.sections] == [t for t, _ in user_plan.SECTIONS]
    assert [len(section.activities) for section in plan.sections] == [1, 9, 3, 4]
    for section, (_, rows) in zip(plan.sections, user_plan.SECTIONS, strict=True):
        for activity, row in zip(section.activities, rows, strict=True):
            assert activity.content == row.content
            assert activity.timing.text == row.timing
            assert activity.timing.months == row.months
            assert activity.timing.throughout_year == row.throughout_year
            assert not activity.timing.flagged
            assert activity.responsible.text == row.responsible
            assert activity.responsible.roles == row.roles
            assert not activity.responsible.flagged
            assert activity.status_note == ""


def test_text_and_word_samples_give_the_same_plan(
    text_plan: PlanDocument, word_plan: PlanDocument
) -> None:
    # The two files carry the same plan in the same order: 17 activity rows, identical wording.
    # They differ only in form, which the reader has to absorb:
    # - the text file wraps the title in Markdown bold marks (**МУНИЦИПАЛЬНОЕ … год**);
    # - the text file has an empty line inside the table, after «Участие в творческой группе»;
    # - in Word the section headings are single cells merged across the table (gridSpan=3),
    #   in the text they are a first cell followed by two empty TAB-separated cells;
    # - the text file lists both signature roles first and both names after them;
    # - the Word file is Letter-sized in Calibri, not A4 in Times New Roman (layout only).
    # Both spell «Г.В. Венкова/» with a stray slash and «Методист- куратор» with a space.
    for field in dataclasses.fields(PlanDocument):
        assert getattr(text_plan, field.name) == getattr(word_plan, field.name), field.name
    for ours, theirs in zip(text_plan.activities, word_plan.activities, strict=True):
        assert ours == theirs
    assert text_plan == word_plan


def test_dashes_inside_an_activity_are_kept_verbatim(text_plan: PlanDocument) -> None:
    content = text_plan.activities[0].content

    assert content.startswith("Формирование пакета документов: - по функционированию")
    assert content.count(" - ") == 4


def test_users_plan_survives_its_json_form(word_plan: PlanDocument) -> None:
    stored = json.loads(json.dumps(word_plan.to_dict(), ensure_ascii=False))

    assert PlanDocument.from_dict(stored) == word_plan


# --- table variants -------------------------------------------------------------------------


def test_numbered_table_ignores_the_numbers() -> None:
    data = word_file(
        [
            Heading("Организационная работа", number="1."),
            ["1.1", *ACTIVITY],
            ["1.2", "Круглый стол", "декабрь", "Методист"],
            Heading("Аналитическая работа"),
            ["2.1", "Анализ работы", "май", "Методист"],
        ],
        header=["№ п/п", *HEADER],
    )

    plan = read_plan(data, "plan.docx")

    assert [section.title for section in plan.sections] == [
        "Организационная работа",
        "Аналитическая работа",
    ]
    assert [a.content for a in plan.activities] == [ACTIVITY[0], "Круглый стол", "Анализ работы"]
    assert plan.activities[1].timing.months == [12]
    assert plan.warnings == []


def test_status_column_is_kept_as_the_status_note() -> None:
    data = word_file(
        [Heading("Работа с кадрами"), [*ACTIVITY, "Проведено 16.10.2024"], [*ACTIVITY, ""]],
        header=[*HEADER, "Отметка о выполнении"],
    )

    plan = read_plan(data, "plan.docx")

    assert [a.status_note for a in plan.activities] == ["Проведено 16.10.2024", ""]
    assert plan.activities[0].responsible.roles == {"methodist", "head"}
    assert plan.warnings == []


def test_section_rows_typed_into_the_first_cell_only_are_sections() -> None:
    data = word_file(
        [Heading("Первый раздел"), ACTIVITY, Heading("Второй раздел"), ACTIVITY],
        merge_headings=False,
    )

    plan = read_plan(data, "plan.docx")

    assert [section.title for section in plan.sections] == ["Первый раздел", "Второй раздел"]
    assert [len(section.activities) for section in plan.sections] == [1, 1]


def test_header_is_recognised_by_its_words_in_any_case_and_order() -> None:
    data = word_file(
        [Heading("Раздел"), ["Методист", "Семинар", "Октябрь"]],
        header=["ОТВЕТСТВЕННЫЕ", "содержание работы", "Срок проведения"],
    )

    plan = read_plan(data, "plan.docx")
    activity = plan.activities[0]

    # The merged heading sits in the first grid column, here «ОТВЕТСТВЕННЫЕ»: still a heading.
    assert [section.title for section in plan.sections] == ["Раздел"]
    assert (activity.content, activity.timing.months) == ("Семинар", [10])
    assert activity.responsible.roles == {"methodist"}


def test_vertically_merged_responsible_applies_to_every_row() -> None:
    document = docx.Document(BytesIO(word_file([Heading("Раздел"), ACTIVITY, ACTIVITY])))
    table = document.tables[0]
    table.cell(3, 2).text = ""
    table.cell(2, 2).merge(table.cell(3, 2))

    plan = read_plan(save(document), "plan.docx")

    assert [a.responsible.text for a in plan.activities] == [ACTIVITY[2], ACTIVITY[2]]


def test_repeated_header_and_column_numbers_are_not_activities() -> None:
    data = word_file([["1", "2", "3"], Heading("Раздел"), ACTIVITY, HEADER, ACTIVITY])

    plan = read_plan(data, "plan.docx")

    assert len(plan.activities) == 2


def test_activities_before_any_section_are_kept_with_a_warning() -> None:
    plan = read_plan(word_file([ACTIVITY, Heading("Раздел"), ACTIVITY]), "plan.docx")

    assert [section.title for section in plan.sections] == ["", "Раздел"]
    assert "Первые мероприятия в таблице идут без названия раздела." in plan.warnings


def test_unclear_timing_becomes_a_warning_naming_the_activity() -> None:
    data = word_file([Heading("Раздел"), ["Выездной семинар", "по согласованию с ОО", "Методист"]])

    plan = read_plan(data, "plan.docx")

    assert plan.activities[0].timing.flagged
    assert plan.warnings == [
        "Мероприятие «Выездной семинар»: не удалось распознать срок «по согласованию с ОО»."
    ]


def test_signatures_on_one_line_each_are_paired() -> None:
    data = word_file(
        [Heading("Раздел"), ACTIVITY],
        epilogue=["Руководитель ММО ____________ Никитенко Т.Г.", "Методист Леонтьева Э.В."],
    )

    plan = read_plan(data, "plan.docx")

    assert plan.signatories == [
        ("Руководитель ММО", "Никитенко Т.Г."),
        ("Методист", "Леонтьева Э.В."),
    ]


def test_plan_without_approval_theme_goal_or_tasks_is_read_with_warnings() -> None:
    data = word_file([Heading("Раздел"), ACTIVITY], preamble=["План работы ММО на 2024/2025 год"])

    plan = read_plan(data, "plan.docx")

    assert plan.title_lines == ["План работы ММО на 2024/2025 год"]
    assert plan.academic_year_start == 2024
    assert plan.approval.is_empty
    assert plan.warnings == [
        "Не найден гриф утверждения «УТВЕРЖДАЮ».",
        "В плане не указана методическая тема.",
        "В плане не указана цель.",
        "В плане не указаны задачи.",
    ]


def test_plan_without_a_year_in_its_title_uses_the_approval_year_and_says_so() -> None:
    preamble = [line for line in PREAMBLE if "учебный год" not in line]

    plan = read_plan(word_file([Heading("Раздел"), ACTIVITY], preamble=preamble), "plan.docx")

    assert plan.academic_year_start == 2024
    assert any("по году утверждения принят 2024/2025" in w for w in plan.warnings)


def test_plan_without_any_year_needs_one_from_the_caller() -> None:
    preamble = ["ПЛАН РАБОТЫ ММО", "Методическая тема: Чтение."]
    data = word_file([Heading("Раздел"), ACTIVITY], preamble=preamble)

    with pytest.raises(PlanReadError, match="Не удалось определить учебный год"):
        read_plan(data, "plan.docx")
    assert read_plan(data, "plan.docx", academic_year_start=2025).academic_year_start == 2025


# --- text files -----------------------------------------------------------------------------


def test_text_signatures_separated_by_tabs_end_the_table() -> None:
    plan = read_plan(text_file([Heading("Раздел"), ACTIVITY, ACTIVITY]), "plan.txt")

    assert len(plan.activities) == 2
    assert plan.signatories == [
        ("Руководитель ММО", "Никитенко Т.Г."),
        ("Методист-куратор", "Леонтьева Э.В."),
    ]
    assert plan.warnings == []


def test_windows_1251_text_is_read() -> None:
    data = text_file([Heading("Раздел"), ACTIVITY], encoding="cp1251")

    plan = read_plan(data, "plan.txt")

    assert plan.activities[0].content == ACTIVITY[0]
    assert plan.approval.approver == "Г.В. Венкова"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_unicode_text_with_a_byte_order_mark_is_read(encoding: str) -> None:
    plan = read_plan(text_file([Heading("Раздел"), ACTIVITY], encoding=encoding), "plan.txt")

    assert plan.sections[0].title == "Раздел"
    assert plan.signatories[0] == ("Руководитель ММО", "Никитенко Т.Г.")


def test_word_file_is_recognised_by_its_content_not_its_name() -> None:
    plan = read_plan(word_file([Heading("Раздел"), ACTIVITY]), "plan.txt")

    assert plan.activities[0].content == ACTIVITY[0]


# --- files that are not plans ---------------------------------------------------------------


def refused(data: bytes, filename: str) -> str:
    with pytest.raises(PlanReadError) as error:
        read_plan(data, filename)
    return error.value.message


def test_empty_file_is_refused() -> None:
    assert refused(b"", "plan.docx") == "Файл пустой."
    assert refused(b"  \r\n", "plan.txt") == "Файл пустой."


def test_legacy_doc_is_refused_with_russian_message() -> None:
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    message = refused(ole_header, "plan.doc")

    assert "старом формате Word (.doc)" in message
    assert "«Документ Word (*.docx)»" in message


def test_random_bytes_named_docx_are_refused_as_damaged() -> None:
    message = refused(bytes(range(256)) * 4, "plan.docx")

    assert message.startswith("Файл повреждён или не является документом Word (.docx).")


def test_truncated_docx_is_refused_as_damaged() -> None:
    data = word_file([Heading("Раздел"), ACTIVITY])

    assert refused(data[: len(data) // 2], "plan.docx").startswith("Файл повреждён")


def test_zip_that_is_not_a_docx_is_refused() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"not really a photo")

    assert refused(buffer.getvalue(), "plan.docx") == (
        "Это архив, а не документ Word. Загрузите план в формате .docx или .txt."
    )


def test_excel_workbook_is_refused_as_such() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    assert refused(buffer.getvalue(), "plan.xlsx").startswith("Это таблица Excel")


def test_latin_1_text_is_refused_as_unknown_encoding() -> None:
    data = "Café crème brûlée, déjà vu\tétudiant\tgarçon".encode("latin-1")

    assert refused(data, "plan.txt").startswith(
        "Не удалось прочитать текст: неизвестная кодировка."
    )


def test_binary_data_named_txt_is_refused_as_unknown_encoding() -> None:
    assert refused(bytes(range(256)) * 4, "plan.txt").startswith(
        "Не удалось прочитать текст: неизвестная кодировка."
    )


def test_docx_without_a_table_is_not_a_plan() -> None:
    message = refused(word_file([], header=None), "plan.docx")

    assert message == (
        "В файле не найдена таблица плана. Ожидается таблица со столбцами "
        "«Содержание деятельности», «Сроки» и «Ответственный»."
    )


def test_docx_with_some_other_table_is_not_a_plan() -> None:
    data = word_file([["Иванова", "5"]], header=["Фамилия", "Оценка"])

    assert refused(data, "plan.docx").startswith("В файле не найдена таблица плана.")


def test_text_without_a_table_is_not_a_plan() -> None:
    data = "Протокол заседания ММО\nПрисутствовали: 12 человек.".encode()

    assert refused(data, "protocol.txt").startswith("В файле не найдена таблица плана.")


def test_table_with_a_header_but_no_activities_is_refused() -> None:
    assert refused(word_file([Heading("Раздел")]), "plan.docx") == (
        "В таблице плана нет ни одного мероприятия."
    )
