from datetime import date, datetime

import pytest

from bibliomo.lib import ru


def test_date_is_written_day_month_year_with_dots():
    assert ru.format_date(date(2026, 11, 25)) == "25.11.2026"
    assert ru.format_date(date(2026, 1, 5)) == "05.01.2026"
    assert ru.format_date(None) == ""


def test_long_date_uses_genitive_month():
    assert ru.format_date_long(date(2026, 11, 25)) == "25 ноября 2026 г."
    assert ru.format_date_long(datetime(2025, 5, 1, 10, 30)) == "1 мая 2025 г."


def test_month_names_in_three_cases():
    assert ru.month_name(9) == "сентябрь"
    assert ru.month_name(9, capital=True) == "Сентябрь"
    assert ru.month_name(5, "genitive") == "мая"
    assert ru.month_name(12, "prepositional") == "декабре"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 1), "2024/2025"),
        (date(2025, 8, 31), "2024/2025"),
        (date(2025, 5, 20), "2024/2025"),
        (date(2026, 11, 25), "2026/2027"),
    ],
)
def test_academic_year_runs_september_to_august(day, expected):
    assert ru.format_academic_year(ru.academic_year_start(day)) == expected


def test_academic_year_parsing_accepts_slash_dash_and_words():
    assert ru.parse_academic_year("2024/2025") == 2024
    assert ru.parse_academic_year("2024-2025 учебный год") == 2024
    assert ru.parse_academic_year("2024 – 2025") == 2024
    assert ru.format_academic_year(2024, sep="-") == "2024-2025"


def test_academic_year_parsing_refuses_non_adjacent_years():
    with pytest.raises(ValueError, match="соседних"):
        ru.parse_academic_year("2024/2026")
    with pytest.raises(ValueError, match="Не удалось"):
        ru.parse_academic_year("прошлый год")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 школ"),
        (1, "1 школа"),
        (2, "2 школы"),
        (4, "4 школы"),
        (5, "5 школ"),
        (11, "11 школ"),
        (12, "12 школ"),
        (14, "14 школ"),
        (21, "21 школа"),
        (22, "22 школы"),
        (25, "25 школ"),
        (101, "101 школа"),
        (111, "111 школ"),
    ],
)
def test_plural_forms_follow_russian_rules(n, expected):
    assert ru.plural(n, "школа", "школы", "школ") == expected


def test_plural_of_participants():
    forms = ("участник", "участника", "участников")
    assert [ru.plural(n, *forms) for n in (1, 2, 5)] == [
        "1 участник",
        "2 участника",
        "5 участников",
    ]


def test_names_in_document_forms():
    assert ru.short_name("Леонтьева", "Эльвира", "Викторовна") == "Леонтьева Э.В."
    assert ru.initials_first("Венкова", "Галина", "Васильевна") == "Г.В. Венкова"
    assert ru.full_name("Никитенко", "Татьяна", "Геннадьевна") == "Никитенко Татьяна Геннадьевна"


def test_names_without_patronymic():
    assert ru.short_name("Smith", "John", "") == "Smith J."
    assert ru.full_name("Иванова", "Анна") == "Иванова Анна"


def test_capfirst_raises_the_first_letter_only():
    assert ru.capfirst("заседание ММО") == "Заседание ММО"
    assert ru.capfirst("файл Excel от МОУ") == "Файл Excel от МОУ"
    assert ru.capfirst("") == ""


def test_shortened_closes_the_quotes_it_cut_open():
    named = "семинар «Школьная библиотека: моё счастливое место, где процветает творчество»"
    assert ru.shortened(named, 200) == named
    short = ru.shortened(named, 40)
    assert short == "семинар «Школьная библиотека: моё…»"
    assert len(short) <= 40
    nested = "праздник «День библиотек: „Библиотека — территория чтения“»"
    assert ru.shortened(nested, 40) == "праздник «День библиотек: „Библиотека…“»"


def test_shift_academic_years_moves_ranges_not_other_numbers():
    text = "Анализ за 2023-2024 и план на 2024/2025 учебный год, приказ № 2024 от 2024 г."
    assert ru.shift_academic_years(text, 2) == (
        "Анализ за 2025-2026 и план на 2026/2027 учебный год, приказ № 2024 от 2024 г."
    )
