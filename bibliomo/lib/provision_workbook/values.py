"""One cell's value, read the way people and Excel write it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from bibliomo.lib.provision_workbook.layout import (
    FIRST_YEAR,
    MAX_COUNT,
    MAX_GRADE,
    WRITE_OFF_REASONS,
)
from bibliomo.lib.ru import format_date


class _BadValue(Exception):
    """A cell that cannot be taken; the message follows the value: «…» — message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


# --- cell values ----------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text with spaces tidied; 5.0 (how Excel keeps 5) as «5»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return format_date(value)
    return " ".join(str(value).split())


def _shown(value: object) -> str:
    """A cell as Russian Excel shows it, for messages: decimal comma, short."""
    text = _text(value)
    if isinstance(value, float) and not value.is_integer():
        text = text.replace(".", ",")
    return text if len(text) <= 60 else f"{text[:60]}…"


def _word_key(text: str) -> str:
    """Buildings, reasons, sheet names: case, «ё», extra spaces and a final dot do not matter."""
    return " ".join(text.casefold().replace("ё", "е").split()).removesuffix(".").strip()


def _code_key(code: str | None) -> str:
    """«1.1.1.2.1.3.61.» and « 1.1.1.2.1.3.61 » are the code 1.1.1.2.1.3.61."""
    return "".join((code or "").split()).rstrip(".")


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _number(value: object) -> float | None:
    """A number, also from text as people type it: « 12 », «12,0», «1 200», «−3»."""
    if isinstance(value, bool):
        return None  # a bool is an int to Python, never a count to a person
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = "".join(value.split()).replace("−", "-")
        if _NUMBER.fullmatch(text):
            return float(text.replace(",", "."))
    return None


def _whole(value: object) -> int | None:
    number = _number(value)
    if number is None or abs(number - round(number)) > 1e-9:
        return None  # the tolerance forgives 12.000000001 that a formula may give
    return round(number)


def _count(noun: str, *, required: bool = True, positive: bool = False) -> Callable[[object], int]:
    """A parser of whole numbers of pupils, classes or copies; `noun` names it in messages."""

    def parse(value: object) -> int:
        if _is_blank(value):
            if required:
                raise _BadValue(f"не указано {noun}.")
            return 0
        number = _number(value)
        if number is None:
            raise _BadValue(f"это не число; укажите {noun} цифрами.")
        if number < 0:
            raise _BadValue(f"{noun} не может быть отрицательным.")
        whole = _whole(number)
        if whole is None:
            raise _BadValue(f"{noun} должно быть целым.")
        if positive and whole == 0:
            raise _BadValue(f"{noun} должно быть больше нуля.")
        if whole > MAX_COUNT:
            raise _BadValue("слишком большое число — проверьте, нет ли лишних цифр.")
        return whole

    return parse


# «5а», «5 А», «5-а», «5-й», «5-ый», «5 класс», «5а кл.»: a parallel's number with a class letter
# or an ordinal ending around it, after lower case and without quotes.
_GRADE_TEXT = re.compile(r"(\d{1,2})(?:\s*-?\s*(?:ы?й|[а-яa-z]))?(?:\s*кл(?:асс)?\.?)?")


def _grade(value: object) -> int:
    if _is_blank(value):
        raise _BadValue("не указан класс.")
    grade = _whole(value)
    if grade is None and isinstance(value, str):
        text = re.sub(r"[«»\"'“”]", "", value.casefold().replace("ё", "е")).strip()
        match = _GRADE_TEXT.fullmatch(text)
        grade = int(match.group(1)) if match else None
    if grade is None:
        raise _BadValue(f"это не номер класса; укажите число от 1 до {MAX_GRADE}.")
    if not 1 <= grade <= MAX_GRADE:
        raise _BadValue(f"класс должен быть от 1 до {MAX_GRADE}.")
    return grade


_YEAR_TEXT = re.compile(r"(\d{4})\s*(?:г\.?|год)?")


def _year(value: object) -> int | None:
    """2021, «2021», «2021 г.», or the date of receipt that some type instead of the year."""
    if isinstance(value, datetime | date):
        return value.year
    year = _whole(value)
    if year is None and isinstance(value, str):
        match = _YEAR_TEXT.fullmatch(value.strip().casefold())
        year = int(match.group(1)) if match else None
    return year


_REASONS = {_word_key(label): code for code, label in WRITE_OFF_REASONS.items()}


def _reason(value: object) -> str:
    text = _text(value)
    if not text:
        raise _BadValue("не указана причина списания.")
    code = _REASONS.get(_word_key(text))
    if code is None:
        listed = ", ".join(WRITE_OFF_REASONS.values())
        raise _BadValue(f"такой причины нет; выберите из списка: {listed}.")
    return code


def _act_number(max_length: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        # «№ 12» would print as «№ № 12» where documents put the sign before the number.
        number = re.sub(r"^№\s*", "", _text(value))
        if not number:
            raise _BadValue("не указан номер акта.")
        if len(number) > max_length:
            raise _BadValue(f"номер акта длиннее {max_length} знаков; укажите только номер.")
        return number

    return parse


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 for every date after Excel's phantom 29.02.1900
_FIRST_SERIAL = (date(FIRST_YEAR, 1, 1) - _EXCEL_EPOCH).days


def _date(value: object) -> date | None:
    """A date cell, a date typed as text, or a date's serial number that lost its format."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = re.sub(r"\s*(?:г\.?|года)$", "", value.strip())
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return None
    serial = _whole(value)
    if serial is None or serial < _FIRST_SERIAL:
        return None  # 12 in a date column is a typo, not 11 January 1900
    try:
        return _EXCEL_EPOCH + timedelta(days=serial)
    except OverflowError:
        return None
