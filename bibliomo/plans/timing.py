"""The «сроки» column of a work plan, turned into something a calendar can use.

People write timings freely: «сентябрь», «в течение года», «октябрь–ноябрь», «II полугодие»,
«до 20.09.2024». `parse_timing` recognises the usual forms and never guesses: whatever it does
not understand stays in `Timing.text`, and the timing is flagged for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bibliomo.lib.ru import ACADEMIC_MONTHS, MONTHS_NOMINATIVE, format_academic_year, format_date

# Quarters and half-years are counted the way schools count them, not the way accountants do:
# «I квартал» in a school plan means the first term (четверть), and nothing is planned for
# the summer. So: I = September–October, II = November–December, III = January–March,
# IV = April–May; the first half-year is September–December, the second January–May.
QUARTER_MONTHS: dict[int, tuple[int, ...]] = {1: (9, 10), 2: (11, 12), 3: (1, 2, 3), 4: (4, 5)}
HALF_YEAR_MONTHS: dict[int, tuple[int, ...]] = {1: (9, 10, 11, 12), 2: (1, 2, 3, 4, 5)}

# Every way a plan spells a month: «сентябрь», «сентября», «в сентябре», «сент.».
_MONTH_FORMS: dict[int, str] = {
    1: r"январ[ьяе]|янв",
    2: r"феврал[ьяе]|февр?",
    3: r"март[ае]?|мар",
    4: r"апрел[ьяе]|апр",
    5: r"ма[йяе]",
    6: r"июн[ьяе]?",
    7: r"июл[ьяе]?",
    8: r"август[ае]?|авг",
    9: r"сентябр[ьяе]|сент?",
    10: r"октябр[ьяе]|окт",
    11: r"ноябр[ьяе]|нояб?",
    12: r"декабр[ьяе]|дек",
}
_MONTH = rf"(?<![а-я])(?:{'|'.join(_MONTH_FORMS.values())})(?![а-я])\.?"
_NUMERIC_DATE = r"\d{1,2}\.\d{1,2}(?:\.(?:\d{4}|\d{2}))?"
_TEXT_DATE = rf"\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
_ORDINAL = r"iv|i{1,3}|[1-4]|перв\w*|втор\w*|трет\w*|четверт\w*"
_ORDINAL_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "перв": 1, "втор": 2, "трет": 3, "четв": 4}

# Words that only glue the recognised parts together: «в сентябре и мае», «декабрь 2024 г.»,
# «в течение октября» (which is simply October).
_FILLER_WORDS = frozenset(
    {"в", "во", "и", "а", "также", "с", "по", "г", "гг", "год", "года", "течение"}
)
_CONSUMED = "\x00"
_DASHES = str.maketrans({dash: "-" for dash in "‐‑‒–—−"} | {"\u00a0": " ", "ё": "е"})


@dataclass
class Timing:
    """A parsed «сроки» cell. `text` is always the original wording."""

    text: str
    months: list[int] = field(default_factory=list)  # in academic order: September first
    throughout_year: bool = False
    monthly: bool = False
    dates: list[date] = field(default_factory=list)
    date_ranges: list[tuple[date, date]] = field(default_factory=list)
    deadline: date | None = None
    flagged: bool = False
    flag_reason: str = ""

    @property
    def calendar_months(self) -> list[int]:
        """Every month the activity touches, whether named or implied by a date."""
        touched = set(self.months) | {day.month for day in self.dates}
        for first, last in self.date_ranges:
            touched.update(_months_between(first, last))
        if self.deadline is not None:
            touched.add(self.deadline.month)
        return _in_academic_order(touched)

    @property
    def runs_all_year(self) -> bool:
        """«В течение года», «ежемесячно», or no month at all: its time is the whole year."""
        return self.throughout_year or self.monthly or not self.calendar_months

    def summary(self) -> str:
        """A short Russian description, e.g. «сентябрь, в течение учебного года».

        A flagged timing is described by its own words: a person has to read them anyway.
        """
        if self.flagged:
            return self.text or "срок не указан"
        parts = [*_describe_months(self.months), *(format_date(day) for day in self.dates)]
        parts += [f"{format_date(first)}–{format_date(last)}" for first, last in self.date_ranges]
        if self.deadline is not None:
            parts.append(f"до {format_date(self.deadline)}")
        if self.monthly:
            parts.append("ежемесячно")
        if self.throughout_year:
            parts.append("в течение учебного года")
        return ", ".join(parts)

    def shifted(self, years: int) -> Timing:
        """The same timing a number of academic years later (or earlier, if negative).

        Used when a plan is rolled over to the next year: months stay, dates move, and the
        years written in the text move with them so the text does not contradict the dates.
        """
        return replace(
            self,
            text=_shift_years_in_text(self.text, years),
            dates=[_add_years(day, years) for day in self.dates],
            date_ranges=[(_add_years(a, years), _add_years(b, years)) for a, b in self.date_ranges],
            deadline=None if self.deadline is None else _add_years(self.deadline, years),
            flag_reason=_shift_years_in_text(self.flag_reason, years),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; dates become ISO strings."""
        return {
            "text": self.text,
            "months": list(self.months),
            "throughout_year": self.throughout_year,
            "monthly": self.monthly,
            "dates": [day.isoformat() for day in self.dates],
            "date_ranges": [[a.isoformat(), b.isoformat()] for a, b in self.date_ranges],
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "flagged": self.flagged,
            "flag_reason": self.flag_reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Timing:
        deadline = data.get("deadline")
        return cls(
            text=data.get("text", ""),
            months=[int(month) for month in data.get("months", [])],
            throughout_year=bool(data.get("throughout_year", False)),
            monthly=bool(data.get("monthly", False)),
            dates=[date.fromisoformat(day) for day in data.get("dates", [])],
            date_ranges=[
                (date.fromisoformat(first), date.fromisoformat(last))
                for first, last in data.get("date_ranges", [])
            ],
            deadline=date.fromisoformat(deadline) if deadline else None,
            flagged=bool(data.get("flagged", False)),
            flag_reason=data.get("flag_reason", ""),
        )


def parse_timing(text: str, academic_year_start: int) -> Timing:
    """Understand a «сроки» cell of a plan for the academic year starting in that year.

    Dates written without a year get it from the academic year: September–December belong to
    `academic_year_start`, January–August to the year after.
    """
    original = text.strip()
    if not original:
        return Timing(text="", flagged=True, flag_reason="Срок не указан.")
    collector = _Collector(academic_year_start, original)
    masked = collector.normalised
    for pattern, handler in _RULES:
        masked = pattern.sub(_consumer(handler, collector), masked)

    problems = collector.problems
    unknown = _unrecognised_fragments(collector.quotable, masked)
    if not collector.found_anything and not problems:
        problems.append(f"Не удалось распознать срок «{original}».")
    elif unknown:
        quoted = ", ".join(f"«{fragment}»" for fragment in unknown)
        problems.append(f"Не удалось распознать часть срока: {quoted}.")
    return Timing(
        text=original,
        months=_in_academic_order(collector.months),
        throughout_year=collector.throughout_year,
        monthly=collector.monthly,
        dates=sorted(collector.dates),
        date_ranges=collector.date_ranges,
        deadline=collector.deadline,
        flagged=bool(problems),
        flag_reason=" ".join(problems),
    )


class _Collector:
    """What the rules have found so far in one «сроки» cell."""

    def __init__(self, academic_year_start: int, original: str) -> None:
        self.start = academic_year_start
        self.normalised = original.lower().translate(_DASHES)
        # Lower-casing keeps the length of Russian text, so positions found in `normalised`
        # point into the original and messages can quote the author's own spelling. Should an
        # exotic letter break that, quoting the lower-cased text is still honest.
        self.quotable = original if len(original) == len(self.normalised) else self.normalised
        self.months: set[int] = set()
        self.dates: set[date] = set()
        self.date_ranges: list[tuple[date, date]] = []
        self.deadline: date | None = None
        self.throughout_year = False
        self.monthly = False
        self.problems: list[str] = []

    def quote(self, match: re.Match[str], group: int | str = 0) -> str:
        return self.quotable[match.start(group) : match.end(group)].strip()

    @property
    def found_anything(self) -> bool:
        return bool(
            self.months
            or self.dates
            or self.date_ranges
            or self.deadline
            or self.throughout_year
            or self.monthly
        )

    def year_of_month(self, month: int) -> int:
        return self.start if month >= ACADEMIC_MONTHS[0] else self.start + 1

    def make_date(self, day: int, month: int, year: int | None, written: str) -> date | None:
        try:
            value = date(self.year_of_month(month) if year is None else year, month, day)
        except ValueError:
            self.problems.append(f"Даты «{written}» не существует.")
            return None
        if not date(self.start, 9, 1) <= value <= date(self.start + 1, 8, 31):
            self.problems.append(
                f"Дата {format_date(value)} не входит в "
                f"{format_academic_year(self.start)} учебный год."
            )
        return value

    def add_month(self, month: int, year: int | None, written: str) -> None:
        if year is not None and year != self.year_of_month(month):
            self.problems.append(
                f"Срок «{written}» не входит в {format_academic_year(self.start)} учебный год."
            )
        self.months.add(month)

    def add_month_span(self, first: int, last: int, written: str) -> None:
        begin, end = ACADEMIC_MONTHS.index(first), ACADEMIC_MONTHS.index(last)
        if begin > end:
            # «май–сентябрь» runs through the summer into another academic year: ask, not guess.
            self.problems.append(f"Месяцы «{written}» идут не по порядку учебного года.")
            return
        self.months.update(ACADEMIC_MONTHS[begin : end + 1])

    def add_date_range(self, first: date | None, last: date | None, written: str) -> None:
        if first is None or last is None:
            return
        if first > last:
            self.problems.append(f"Начало периода «{written}» позже его конца.")
            return
        self.date_ranges.append((first, last))

    def set_deadline(self, value: date | None, written: str) -> None:
        if value is None:
            return
        if self.deadline is not None:
            self.problems.append(f"Указано несколько крайних сроков: «{written}».")
            return
        self.deadline = value


_Handler = Callable[[re.Match[str], _Collector], None]


def _consumer(handler: _Handler, collector: _Collector) -> Callable[[re.Match[str]], str]:
    """Feed a match to its handler and blank it out so later rules cannot read it twice."""

    def consume(match: re.Match[str]) -> str:
        handler(match, collector)
        return _CONSUMED * len(match.group(0))

    return consume


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    return next(month for month, forms in _MONTH_FORMS.items() if re.fullmatch(forms, word))


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _date_token(match: re.Match[str], group: int | str, collector: _Collector) -> date | None:
    """«15.10.2024», «15.10.24», «15.10» or «15 октября 2024»."""
    token, written = match[group].strip(), collector.quote(match, group)
    numeric = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d+))?", token)
    if numeric:
        day, month, year = numeric.groups()
        if not 1 <= int(month) <= 12:
            collector.problems.append(f"Даты «{written}» не существует.")
            return None
        return collector.make_date(int(day), int(month), _year(year), written)
    day, month_word, *year = token.split()
    return collector.make_date(int(day), _month_number(month_word), _year("".join(year)), written)


def _on_date_range(match: re.Match[str], collector: _Collector) -> None:
    first = _date_token(match, "first", collector)
    last = _date_token(match, "last", collector)
    collector.add_date_range(first, last, collector.quote(match))


def _on_day_range(match: re.Match[str], collector: _Collector) -> None:
    """«14–18.10.2024» or «14–18 октября»: two days of one month."""
    month = match["month"]
    month_number = int(month) if month.isdigit() else _month_number(month)
    written = collector.quote(match)
    if not 1 <= month_number <= 12:
        collector.problems.append(f"Даты «{written}» не существует.")
        return
    year = _year(match["year"])
    first = collector.make_date(int(match["first"]), month_number, year, written)
    last = collector.make_date(int(match["last"]), month_number, year, written)
    collector.add_date_range(first, last, written)


def _on_deadline(match: re.Match[str], collector: _Collector) -> None:
    collector.set_deadline(_date_token(match, "date", collector), collector.quote(match))


def _on_date(match: re.Match[str], collector: _Collector) -> None:
    value = _date_token(match, 0, collector)
    if value is not None:
        collector.dates.add(value)


def _on_term(match: re.Match[str], collector: _Collector) -> None:
    """«I квартал», «2-е полугодие», «третья четверть»."""
    ordinal = match["ordinal"]
    number = int(ordinal) if ordinal.isdigit() else _ORDINAL_VALUES[ordinal[:4]]
    terms = HALF_YEAR_MONTHS if match["kind"].startswith("полугоди") else QUARTER_MONTHS
    if number not in terms:
        collector.problems.append(f"Периода «{collector.quote(match)}» в учебном году нет.")
        return
    collector.months.update(terms[number])


def _on_month_span(match: re.Match[str], collector: _Collector) -> None:
    first, last = _month_number(match["first"]), _month_number(match["last"])
    written = collector.quote(match)
    for month, year in ((first, match["first_year"]), (last, match["last_year"])):
        if year is not None:
            collector.add_month(month, int(year), written)
    collector.add_month_span(first, last, written)


def _on_month(match: re.Match[str], collector: _Collector) -> None:
    collector.add_month(_month_number(match["month"]), _year(match["year"]), collector.quote(match))


def _on_throughout_year(match: re.Match[str], collector: _Collector) -> None:
    collector.throughout_year = True


def _on_monthly(match: re.Match[str], collector: _Collector) -> None:
    collector.monthly = True


# Order matters: longer forms go first so that «14.10.2024–18.10.2024» is read as one period
# and not as two separate dates, and «15 октября» as a date and not as the month of October.
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (
            rf"(?:(?<![а-я])с\s+)?(?<![\d.])(?P<first>{_NUMERIC_DATE})\s*(?:-|по)\s*"
            rf"(?P<last>{_NUMERIC_DATE})(?!\d)",
            _on_date_range,
        ),
        (
            r"(?<![\d.])(?P<first>\d{1,2})\s*-\s*(?P<last>\d{1,2})\.(?P<month>\d{1,2})"
            r"(?:\.(?P<year>\d{4}|\d{2}))?(?!\d)",
            _on_day_range,
        ),
        (
            rf"(?<![\d.])(?P<first>\d{{1,2}})\s*-\s*(?P<last>\d{{1,2}})\s+(?P<month>{_MONTH})"
            r"(?:\s+(?P<year>\d{4}))?",
            _on_day_range,
        ),
        (
            rf"(?<![а-я])(?:до|не\s+позднее)\s+(?P<date>{_NUMERIC_DATE}(?!\d)|{_TEXT_DATE})",
            _on_deadline,
        ),
        (rf"(?<![\d.]){_NUMERIC_DATE}(?!\d)", _on_date),
        (rf"(?<![\d.]){_TEXT_DATE}", _on_date),
        (
            rf"(?<![а-яa-z\d])(?P<ordinal>{_ORDINAL})\s*(?:-?[а-я]{{1,2}}\s*)?"
            r"(?P<kind>квартал\w*|четверт\w*|полугоди\w*)",
            _on_term,
        ),
        (
            rf"(?:(?<![а-я])с\s+)?(?P<first>{_MONTH})(?:\s+(?P<first_year>\d{{4}}))?\s*(?:-|по)\s*"
            rf"(?P<last>{_MONTH})(?:\s+(?P<last_year>\d{{4}}))?",
            _on_month_span,
        ),
        (rf"(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?", _on_month),
        (
            r"(?<![а-я])(?:(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?"
            r"(?:\d{4}\s*[-/]\s*\d{2,4}\s+)?(?:учебного\s+)?года"
            r"|весь\s+(?:учебный\s+)?год|постоянно|круглогодично)(?![а-я])",
            _on_throughout_year,
        ),
        (r"(?<![а-я])(?:ежемесячно|каждый\s+месяц)(?![а-я])", _on_monthly),
    )
)


def _unrecognised_fragments(source: str, masked: str) -> list[str]:
    """Pieces of the source text, between recognised parts and commas, that carry meaning."""
    fragments = []
    for chunk in re.finditer(rf"[^{_CONSUMED},;()]+", masked):
        words = re.findall(r"[^\W_]+", chunk.group(0))
        if any(word not in _FILLER_WORDS for word in words):
            fragments.append(source[chunk.start() : chunk.end()].strip(" .-"))
    return fragments


def _in_academic_order(months: set[int] | list[int]) -> list[int]:
    return [month for month in ACADEMIC_MONTHS if month in months]


def _describe_months(months: list[int]) -> Iterator[str]:
    """[9, 10, 11, 5] → «сентябрь–ноябрь», «май»: neighbouring months collapse into a span."""
    run: list[int] = []
    for month in ACADEMIC_MONTHS:
        if month in months:
            run.append(month)
            continue
        if run:
            yield _describe_run(run)
            run = []
    if run:
        yield _describe_run(run)


def _describe_run(run: list[int]) -> str:
    first, last = MONTHS_NOMINATIVE[run[0] - 1], MONTHS_NOMINATIVE[run[-1] - 1]
    return first if len(run) == 1 else f"{first}–{last}"


def _months_between(first: date, last: date) -> Iterator[int]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a common year
        return value.replace(year=value.year + years, day=28)


def _shift_years_in_text(text: str, years: int) -> str:
    """Move «15.10.2024», «15.10.24» and bare years like «2024» by whole years."""
    if not years:
        return text

    def shift(match: re.Match[str]) -> str:
        if match["year_only"]:
            return str(int(match["year_only"]) + years)
        day, month, year = match["day"], match["month"], match["year"]
        full_year = 2000 + int(year) if len(year) == 2 else int(year)
        try:
            moved = _add_years(date(full_year, int(month), int(day)), years)
        except ValueError:  # not a real date: leave it exactly as the author wrote it
            return match.group(0)
        new_year = f"{moved.year % 100:02d}" if len(year) == 2 else str(moved.year)
        return f"{moved.day:0{len(day)}d}.{month}.{new_year}"

    pattern = (
        r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})(?!\d)"
        r"|(?<!\d)(?P<year_only>(?:19|20)\d{2})(?!\d)"
    )
    return re.sub(pattern, shift, text)
