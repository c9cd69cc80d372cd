"""Reading query-string and path parameters: a value nobody could mean counts as absent.

Every view reads its GET parameters through these, so a hand-edited or hostile URL
(`?month=9999-12`, `?school=99999999999999999999`, `?year=0000`, a NUL byte in a search) is a
page without that filter, never a server error.
"""

from __future__ import annotations

import re
from datetime import date

from bibliomo.lib import ru

# Years a person of the association can mean: documents, plans and events live in these.
MIN_YEAR = 1900
MAX_YEAR = 2199
# The largest id a database column holds (bigint).
MAX_ID = 2**63 - 1

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def int_param(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """A whole number within [minimum, maximum], else None."""
    if value is None:
        return None
    value = value.strip()
    if not re.fullmatch(r"-?[0-9]{1,20}", value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def id_param(value: str | None) -> int | None:
    """The id of a row (a positive number a database can hold), else None."""
    return int_param(value, minimum=1, maximum=MAX_ID)


def year_param(value: str | None) -> int | None:
    """A four-digit calendar year within MIN_YEAR..MAX_YEAR, else None."""
    if value is None or not re.fullmatch(r"[0-9]{4}", value.strip()):
        return None
    return int_param(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


def month_param(value: str | None) -> date | None:
    """«2024-10» → 1 October 2024; anything else (or a year out of range) → None."""
    if value is None:
        return None
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value.strip())
    if not match:
        return None
    year = year_param(match.group(1))
    month = int(match.group(2))
    if year is None or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def academic_year_param(value: str | None) -> int | None:
    """«2024/2025» (or «2024-2025») → 2024, the year it began; anything else → None."""
    if not value:
        return None
    try:
        start = ru.parse_academic_year(value)
    except ValueError:
        return None
    return start if MIN_YEAR <= start <= MAX_YEAR else None


def text_param(value: str | None, max_length: int) -> str:
    """Search text: control characters (a NUL breaks PostgreSQL) dropped, trimmed, cut."""
    if not value:
        return ""
    return _CONTROL.sub("", value).strip()[:max_length]


class YearConverter:
    """`<year:year>` in a URL: a four-digit year within MIN_YEAR..MAX_YEAR (else 404)."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = year_param(value)
        if year is None:
            raise ValueError(value)
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"
