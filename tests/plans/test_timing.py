from __future__ import annotations

import json
from datetime import date

import pytest

from bibliomo.plans.timing import Timing, parse_timing

YEAR = 2024  # the 2024/2025 academic year


def parse(text: str) -> Timing:
    return parse_timing(text, YEAR)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("сентябрь", [9]),
        ("Декабрь", [12]),
        ("в сентябре", [9]),
        ("сентября", [9]),
        ("в мае", [5]),
        ("Март", [3]),
        ("сент., окт.", [9, 10]),
        ("октябрь–ноябрь", [10, 11]),
        ("октябрь-ноябрь", [10, 11]),
        ("октябрь — ноябрь", [10, 11]),
        ("с сентября по май", [9, 10, 11, 12, 1, 2, 3, 4, 5]),
        ("ноябрь-февраль", [11, 12, 1, 2]),
        ("сентябрь, май", [9, 5]),
        ("сентябрь и май", [9, 5]),
        ("май, сентябрь", [9, 5]),
        ("в сентябре и мае", [9, 5]),
        ("сентябрь, сентябрь", [9]),
        ("декабрь 2024 г.", [12]),
    ],
)
def test_months_are_read_in_academic_order(text: str, months: list[int]) -> None:
    timing = parse(text)

    assert timing.months == months
    assert not timing.flagged, timing.flag_reason
    assert not timing.throughout_year
    assert timing.text == text


@pytest.mark.parametrize(
    "text",
    [
        "в течение года",
        "В течение года",
        "в течение учебного года",
        "В течение всего учебного года",
        "в течение 2024-2025 учебного года",
        "постоянно",
    ],
)
def test_throughout_the_year(text: str) -> None:
    timing = parse(text)

    assert timing.throughout_year
    assert timing.months == []
    assert not timing.flagged


def test_month_and_throughout_the_year_together() -> None:
    timing = parse("Сентябрь, в течение года")

    assert timing.months == [9]
    assert timing.throughout_year
    assert not timing.flagged
    assert timing.summary() == "сентябрь, в течение учебного года"


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("I квартал", [9, 10]),
        ("II квартал", [11, 12]),
        ("III квартал", [1, 2, 3]),
        ("IV квартал", [4, 5]),
        ("1 квартал", [9, 10]),
        ("2-й квартал", [11, 12]),
        ("4 квартал", [4, 5]),
        ("III четверть", [1, 2, 3]),
        ("I полугодие", [9, 10, 11, 12]),
        ("II полугодие", [1, 2, 3, 4, 5]),
        ("1 полугодие", [9, 10, 11, 12]),
        ("2 полугодие", [1, 2, 3, 4, 5]),
        ("во втором полугодии", [1, 2, 3, 4, 5]),
    ],
)
def test_quarters_and_half_years_follow_the_school_calendar(text: str, months: list[int]) -> None:
    timing = parse(text)

    assert timing.months == months
    assert not timing.flagged, timing.flag_reason


def test_monthly() -> None:
    timing = parse("ежемесячно")

    assert timing.monthly
    assert timing.months == []
    assert timing.summary() == "ежемесячно"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.10.2024", date(2024, 10, 15)),
        ("15.10.24", date(2024, 10, 15)),
        ("15.10", date(2024, 10, 15)),
        ("20.03", date(2025, 3, 20)),
        ("15 октября", date(2024, 10, 15)),
        ("20 марта 2025 г.", date(2025, 3, 20)),
    ],
)
def test_exact_dates_take_the_year_from_the_academic_year(text: str, expected: date) -> None:
    timing = parse(text)

    assert timing.dates == [expected]
    assert timing.months == []
    assert timing.calendar_months == [expected.month]
    assert not timing.flagged


def test_several_dates_are_sorted() -> None:
    assert parse("20.03.2025, 15.10.2024").dates == [date(2024, 10, 15), date(2025, 3, 20)]


@pytest.mark.parametrize(
    "text",
    ["14.10.2024–18.10.2024", "14.10.2024 - 18.10.2024", "с 14.10 по 18.10.2024", "14-18.10.2024"],
)
def test_date_ranges(text: str) -> None:
    timing = parse(text)

    assert timing.date_ranges == [(date(2024, 10, 14), date(2024, 10, 18))]
    assert timing.dates == []
    assert not timing.flagged
    assert timing.summary() == "14.10.2024–18.10.2024"


def test_date_range_across_the_new_year_touches_every_month_in_between() -> None:
    timing = parse("25.12.2024-10.02.2025")

    assert timing.calendar_months == [12, 1, 2]


@pytest.mark.parametrize("text", ["до 20.09.2024", "До 20.09", "не позднее 20 сентября"])
def test_deadline(text: str) -> None:
    timing = parse(text)

    assert timing.deadline == date(2024, 9, 20)
    assert timing.dates == []
    assert not timing.flagged
    assert timing.summary() == "до 20.09.2024"


@pytest.mark.parametrize(
    "text", ["по согласованию с ОО", "по мере необходимости", "по плану УМЦ", "ранней весной"]
)
def test_text_that_is_not_understood_is_kept_and_flagged(text: str) -> None:
    timing = parse(text)

    assert timing.flagged
    assert timing.text == text
    assert timing.flag_reason == f"Не удалось распознать срок «{text}»."
    assert timing.summary() == text
    assert (timing.months, timing.dates, timing.throughout_year) == ([], [], False)


def test_partly_understood_text_keeps_what_it_knows_and_quotes_the_rest() -> None:
    timing = parse("Октябрь (по согласованию с ОО)")

    assert timing.months == [10]
    assert timing.flagged
    assert timing.flag_reason == "Не удалось распознать часть срока: «по согласованию с ОО»."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Срок не указан."),
        ("  ", "Срок не указан."),
        ("31.02.2025", "Даты «31.02.2025» не существует."),
        ("15.10.2023", "Дата 15.10.2023 не входит в 2024/2025 учебный год."),
        ("декабрь 2023", "Срок «декабрь 2023» не входит в 2024/2025 учебный год."),
        ("май–сентябрь", "Месяцы «май–сентябрь» идут не по порядку учебного года."),
        ("18.10.2024-14.10.2024", "Начало периода «18.10.2024-14.10.2024» позже его конца."),
        ("III полугодие", "Периода «III полугодие» в учебном году нет."),
    ],
)
def test_doubtful_timings_are_flagged_with_a_reason(text: str, reason: str) -> None:
    timing = parse(text)

    assert timing.flagged
    assert timing.flag_reason == reason


def test_date_outside_the_academic_year_is_kept_but_flagged() -> None:
    timing = parse("15.10.2023")

    assert timing.dates == [date(2023, 10, 15)]
    assert timing.flagged


def test_summary_collapses_neighbouring_months() -> None:
    assert parse("сентябрь, октябрь, ноябрь, май").summary() == "сентябрь–ноябрь, май"
    assert parse("I полугодие").summary() == "сентябрь–декабрь"


def test_shifted_moves_dates_and_the_years_in_the_text() -> None:
    timing = parse("сентябрь, 15.10.2024, 14.10.24-18.10.24, до 20.03.2025")

    moved = timing.shifted(1)

    assert moved.months == [9]
    assert moved.dates == [date(2025, 10, 15)]
    assert moved.date_ranges == [(date(2025, 10, 14), date(2025, 10, 18))]
    assert moved.deadline == date(2026, 3, 20)
    assert moved.text == "сентябрь, 15.10.2025, 14.10.25-18.10.25, до 20.03.2026"
    assert moved == parse_timing(moved.text, YEAR + 1)


def test_shifted_from_a_leap_day_lands_on_the_28th() -> None:
    timing = parse_timing("до 29.02.2024", 2023)

    moved = timing.shifted(1)

    assert moved.deadline == date(2025, 2, 28)
    assert moved.text == "до 28.02.2025"


def test_shifted_keeps_text_without_years_as_is() -> None:
    timing = parse("в течение года")

    assert timing.shifted(1) == timing


@pytest.mark.parametrize(
    "text",
    ["Сентябрь, в течение года", "15.10.2024", "14.10.2024–18.10.2024", "до 20.09.2024", "по ОО"],
)
def test_dict_form_survives_json(text: str) -> None:
    timing = parse(text)

    stored = json.loads(json.dumps(timing.to_dict()))

    assert Timing.from_dict(stored) == timing


def test_dict_form_uses_iso_dates() -> None:
    data = parse("14.10.2024–18.10.2024, до 20.09.2024").to_dict()

    assert data["date_ranges"] == [["2024-10-14", "2024-10-18"]]
    assert data["deadline"] == "2024-09-20"
