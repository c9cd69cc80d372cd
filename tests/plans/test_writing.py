from __future__ import annotations

import dataclasses
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from bibliomo.plans.document import PlanDocument
from bibliomo.plans.reading import read_plan
from bibliomo.plans.timing import Timing, parse_timing
from bibliomo.plans.writing import write_plan_docx
from tests.plans import user_plan

SAMPLES = pytest.mark.parametrize(
    "sample", [user_plan.TEXT_SAMPLE, user_plan.WORD_SAMPLE], ids=["txt", "docx"]
)


def read_sample(path: Path) -> PlanDocument:
    return read_plan(path.read_bytes(), path.name)


def open_written(plan: PlanDocument, **options: bool) -> WordDocument:
    return docx.Document(BytesIO(write_plan_docx(plan, **options)))


@pytest.fixture
def plan() -> PlanDocument:
    return read_sample(user_plan.WORD_SAMPLE)


# --- round trip -----------------------------------------------------------------------------


@SAMPLES
def test_round_trip_keeps_every_field(sample: Path) -> None:
    original = read_sample(sample)

    again = read_plan(write_plan_docx(original), "plan.docx")

    for field in dataclasses.fields(PlanDocument):
        assert getattr(again, field.name) == getattr(original, field.name), field.name
    assert again.warnings == []


def test_round_trip_twice_gives_the_same_plan(plan: PlanDocument) -> None:
    once = read_plan(write_plan_docx(plan), "plan.docx")

    assert read_plan(write_plan_docx(once), "plan.docx") == plan


@SAMPLES
def test_round_trip_with_the_status_column_keeps_the_notes(sample: Path) -> None:
    original = read_sample(sample)
    for number, activity in enumerate(original.activities, start=1):
        activity.status_note = f"Выполнено ({number})" if number % 2 else ""

    again = read_plan(write_plan_docx(original, with_status_column=True), "plan.docx")

    assert again == original
    assert again.activities[0].status_note == "Выполнено (1)"
    assert again.activities[1].status_note == ""


def test_signed_approval_date_and_unusual_content_round_trip(plan: PlanDocument) -> None:
    plan.approval.approved_on = date(2024, 9, 2)
    plan.theme = "Первая строка темы\nи вторая строка"
    plan.activities[0].content = "Семинар.\nВторая строка того же мероприятия"
    plan.activities[1].timing = parse_timing("по согласованию с ОО", 2024)
    plan.signatories.append(("Секретарь ММО", ""))

    again = read_plan(write_plan_docx(plan), "plan.docx")

    assert again.approval.approved_on == date(2024, 9, 2)
    assert again.theme == plan.theme
    assert again.activities[0].content == plan.activities[0].content
    assert again.activities[1].timing.flagged
    assert again.activities[1].timing.text == "по согласованию с ОО"
    assert again.signatories == plan.signatories


# --- layout ---------------------------------------------------------------------------------


def test_page_is_a4_with_official_margins(plan: PlanDocument) -> None:
    section = open_written(plan).sections[0]

    def centimetres(*lengths: Length) -> list[float]:
        return [round(length.cm, 2) for length in lengths]  # Word stores twips: ±0.01 mm

    assert centimetres(section.page_width, section.page_height) == [21.0, 29.7]
    assert centimetres(section.left_margin, section.right_margin) == [3.0, 1.5]
    assert centimetres(section.top_margin, section.bottom_margin) == [2.0, 2.0]


def test_times_new_roman_is_used_for_cyrillic_too(plan: PlanDocument) -> None:
    document = open_written(plan)
    normal = document.styles["Normal"]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))

    assert normal.font.size == Pt(14)
    for fonts in (normal.element.rPr.rFonts, default_fonts):
        for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(script)) == "Times New Roman"
        assert not [name for name in fonts.attrib if name.lower().endswith("theme")]


def test_approval_block_comes_first(plan: PlanDocument) -> None:
    paragraphs = [p.text for p in open_written(plan).paragraphs[:4]]

    assert paragraphs == [
        "УТВЕРЖДАЮ",
        "директор МОУ ДПО УМЦ",
        "________ Г.В. Венкова",
        "«___» ________ 2024 г.",
    ]


def test_title_is_centred_and_bold(plan: PlanDocument) -> None:
    document = open_written(plan)
    title = [p for p in document.paragraphs if p.text in user_plan.TITLE_LINES]

    assert [p.text for p in title] == user_plan.TITLE_LINES
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in title)
    assert all(run.bold for p in title for run in p.runs)


def test_tasks_are_listed_with_dashes(plan: PlanDocument) -> None:
    texts = [p.text for p in open_written(plan).paragraphs]
    start = texts.index("Задачи:") + 1

    assert texts[start : start + 5] == [f"- {task}" for task in user_plan.TASKS]


def test_header_row_repeats_on_every_page(plan: PlanDocument) -> None:
    table = open_written(plan).tables[0]
    header, first_section = table.rows[0], table.rows[1]

    assert [cell.text for cell in header.cells] == [
        "Содержание деятельности",
        "Сроки",
        "Ответственный",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first_section._tr.trPr.find(qn("w:tblHeader")) is None


def test_section_rows_are_one_merged_bold_cell(plan: PlanDocument) -> None:
    table = open_written(plan).tables[0]
    titles = [title for title, _ in user_plan.SECTIONS]
    rows = [row for row in table.rows if row.cells[0].text in titles]

    assert len(rows) == 4
    for row in rows:
        cells = row._tr.tc_lst
        assert len(cells) == 1
        assert cells[0].grid_span == 3
        assert all(run.bold for run in row.cells[0].paragraphs[0].runs)


def test_activity_rows_hold_the_original_texts(plan: PlanDocument) -> None:
    table = open_written(plan).tables[0]
    row = table.rows[2]

    first = user_plan.SECTIONS[0][1][0]
    assert [cell.text for cell in row.cells] == [first.content, first.timing, first.responsible]
    assert len(table.rows) == 1 + 4 + 17


def test_table_has_borders_and_fixed_columns(plan: PlanDocument) -> None:
    properties = open_written(plan).tables[0]._tbl.tblPr
    borders = properties.find(qn("w:tblBorders"))

    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(qn(f"w:{edge}")).get(qn("w:val")) == "single"
    assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_status_column_is_optional(plan: PlanDocument) -> None:
    plain = open_written(plan).tables[0]
    with_status = open_written(plan, with_status_column=True).tables[0]

    assert len(plain.columns) == 3
    assert [cell.text for cell in with_status.rows[0].cells][-1] == "Отметка о выполнении"


def test_signatures_are_a_borderless_table_role_left_name_right(plan: PlanDocument) -> None:
    table = open_written(plan).tables[1]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))

    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        list(pair) for pair in user_plan.SIGNATORIES
    ]
    assert {line.get(qn("w:val")) for line in borders} == {"nil"}
    name = table.rows[0].cells[1].paragraphs[0]
    assert name.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_title_without_the_year_gets_a_year_line(plan: PlanDocument) -> None:
    plan.title_lines = ["ПЛАН РАБОТЫ ММО"]

    again = read_plan(write_plan_docx(plan), "plan.docx")

    assert again.title_lines == ["ПЛАН РАБОТЫ ММО", "2024-2025 учебный год"]
    assert again.academic_year_start == 2024


def test_timing_built_without_words_is_written_as_its_summary(plan: PlanDocument) -> None:
    plan.activities[0].timing = Timing(text="", months=[9, 10], throughout_year=True)

    again = read_plan(write_plan_docx(plan), "plan.docx")

    assert again.activities[0].timing.text == "сентябрь–октябрь, в течение учебного года"
    assert again.activities[0].timing.months == [9, 10]
    assert again.activities[0].timing.throughout_year
