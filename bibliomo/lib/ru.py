"""Russian presentation helpers: dates, months, academic years, plural forms, names.

Plain functions with no Django dependency, used by templates, documents and e-mails alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTHS_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)

# The academic year in Russian schools runs from September 1 to August 31.
ACADEMIC_YEAR_FIRST_MONTH = 9
ACADEMIC_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None) -> str:
    """25.11.2026"""
    if value is None:
        return ""
    return _as_date(value).strftime("%d.%m.%Y")


def format_date_long(value: date | datetime | None) -> str:
    """«25 ноября 2026 г.»"""
    if value is None:
        return ""
    d = _as_date(value)
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def format_datetime(value: datetime | None) -> str:
    """25.11.2026 14:05 — the caller passes a local (Moscow) datetime."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y %H:%M")


def month_name(month: int, case: str = "nominative", capital: bool = False) -> str:
    table = {
        "nominative": MONTHS_NOMINATIVE,
        "genitive": MONTHS_GENITIVE,
        "prepositional": MONTHS_PREPOSITIONAL,
    }[case]
    name = table[month - 1]
    return name.capitalize() if capital else name


def shortened(text: str, limit: int) -> str:
    """Cut before ``limit`` characters at a word boundary, ended with «…», and every quote the
    cut left open closed again (one or two characters more): «семинар «Школьная библиотека:
    моё…»», where truncatechars would leave «семинар «Школьная библиотека: моё сч…»."""
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    cut = text[: limit - 1]  # room for «…»
    if not text[len(cut)].isspace():  # the cut falls inside a word: drop the word
        head, space, _word = cut.rpartition(" ")
        cut = head if space else cut
    cut = cut.rstrip(" ,.;:!?—–-") + "…"
    return cut + quotes_left_open(cut)


def quotes_left_open(text: str) -> str:
    """The closing quotes a cut-off text needs: «» for «», “ for „ (innermost first)."""
    openings = {"«": "»", "„": "“"}
    closing: list[str] = []
    for char in text:
        if char in openings:
            closing.append(openings[char])
        elif closing and char == closing[-1]:
            closing.pop()
    return "".join(reversed(closing))


def capfirst(text: str) -> str:
    """The first letter upper-case, the rest as written: «Заседание ММО», where
    str.capitalize() would give «Заседание ммо» (and lower «Excel», «ФПУ», names)."""
    return text[:1].upper() + text[1:]


def shift_academic_years(text: str, years: int) -> str:
    """«2024-2025 учебный год» → «2025-2026 учебный год» for one year; «2024/2025» likewise."""
    return re.sub(
        r"(?<!\d)(20\d{2})(\s*[-–—/]\s*)(20\d{2})(?!\d)",
        lambda m: f"{int(m.group(1)) + years}{m.group(2)}{int(m.group(3)) + years}",
        text,
    )


def academic_year_days(start: int) -> tuple[date, date]:
    """1 September and 31 August of the academic year that begins in `start`."""
    return date(start, 9, 1), date(start + 1, 8, 31)


def academic_year_start(value: date | datetime) -> int:
    """The calendar year in which the academic year containing `value` began."""
    d = _as_date(value)
    return d.year if d.month >= ACADEMIC_YEAR_FIRST_MONTH else d.year - 1


def format_academic_year(start: int, sep: str = "/") -> str:
    """2024 → «2024/2025» (or «2024-2025» with sep="-")."""
    return f"{start}{sep}{start + 1}"


def parse_academic_year(text: str) -> int:
    """«2024/2025», «2024-2025», «2024–2025 учебный год» → 2024. Raises ValueError otherwise."""
    import re

    match = re.search(r"(\d{4})\s*[/\-–—]\s*(\d{4})", text)
    if not match:
        raise ValueError(f"Не удалось распознать учебный год: «{text}»")
    start, end = int(match.group(1)), int(match.group(2))
    if end != start + 1:
        raise ValueError(f"Учебный год должен охватывать два соседних года: «{text}»")
    return start


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """Choose the Russian plural form: 1 школа, 2 школы, 5 школ, 11 школ, 21 школа."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(n: int, one: str, few: str, many: str) -> str:
    """«5 школ», «1 234 школы» — the number (thousands grouped) followed by the matching form."""
    return f"{format_number(n)} {plural_form(n, one, few, many)}"


def short_name(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """«Леонтьева Эльвира Викторовна» → «Леонтьева Э.В.» (the form documents sign with)."""
    initials = "".join(f"{part.strip()[0]}." for part in (first_name, patronymic) if part.strip())
    return f"{last_name.strip()} {initials}".strip()


def initials_first(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """«Г.В. Венкова» — the form used under «УТВЕРЖДАЮ»."""
    initials = "".join(f"{part.strip()[0]}." for part in (first_name, patronymic) if part.strip())
    return f"{initials} {last_name.strip()}".strip()


def full_name(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    return " ".join(part.strip() for part in (last_name, first_name, patronymic) if part.strip())


def format_number(value, digits: int = 0) -> str:
    """«264 507», «97,1»: groups of thousands joined by a no-break space, a decimal comma."""
    if value is None or value == "":
        return ""
    number = round(float(value), digits)
    text = f"{abs(number):,.{digits}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if number < 0 else "") + text


def natural_key(text: str) -> tuple:
    """Sort «СОШ № 2» before «СОШ № 10»: digits compare as numbers, letters without case."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text or "")
        if part
    )


def natural_sort_string(text: str, width: int = 6) -> str:
    """A string that sorts in `natural_key` order in a database column: lower case, every run of
    digits zero-padded («сош № 000002» before «сош № 000010»)."""
    import re

    return re.sub(r"\d+", lambda m: m.group(0).zfill(width), (text or "").casefold())


# --- Typography of generated texts -----------------------------------------------------------

NBSP = "\u00a0"
_OPENING = "«„"
_STRAIGHT_QUOTE = '"'


def nested_quotes(text: str) -> str:
    """Quotes inside quotes become „…“: «МБОУ «СОШ № 1»» → «МБОУ „СОШ № 1“».

    Russian practice: the outer pair is «ёлочки», every pair inside it „лапки“. Straight quotes
    typed by a person count as quotes too: an opening one follows a space or a bracket.
    """
    result: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        if char == _STRAIGHT_QUOTE:
            before = text[index - 1] if index else " "
            char = "«" if before.isspace() or before in "([{«„" else "»"
            if char == "»" and depth == 0:
                char = "«"  # a closing quote with nothing open: treat it as opening
        if char in _OPENING:
            result.append("«" if depth == 0 else "„")
            depth += 1
        elif char in "»“":
            if depth == 0:
                result.append(char)
                continue
            depth -= 1
            result.append("»" if depth == 0 else "“")
        else:
            result.append(char)
    return "".join(result)


def quoted(text: str) -> str:
    """The text in «…», quotes already inside turned into „…“; a text already quoted stays."""
    text = text.strip()
    if not text:
        return ""
    if text.startswith("«") and text.endswith("»") and _closes_at_end(text):
        return nested_quotes(text)
    return nested_quotes(f"«{text}»")


def _closes_at_end(text: str) -> bool:
    """«А» и «Б» starts and ends with quotes but is two quoted pieces, not one."""
    depth = 0
    for index, char in enumerate(text):
        depth += char in _OPENING
        depth -= char in "»“"
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def number_sign(text: str) -> str:
    """«№» joined to its number by a no-break space, so a line never ends with a bare «№»."""
    return re.sub(r"№\s*(?=[\w\d])", f"№{NBSP}", text)


def typography(text: str) -> str:
    """What every generated paper applies to its texts: nested quotes and «№ 1»."""
    return number_sign(nested_quotes(text)) if text else text


def join_sentences(first: str, second: str) -> str:
    """«Харрис Э.» + «Английский язык» → «Харрис Э. Английский язык» (no doubled full stop)."""
    first, second = first.strip(), second.strip()
    if not first:
        return second
    if not second:
        return first
    stop = "" if first.endswith((".", "!", "?", "…")) else "."
    return f"{first}{stop} {second}"


def document_place(municipality: str) -> str:
    """Where a paper is drawn up, as written on it: «городской округ Серпухов» → «г. Серпухов»."""
    name = " ".join(municipality.split())
    for prefix in ("городской округ ", "город ", "г. ", "г.о. "):
        if name.lower().startswith(prefix):
            return f"г. {name[len(prefix) :]}"
    return name
