import pytest

from bibliomo.lib.russian_search import (
    highlight,
    query_terms,
    search_document,
    stem,
    stems,
    tokens,
)


def matches(text: str, query: str) -> bool:
    """What the SQLite lookup does: every query term found as LIKE '% term %'."""
    document = search_document(text)
    terms = query_terms(query)
    return bool(terms) and all(f" {term} " in document for term in terms)


# --- tokens and stems -----------------------------------------------------------------------


def test_tokens_are_case_folded_words_with_yo_as_ye():
    assert tokens("Ёлочные ИГРУШКИ, учи\u0301тель; e-mail") == [
        "елочные",
        "игрушки",
        "учитель",
        "e",
        "mail",
    ]


def test_decomposed_letters_are_one_word():
    assert tokens("Сергии\u0306 учебный") == ["сергий", "учебный"]


def test_dotted_numbers_are_kept_whole_and_split_into_parts():
    assert tokens("от 21.09.2022 № 858, код 1.1.2") == [
        "от",
        "21.09.2022",
        "21",
        "09",
        "2022",
        "858",
        "код",
        "1.1.2",
        "1",
        "1",
        "2",
    ]


def test_a_sentence_ending_after_a_number_is_no_dotted_number():
    assert tokens("Учебников 858. Приказ") == ["учебников", "858", "приказ"]


def test_digits_glued_to_letters_give_both():
    assert tokens("21.09.2022г. 5А") == [
        "21.09.2022г",
        "21.09.2022",
        "21",
        "09",
        "2022",
        "г",
        "5а",
        "5",
        "а",
    ]


def test_latin_lookalikes_in_a_cyrillic_word_are_read_as_cyrillic():
    assert tokens("учeбник") == ["учебник"]  # the «e» is Latin


def test_class_letter_typed_in_latin_is_cyrillic():
    assert tokens("5A 11K") == tokens("5А 11К")


@pytest.mark.parametrize("word", ["учебника", "учебники", "учебников", "учебнику", "Учебникам"])
def test_forms_of_a_word_share_a_stem(word):
    assert stem(word) == stem("учебник")


def test_english_words_have_english_stems_and_numbers_none():
    assert stems("Libraries library 5а") == ["librari", "librari", "5а", "5", "а"]


# --- search documents and queries -----------------------------------------------------------


def test_search_document_holds_distinct_stems_between_spaces():
    document = search_document("Учебники и учебник. Приказ № 858 о фонде учебников")

    assert document == " учебник приказ 858 фонд "


def test_search_document_of_nothing():
    assert search_document("") == ""
    assert search_document(" — и в на, а. ") == ""


def test_query_terms_drop_stop_words_and_single_letters():
    assert query_terms("Приказы о фонде и для 5 классов, а также № 858 или я") == [
        "приказ",
        "фонд",
        "5",
        "класс",
        "такж",
        "858",
    ]


def test_query_of_stop_words_only_has_no_terms():
    assert query_terms("и в на") == []


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Выдача учебники в сентябре", "учебника"),
        ("Списание учебников", "учебника"),
        ("Передача учебнику", "учебники"),
        ("Приказ Минпросвещения", "приказы"),
        ("Все приказы за год", "приказ"),
        ("Положение о библиотечном фонде", "библиотечного фонда"),
        ("Учёт библиотечного фонда школы", "библиотечный фонд"),
        ("Приказ от 21.09.2022 № 858", "858"),
        ("Приказ от 21.09.2022 № 858", "21.09.2022"),
        ("Приказ от 21.09.2022г. № 858", "2022"),
        ("Приказ №858", "№ 858"),
        ("учебно-методический комплекс", "методических"),
        ("План на 2024/2025 учебный год", "2025"),
        ("Ёлка знаний", "елки"),
        ("Федеральный перечень: 1.1.1.2.1.3.61", "1.1.1.2.1.3.61"),
    ],
)
def test_documents_found_by_other_forms_of_their_words(text, query):
    assert matches(text, query)


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Приказ № 858", "859"),
        ("Приказ № 858", "приказ 556"),  # every term must be there
        ("Учебники 5А класса", "5б"),
        ("Библиотечный фонд", "и"),  # nothing to search for finds nothing
    ],
)
def test_documents_not_found(text, query):
    assert not matches(text, query)


# --- highlighting ---------------------------------------------------------------------------


def test_highlight_marks_other_forms_of_the_query_words():
    assert highlight("Получены учебники и учебное пособие", "учебника") == (
        "Получены <mark>учебники</mark> и учебное пособие"
    )


def test_highlight_marks_numbers_and_the_date_that_contains_them():
    assert highlight("Приказ от 21.09.2022 № 858", "2022 858") == (
        "Приказ от <mark>21.09.2022</mark> № <mark>858</mark>"
    )


def test_highlight_escapes_everything():
    text = 'Учебники <script>alert("x")</script> & <b>фонд</b>'

    assert highlight(text, "фонд") == (
        "Учебники &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        "&lt;b&gt;<mark>фонд</mark>&lt;/b&gt;"
    )


def test_highlight_cuts_around_the_match_with_ellipses():
    text = "Вступление. " * 30 + "Списание учебников по приказу. " + "Заключение. " * 30

    fragment = highlight(text, "учебник", width=40)

    assert fragment.startswith("…")
    assert fragment.endswith("…")
    assert "Списание <mark>учебников</mark> по приказу." in fragment
    assert len(fragment.replace("<mark>", "").replace("</mark>", "")) <= 40 * 2 + 10 + 2
    # Words are not cut in the middle.
    assert all(word in {"Вступление", "Заключение"} for word in _edge_words(fragment))


def _edge_words(fragment: str) -> list[str]:
    words = fragment.strip("…").replace(".", "").split()
    return [words[0], words[-1]]


def test_highlight_prefers_the_place_where_more_query_words_meet():
    text = (
        "Приказ о проведении семинара. "
        + "Прочий текст. " * 20
        + "Приказ об утверждении федерального перечня учебников."
    )

    fragment = highlight(text, "приказ учебники", width=60)

    assert "<mark>Приказ</mark> об утверждении федерального перечня <mark>учебников</mark>." in (
        fragment
    )


def test_highlight_without_a_match_shows_the_beginning():
    text = "Положение о конкурсе «Ярмарка библиотечных идей». " * 10

    fragment = highlight(text, "глобус", width=20)

    assert fragment == "Положение о конкурсе «Ярмарка…»"


def test_highlight_of_a_short_text_without_a_match_is_the_whole_text_escaped():
    assert highlight("Фонд <учебников>", "") == "Фонд &lt;учебников&gt;"


def test_highlight_collapses_line_breaks():
    assert highlight("Протокол\n\n  заседания", "заседание") == "Протокол <mark>заседания</mark>"
