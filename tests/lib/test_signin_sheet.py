import io

import docx
import pytest
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from pypdf import PdfReader

from bibliomo.lib.signin_sheet import (
    COLUMNS,
    SignInSheet,
    signin_sheet_docx,
    signin_sheet_html,
    signin_sheet_pdf,
)

ASSOCIATION = "ММО педагогов-библиотекарей городского округа Серпухов"
PLACE = "МБОУ «Гимназия № 1», ул. Ворошилова, д. 79, ауд. 12"


def sheet(count: int = 3, **changes) -> SignInSheet:
    people = [
        ("Леонтьева Эльвира Викторовна", "МОУ ДПО «УМЦ»", "методист"),
        ("Никитенко Татьяна Геннадьевна", "МБОУ «СОШ № 2»", "педагог-библиотекарь"),
        ("Семёнова Алёна Петровна", "МБОУ «Гимназия № 1»", "педагог-библиотекарь"),
    ]
    people += [
        (f"Участник {n}", f"МБОУ «СОШ № {n}»", "педагог-библиотекарь") for n in range(4, count + 1)
    ]
    values = {
        "association_name": ASSOCIATION,
        "event_title": "Алгоритм заказа учебников",
        "event_kind": "семинар",
        "date_text": "24.04.2025, 10:00",
        "place": PLACE,
        "rows": people[:count],
    }
    return SignInSheet(**(values | changes))


def word(sheet: SignInSheet):
    return docx.Document(io.BytesIO(signin_sheet_docx(sheet)))


def cell_texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def pdf_pages(sheet: SignInSheet) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(signin_sheet_pdf(sheet))).pages]


# --- Word -----------------------------------------------------------------------------------


def test_docx_heading_names_the_event_date_and_place():
    paragraphs = [p.text for p in word(sheet()).paragraphs if p.text]

    assert paragraphs == [
        ASSOCIATION,
        "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ",
        "Семинар «Алгоритм заказа учебников»",
        "Дата проведения: 24.04.2025, 10:00",
        # Every paper holds «№» to its number with a no-break space.
        "Место проведения: " + PLACE.replace("№ ", "№\u00a0"),
    ]


def test_docx_table_has_header_participants_and_numbered_blank_rows():
    (table,) = word(sheet(blank_rows=5)).tables

    assert cell_texts(table.rows[0]) == list(COLUMNS)
    assert len(table.rows) == 1 + 3 + 5
    assert cell_texts(table.rows[1]) == [
        "1",
        "Леонтьева Эльвира Викторовна",
        "МОУ ДПО «УМЦ»",
        "методист",
        "",
    ]
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 9)]
    assert all(cell_texts(row)[1:] == ["", "", "", ""] for row in table.rows[4:])


def test_docx_header_row_repeats_on_each_page_and_rows_never_split():
    (table,) = word(sheet()).tables
    header, *rows = table.rows

    def flags(row) -> set[str]:
        return {element.tag for element in row._tr.trPr}

    assert qn("w:tblHeader") in flags(header)
    assert all(qn("w:tblHeader") not in flags(row) for row in rows)
    assert all(qn("w:cantSplit") in flags(row) for row in table.rows)


def test_docx_rows_are_tall_enough_to_sign():
    (table,) = word(sheet()).tables

    for row in table.rows[1:]:
        assert row.height_rule == WD_ROW_HEIGHT_RULE.AT_LEAST
        assert row.height >= Cm(1)


def test_docx_is_a4_portrait_in_times_new_roman_12_with_borders():
    document = word(sheet())
    section = document.sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21, 29.7)
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(12))
    # Thin single lines around and between all cells.
    borders = document.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}


def test_a_title_already_in_quotes_is_not_quoted_twice():
    document = word(sheet(event_title="«Ярмарка библиотечных идей»", event_kind="ярмарка"))

    assert "Ярмарка «Ярмарка библиотечных идей»" in [p.text for p in document.paragraphs]


def test_empty_details_are_left_out():
    paragraphs = [p.text for p in word(sheet(place="", association_name="")).paragraphs]

    assert not any(text.startswith("Место проведения") for text in paragraphs)
    assert paragraphs[0] == "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ"


def test_no_blank_rows_when_none_are_asked_for():
    (table,) = word(sheet(blank_rows=0)).tables

    assert len(table.rows) == 1 + 3


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_lists_the_participants_and_the_signature_column():
    (page,) = pdf_pages(sheet())

    assert "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ" in page
    assert "Подпись" in page
    for name in ("Леонтьева Эльвира Викторовна", "Семёнова Алёна Петровна"):
        assert name in page
    assert "24.04.2025, 10:00" in page


def test_pdf_of_80_participants_repeats_the_header_on_every_page():
    pages = pdf_pages(sheet(count=80))

    assert len(pages) >= 3
    for text in pages:
        assert text.count("Подпись") == 1
        assert "Образовательная" in text
    assert "ЛИСТ РЕГИСТРАЦИИ" in pages[0] and "ЛИСТ РЕГИСТРАЦИИ" not in pages[1]
    everything = "\n".join(pages)
    assert "Участник 80" in everything
    assert f"Страница 1 из {len(pages)}" in pages[0]


@pytest.mark.parametrize("field", ["event_title", "place", "association_name"])
def test_html_escapes_every_value(field):
    hostile = '<script>alert("x")</script> & Co'

    html = signin_sheet_html(sheet(**{field: hostile}, rows=[(hostile, hostile, hostile)]))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; Co" in html


def test_pdf_shows_escaped_text_as_written():
    text = pdf_pages(sheet(rows=[("Иванова <Анна> & Co", "", "")]))[0]

    assert "Иванова <Анна> & Co" in text
