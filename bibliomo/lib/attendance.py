"""Reading an attendance list — a webinar platform's export or a typed table — and matching it
to the people the system knows.

A list comes as CSV (any of the separators and encodings Russian Excel and webinar platforms
produce) or as a spreadsheet (XLSX, XLS, ODS). Reading is all-or-nothing: a list with one bad
row is not half-imported, the person gets every problem at once with its sheet, row and
column, fixes the file and uploads it again.

Matching never guesses: a row that fits two people is reported as ambiguous for a person to
decide.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto

from bibliomo.lib import spreadsheets
from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem
from bibliomo.lib.spreadsheets import CSV_DELIMITERS, Field, Header, SheetLimits, Source

HEADER_SEARCH_ROWS = 10  # exports put a title, a date and a blank line above the header
# A webinar of the whole okrug has a few thousand participants.
DEFAULT_LIMITS = SheetLimits(max_rows=20_000, max_cells=400_000)

FORMATS = "Excel (XLSX, XLS), OpenDocument (ODS) или CSV"
EXPECTED_COLUMNS = (
    "столбец «E-mail» (или «Электронная почта») и/или «ФИО» "
    "(или отдельные «Фамилия», «Имя», «Отчество»)"
)
_EXPECTED = f"Загрузите список участников в формате {FORMATS}."

# local@domain.zone; letters may be Cyrillic (почта.рф), the zone is 2+ letters or punycode.
_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_]+(?:-+[^\W_]+)*\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)"
)


# --- results and errors ---------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    sheet: str  # "" for a CSV file, which has no sheets
    row: int  # as numbered in Excel or by line in the CSV file, from 1
    email: str
    full_name: str


@dataclass(frozen=True)
class AttendanceRead:
    rows: list[AttendanceRow]
    notices: list[SheetProblem] = field(default_factory=list)  # columns that were not read


Problem = SheetProblem


class AttendanceFileError(SheetFileError):
    """An attendance list that cannot be read; `problems` lists everything wrong."""


def _file_error(message: str) -> SheetFileError:
    return spreadsheets.file_error(AttendanceFileError, message)


# --- reading --------------------------------------------------------------------------------


class _Kind(Enum):
    EMAIL = auto()
    FULL_NAME = auto()
    LAST_NAME = auto()
    FIRST_NAME = auto()
    PATRONYMIC = auto()
    NAME = auto()  # «Имя»: a first name beside «Фамилия», a whole name on its own


# An alias also matches a title that begins with it: «ФИО участника», «E-mail слушателя».
_FIELDS = (
    Field(
        _Kind.EMAIL,
        "E-mail",
        ("E-mail", "Электронная почта"),
        (
            "email",
            "mail",
            "адрес электронной почты",
            "эл почта",
            "адрес эл почты",
            "почта",
            "email address",
            "e mail address",
            "e mail",
            "электронная почта",
        ),
        prefix=True,
    ),
    Field(
        _Kind.FULL_NAME,
        "ФИО",
        ("ФИО",),
        (
            "фио",
            "ф и о",
            "фамилия имя отчество",
            "фамилия имя",
            "имя фамилия",
            "фамилия и имя",
            "имя и фамилия",
            "полное имя",
            "участник",
            "слушатель",
            "name",
            "full name",
            "отображаемое имя",
        ),
        prefix=True,
    ),
    Field(_Kind.LAST_NAME, "Фамилия", ("Фамилия",), ("last name", "surname"), prefix=True),
    Field(_Kind.FIRST_NAME, "Имя", (), ("first name",), prefix=True),
    Field(_Kind.PATRONYMIC, "Отчество", ("Отчество",), ("middle name",), prefix=True),
    Field(_Kind.NAME, "Имя", ("Имя",), (), prefix=True),
)
_UNKNOWN = "этот столбец не читается, его данные не загружены."


@dataclass(frozen=True)
class _Header:
    row_index: int
    email: spreadsheets.Column | None
    full_name: spreadsheets.Column | None
    name_parts: tuple[spreadsheets.Column, ...]  # last, first, patronymic — those there are
    matched: Header

    @property
    def size(self) -> int:
        return (self.email is not None) + (self.full_name is not None) + len(self.name_parts)


@dataclass(frozen=True)
class _Table:
    sheet: str
    rows: Sequence[Sequence[str]]


def read_attendance_file(
    data: bytes, filename: str, *, limits: SheetLimits = DEFAULT_LIMITS
) -> AttendanceRead:
    """The participants and the notices about columns that were not read."""
    source = spreadsheets.open_table(
        data, filename, expected=_EXPECTED, error=AttendanceFileError, allow_csv=True
    )
    if source.is_workbook:
        table, header = _locate_in_workbook(source, limits)
    else:
        table, header = _locate_in_csv(source, limits)
    if header.matched.problems:
        raise AttendanceFileError(header.matched.problems)
    return AttendanceRead(_read_rows(table, header), list(header.matched.notices))


# --- spreadsheets ---------------------------------------------------------------------------


def _locate_in_workbook(source: Source, limits: SheetLimits) -> tuple[_Table, _Header]:
    """Exports often put a summary sheet before the list, so every sheet is looked at.

    Hidden sheets and chart sheets are passed over: the person does not see them as the list.
    """
    assert source.workbook is not None
    names = spreadsheets.visible_worksheets(source.workbook)
    for name in names:
        # Empty rows above the data are kept, so that row numbers match what Excel shows.
        top = spreadsheets.sheet_rows(
            source, name, limits=limits, error=AttendanceFileError, nrows=HEADER_SEARCH_ROWS
        )
        header = _find_header(_texts(top), name)
        if header is not None:
            rows = spreadsheets.sheet_rows(source, name, limits=limits, error=AttendanceFileError)
            return _Table(name, _texts(rows)), header
    if not names:  # Excel always keeps one sheet visible
        raise _file_error(
            f"Не удалось прочитать файл «{source.name}»: он повреждён или это не таблица Excel. "
            "Откройте его в Excel, сохраните как «Книга Excel (*.xlsx)» и загрузите снова."
        )
    if len(names) == 1:
        where = f"В первых {HEADER_SEARCH_ROWS} строках листа «{names[0]}»"
    else:
        where = f"Ни на одном из листов ({len(names)}) в первых {HEADER_SEARCH_ROWS} строках"
    raise _file_error(f"{where} не найдена строка заголовков. Нужен {EXPECTED_COLUMNS}.")


def _texts(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    return [[spreadsheets.cell_text(value) for value in row] for row in rows]


# --- CSV ------------------------------------------------------------------------------------


def _locate_in_csv(source: Source, limits: SheetLimits) -> tuple[_Table, _Header]:
    """Split by the separator under which a header is found with the most columns."""
    assert source.text is not None
    best: tuple[_Table, _Header] | None = None
    for delimiter in CSV_DELIMITERS:
        rows = spreadsheets.csv_rows(source.text, delimiter)
        if rows is None:
            continue
        rows = _texts(rows)
        header = _find_header(rows, "")
        if header is not None and (best is None or header.size > best[1].size):
            best = (_Table("", rows), header)
    if best is None:
        raise _file_error(
            f"В первых {HEADER_SEARCH_ROWS} строках файла не найдена строка заголовков. "
            f"Нужен {EXPECTED_COLUMNS}; столбцы разделяются точкой с запятой, запятой или "
            "табуляцией."
        )
    spreadsheets.check_csv_size(best[0].rows, limits, AttendanceFileError)
    return best


# --- header and rows ------------------------------------------------------------------------


def _find_header(rows: Sequence[Sequence[str]], sheet: str) -> _Header | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_from(index, row, sheet)
        if header is not None:
            return header
    return None


def _header_from(row_index: int, row: Sequence[str], sheet: str) -> _Header | None:
    matched = spreadsheets.match_header(
        row_index, row, _FIELDS, sheet=sheet, unknown_notice=_UNKNOWN
    )
    if not matched.found:
        return None
    found = dict(matched.columns)
    if _Kind.NAME in found:
        as_part = _Kind.LAST_NAME in found or _Kind.FIRST_NAME in found
        found.setdefault(_Kind.FIRST_NAME if as_part else _Kind.FULL_NAME, found.pop(_Kind.NAME))
    parts = tuple(
        found[kind]
        for kind in (_Kind.LAST_NAME, _Kind.FIRST_NAME, _Kind.PATRONYMIC)
        if kind in found
    )
    return _Header(row_index, found.get(_Kind.EMAIL), found.get(_Kind.FULL_NAME), parts, matched)


def _read_rows(table: _Table, header: _Header) -> list[AttendanceRow]:
    rows: list[AttendanceRow] = []
    problems: list[Problem] = []
    for index in range(header.row_index + 1, len(table.rows)):
        cells = table.rows[index]
        email = _cell(cells, header.email)
        # A separate «ФИО» column is taken first; the parts fill in when it is empty.
        name = _cell(cells, header.full_name) or " ".join(
            filter(None, (_cell(cells, part) for part in header.name_parts))
        )
        if not email and not name:
            continue  # blank lines between groups, the end of the table
        email = _clean_email(email)
        if email and not _EMAIL.fullmatch(email):
            problems.append(_bad_email(table.sheet, index + 1, header, email))
            continue
        rows.append(AttendanceRow(table.sheet, index + 1, email, name))
    if problems:
        raise AttendanceFileError(problems)
    if not rows:
        raise AttendanceFileError(
            [Problem(table.sheet, None, None, "под строкой заголовков нет ни одного участника.")]
        )
    return rows


def _cell(cells: Sequence[str], column: spreadsheets.Column | None) -> str:
    if column is None or column.index >= len(cells):
        return ""
    return cells[column.index]


def _clean_email(text: str) -> str:
    """Exports write addresses as «mailto:…» links or «<…>»; the address is what is inside."""
    text = text.strip().removeprefix("mailto:").strip()
    return text.removeprefix("<").removesuffix(">").strip()


def _bad_email(sheet: str, row: int, header: _Header, value: str) -> Problem:
    column = header.email.title if header.email is not None else None
    return Problem(sheet, row, column, "это не адрес электронной почты.", spreadsheets.shown(value))


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRef:
    id: int
    email: str
    last_name: str
    first_name: str
    patronymic: str


@dataclass
class MatchResult:
    matched: dict[int, AttendanceRow] = field(default_factory=dict)  # person id → first row
    unmatched: list[AttendanceRow] = field(default_factory=list)
    ambiguous: list[tuple[AttendanceRow, list[int]]] = field(default_factory=list)


def match_attendance(rows: Iterable[AttendanceRow], people: Sequence[PersonRef]) -> MatchResult:
    """Who of `people` each row is: by e-mail first, then by name; never a guess.

    Each row is judged on its own, so the result does not depend on row order except for
    which of several rows of one person is kept (the first).
    """
    directory = _Directory(people)
    result = MatchResult()
    for row in rows:
        candidates = directory.candidates(row)
        if len(candidates) == 1:
            result.matched.setdefault(candidates[0].id, row)  # rejoined the webinar
        elif candidates:
            result.ambiguous.append((row, [person.id for person in candidates]))
        else:
            result.unmatched.append(row)
    return result


# The word a name expects there (None: any word) and whether an initial will do instead.
_Slot = tuple[str | None, bool]


@dataclass(frozen=True)
class _Name:
    """A person's name as comparable words."""

    last: tuple[str, ...]
    first: tuple[str, ...]
    patronymic: tuple[str, ...]

    def fits(self, words: Sequence[str]) -> bool:
        """«Фамилия Имя Отчество», «Имя Отчество Фамилия», «Фамилия Имя», «Имя Фамилия»,
        with initials allowed for the first name and patronymic («Иванова А.П.»).

        An unknown patronymic is no contradiction: a row «Иванова Анна Петровна» fits a
        person recorded as «Иванова Анна».
        """
        last: list[_Slot] = [(word, False) for word in self.last]
        first: list[_Slot] = [(word, True) for word in self.first]
        middle: list[_Slot] = [(word, True) for word in self.patronymic] or [(None, True)]
        orders = (last + first + middle, first + middle + last, last + first, first + last)
        return any(_words_fit(words, slots) for slots in orders)


def _words_fit(words: Sequence[str], slots: Sequence[_Slot]) -> bool:
    return len(words) == len(slots) and all(
        _word_fits(word, slot) for word, slot in zip(words, slots, strict=True)
    )


def _word_fits(word: str, slot: _Slot) -> bool:
    expected, initial_will_do = slot
    if expected is None:
        return True
    return word == expected or (initial_will_do and len(word) == 1 and expected.startswith(word))


class _Directory:
    def __init__(self, people: Sequence[PersonRef]) -> None:
        self._by_email: dict[str, list[PersonRef]] = defaultdict(list)
        self._by_last_name: dict[str, list[PersonRef]] = defaultdict(list)
        self._names: dict[int, _Name] = {}
        for person in people:
            if person.email.strip():
                self._by_email[person.email.strip().casefold()].append(person)
            name = _Name(
                _name_words(person.last_name),
                _name_words(person.first_name),
                _name_words(person.patronymic),
            )
            if name.last and name.first:  # a last name alone would match too much
                self._names[person.id] = name
                self._by_last_name[name.last[0]].append(person)

    def candidates(self, row: AttendanceRow) -> list[PersonRef]:
        same_address = self._by_email.get(row.email.casefold(), []) if row.email else []
        if len(same_address) == 1:
            return same_address
        if same_address:  # a school's shared mailbox: the name may tell them apart
            return self._by_name(row.full_name, same_address) or same_address
        return self._by_name(row.full_name, None)

    def _by_name(self, full_name: str, among: list[PersonRef] | None) -> list[PersonRef]:
        words = _display_name_words(full_name)
        if len(words) < 2:
            return []
        if among is None:
            # Only people whose last name is one of the row's words can fit it.
            among = [person for word in words for person in self._by_last_name.get(word, [])]
        found: dict[int, PersonRef] = {}
        for person in among:
            name = self._names.get(person.id)
            if name is not None and name.fits(words):
                found.setdefault(person.id, person)
        return list(found.values())


def _name_words(text: str) -> tuple[str, ...]:
    """Lower case, «ё» as «е», initials split: «Иванова И.О.» → ("иванова", "и", "о")."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[^\w\s-]+|_|\d", " ", text)
    return tuple(word.strip("-") for word in text.split() if word.strip("-"))


def _display_name_words(text: str) -> tuple[str, ...]:
    """A webinar display name without the school people add: «Иванова Анна (СОШ № 5)»,
    «Иванова Анна Петровна, МБОУ СОШ № 5»."""
    text = re.sub(r"\(.*?\)", " ", text)
    before_comma = text.split(",", 1)[0]
    if len(_name_words(before_comma)) >= 2:
        text = before_comma
    return _name_words(text)
