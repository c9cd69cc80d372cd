"""The paper builder and the typography and case forms every paper uses."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from bibliomo.lib import names, ru
from bibliomo.lib.paper import Column, Paper, Signature
from tests.lib.paper_rules import assert_paper_layout, docx_all_text

# --- typography ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("МБОУ «СОШ № 1»", "МБОУ «СОШ № 1»"),
        ("«МБОУ «СОШ № 1»»", "«МБОУ „СОШ № 1“»"),
        ("мероприятии «Мастер-класс «Школа, семья»»", "мероприятии «Мастер-класс „Школа, семья“»"),
        ('МБОУ "СОШ № 1"', "МБОУ «СОШ № 1»"),
        ("«А» и «Б»", "«А» и «Б»"),
    ],
)
def test_nested_quotes_become_lapki(text, expected):
    assert ru.nested_quotes(text) == expected


def test_quoted_wraps_once_and_nests_what_is_inside():
    assert ru.quoted("МБОУ «СОШ № 1»") == "«МБОУ „СОШ № 1“»"
    assert ru.quoted("«Алгоритм заказа»") == "«Алгоритм заказа»"
    assert ru.quoted("«А» и «Б»") == "«„А“ и „Б“»"
    assert ru.quoted("  ") == ""


def test_number_sign_holds_its_number():
    assert ru.number_sign("№5 и № 6") == "№\u00a05 и №\u00a06"
    assert ru.typography("«МБОУ «СОШ № 1»»") == "«МБОУ „СОШ №\u00a01“»"


def test_join_sentences_never_doubles_the_full_stop():
    assert ru.join_sentences("Харрис Э.", "Английский язык") == "Харрис Э. Английский язык"
    assert ru.join_sentences("Харрис", "Английский язык") == "Харрис. Английский язык"
    assert ru.join_sentences("", "Английский язык") == "Английский язык"


def test_document_place():
    assert ru.document_place("городской округ Серпухов") == "г. Серпухов"
    assert ru.document_place("Чеховский район") == "Чеховский район"


# --- case forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "parts", "signature", "genitive"),
    [
        ("Сергеев А.Н.", ("Сергеев", "А.", "Н."), "А.Н. Сергеев", "Сергеева А.Н."),
        ("Сергеев А. Н.", ("Сергеев", "А.", "Н."), "А.Н. Сергеев", "Сергеева А.Н."),
        ("А.Н. Сергеев", ("Сергеев", "А.", "Н."), "А.Н. Сергеев", "Сергеева А.Н."),
        (
            "Сергеев Алексей Николаевич",
            ("Сергеев", "Алексей", "Николаевич"),
            "А.Н. Сергеев",
            "Сергеева А.Н.",
        ),
        ("Петрова М.И.", ("Петрова", "М.", "И."), "М.И. Петрова", "Петровой М.И."),
        ("Черных Ольга Ивановна", ("Черных", "Ольга", "Ивановна"), "О.И. Черных", "Черных О.И."),
    ],
)
def test_names_typed_as_one_line(typed, parts, signature, genitive):
    assert names.split_name(typed) == parts
    assert names.signature_name(typed) == signature
    assert names.short_name_in_case(typed, "genitive") == genitive


def test_a_persons_correction_wins_over_the_declension():
    assert (
        names.short_name_in_case("Никитенко Т.Г.", "genitive", corrected=" Никитенко  Т.Г. ")
        == "Никитенко Т.Г."
    )
    assert names.full_name_text_in_case("Сергеев Алексей Николаевич", "genitive") == (
        "Сергеева Алексея Николаевича"
    )


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        (
            "Муниципальное методическое объединение школьных библиотекарей",
            "Муниципального методического объединения школьных библиотекарей",
        ),
        ("Городской методический совет", "Городского методического совета"),
        ("Ассоциация школьных библиотекарей", "Ассоциации школьных библиотекарей"),
        ("Районная библиотечная секция", "Районной библиотечной секции"),
        ("ММО школьных библиотекарей", "ММО школьных библиотекарей"),
        # the issuers of the documents in the library
        ("Комитет по образованию г.о. Серпухов", "Комитета по образованию г.о. Серпухов"),
        (
            "Министерство образования Московской области",
            "Министерства образования Московской области",
        ),
        ("Минпросвещения России", "Минпросвещения России"),
        ("Минобрнауки России", "Минобрнауки России"),
        ("Минкультуры России", "Минкультуры России"),
        ("Минюст России", "Минюста России"),
        ("Государственная Дума РФ", "Государственной Думы РФ"),
    ],
)
def test_organisation_in_the_genitive(name, genitive):
    assert names.organisation_genitive(name) == genitive


# --- the builder -----------------------------------------------------------------------------


def _sample() -> bytes:
    paper = Paper(title="Образец «Акт «Первый»»", author="ММО школьных библиотекарей")
    paper.title("Образец")
    paper.table(
        [Column("№", 1), Column("Название", 6), Column("Экз.", 1)],
        [(str(n), f"Учебник № {n}", "5") for n in range(1, 40)],
    )
    paper.paragraph("Последний абзац.")
    paper.signatures([Signature("Директор", "А.Н. Сергеев"), Signature("Педагог", "")])
    return paper.to_bytes()


def test_the_builder_keeps_every_rule():
    content = _sample()
    assert_paper_layout(content, tables_with_header=1)
    document = docx.Document(io.BytesIO(content))
    assert document.core_properties.title == "Образец «Акт „Первый“»"
    grid = [int(c.get(qn("w:w"))) for c in document.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[1] == pytest.approx(6 * grid[0], rel=0.01)  # widths in proportion


def test_signatures_stay_with_the_last_paragraph():
    document = docx.Document(io.BytesIO(_sample()))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    last_text = next(p for p in paragraphs if p.text == "Последний абзац.")
    assert last_text.paragraph_format.keep_with_next
    director, teacher = paragraphs[-2:]
    assert director.text == "Директор\t______________\tА.Н. Сергеев"
    assert director.paragraph_format.keep_with_next
    assert teacher.text.endswith("______________")  # a line to write the name by hand
    assert "Учебник №\u00a01" in docx_all_text(_sample())
