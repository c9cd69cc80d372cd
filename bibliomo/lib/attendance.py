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

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto
from pathlib import PurePath

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem

HEADER_SEARCH_ROWS = 10  # exports put a title, a date and a blank line above the header
CSV_DELIMITERS = (";", ",", "\t")  # ";" first: Russian Excel saves CSV with it

FORMATS = "Excel (XLSX, XLS), OpenDocument (ODS) или CSV"
EXPECTED_COLUMNS = (
    "столбец «E-mail» (или «Электронная почта») и/или «ФИО» "
    "(или отдельные «Фамилия», «Имя», «Отчество»)"
)

_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (and .doc)
_PDF_MAGIC = b"%PDF"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# What zipfile raises on a damaged archive: bad names, unknown versions, broken streams.
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)

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


Problem = SheetProblem


class AttendanceFileError(SheetFileError):
    """An attendance list that cannot be read; `problems` lists everything wrong."""


def _file_error(message: str) -> AttendanceFileError:
    return AttendanceFileError([Problem("", None, None, message)])


# --- reading --------------------------------------------------------------------------------


class _Kind(Enum):
    EMAIL = auto()
    FULL_NAME = auto()
    LAST_NAME = auto()
    FIRST_NAME = auto()
    PATRONYMIC = auto()
    NAME = auto()  # «Имя»: a first name beside «Фамилия», a whole name on its own


@dataclass(frozen=True)
class _Column:
    index: int
    title: str  # as written in the file, for messages


@dataclass(frozen=True)
class _Header:
    row_index: int
    email: _Column | None
    full_name: _Column | None
    name_parts: tuple[_Column, ...]  # last, first, patronymic — those the table has

    @property
    def size(self) -> int:
        return (self.email is not None) + (self.full_name is not None) + len(self.name_parts)


@dataclass(frozen=True)
class _Table:
    sheet: str
    rows: Sequence[Sequence[str]]


def read_attendance(data: bytes, filename: str) -> list[AttendanceRow]:
    """The participants listed in a CSV or spreadsheet file, in file order.

    Raises AttendanceFileError with every problem found, in Russian.
    """
    if not data.strip():
        raise _file_error(f"Файл пуст. Загрузите список участников в формате {FORMATS}.")
    if _is_spreadsheet_container(data, filename):
        table, header = _locate_in_workbook(data, filename)
    else:
        text = _decode_text(data, filename)
        if not text.strip():  # nothing but a byte order mark
            raise _file_error(f"Файл пуст. Загрузите список участников в формате {FORMATS}.")
        table, header = _locate_in_csv(text)
    return _read_rows(table, header)


def _is_spreadsheet_container(data: bytes, filename: str) -> bool:
    """Whether to open the file as a workbook; refuse what is plainly not a table.

    The content decides, not the name: a webinar platform may save tab-separated text as
    «.xls», and a person may rename a Word document to «.xlsx».
    """
    if data.startswith(_ZIP_MAGIC):
        return _check_zip(data, filename)
    if data.startswith(_OLE_MAGIC):
        return True
    if data.startswith(_PDF_MAGIC):
        raise _file_error(
            f"Файл «{filename}» — документ PDF, а нужна таблица в формате {FORMATS}. "
            "Выгрузите список участников из вебинарной платформы в виде таблицы."
        )
    if re.match(rb"\s*<(?:!doctype html|html|table)", data[:1024], re.IGNORECASE):
        raise _file_error(
            f"Файл «{filename}» — веб-страница (HTML), а не таблица. Откройте его в Excel и "
            "сохраните как «Книга Excel (*.xlsx)»."
        )
    return False


def _check_zip(data: bytes, filename: str) -> bool:
    """XLSX and ODS are zip archives; so are Word documents and anything else zipped."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except _ZIP_DAMAGE as error:
        raise _damaged(filename) from error
    if any(name.startswith("xl/") for name in names) or mimetype.startswith(_ODS_MIMETYPE):
        return True
    if "word/document.xml" in names or mimetype.startswith(_ODT_MIMETYPE):
        raise _file_error(
            f"Файл «{filename}» — текстовый документ (Word), а не таблица. "
            f"Нужна таблица в формате {FORMATS}."
        )
    raise _file_error(
        f"Файл «{filename}» — архив, а не таблица. Нужна таблица в формате {FORMATS}."
    )


def _damaged(filename: str) -> AttendanceFileError:
    return _file_error(
        f"Не удалось прочитать таблицу «{filename}»: файл повреждён или это не таблица Excel "
        "или OpenDocument. Откройте его в Excel и сохраните заново как «Книга Excel (*.xlsx)»."
    )


# --- spreadsheets ---------------------------------------------------------------------------


def _locate_in_workbook(data: bytes, filename: str) -> tuple[_Table, _Header]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return _first_sheet_with_header(workbook, filename)
    except PasswordError as error:
        raise _file_error(
            f"Файл «{filename}» защищён паролем. Снимите пароль в Excel и загрузите файл снова."
        ) from error
    except CalamineError as error:
        raise _damaged(filename) from error


def _first_sheet_with_header(workbook: CalamineWorkbook, filename: str) -> tuple[_Table, _Header]:
    """Exports often put a summary sheet before the list, so every sheet is looked at.

    Hidden sheets and chart sheets are passed over: the person does not see them as the list.
    """
    names = [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
    ]
    for name in names:
        sheet = workbook.get_sheet_by_name(name)
        # Empty rows above the data are kept, so that row numbers match what Excel shows.
        top = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
        header = _find_header(_texts(top))
        if header is not None:
            return _Table(name, _texts(sheet.to_python(skip_empty_area=False))), header
    if not names:  # Excel always keeps one sheet visible
        raise _damaged(filename)
    if len(names) == 1:
        where = f"В первых {HEADER_SEARCH_ROWS} строках листа «{names[0]}»"
    else:
        where = f"Ни на одном из листов ({len(names)}) в первых {HEADER_SEARCH_ROWS} строках"
    raise _file_error(f"{where} не найдена строка заголовков. Нужен {EXPECTED_COLUMNS}.")


def _texts(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    return [[_cell_text(value) for value in row] for row in rows]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float: 5 arrives as 5.0
    return " ".join(str(value).split())


# --- CSV ------------------------------------------------------------------------------------


def _decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251 that reads as words.

    Windows-1251 maps almost every byte to some character, so a successful decode proves
    nothing; the text is taken only when it looks like Russian or English writing.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's «Текст Юникод»
        candidates = [("utf-16", False)]
    else:
        candidates = [("utf-8-sig", False), ("cp1251", True)]
    for encoding, needs_words in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_plain_text(text) and (not needs_words or _reads_as_words(text)):
            return text
    if PurePath(filename).suffix.lower() in _SPREADSHEET_SUFFIXES:
        raise _damaged(filename)
    raise _file_error(
        f"Не удалось прочитать файл «{filename}»: это не таблица и не текст в кодировке UTF-8 "
        "или Windows-1251. Сохраните список в Excel как «CSV UTF-8 (разделитель — запятая)» "
        "или как «Книга Excel (*.xlsx)»."
    )


def _is_plain_text(text: str) -> bool:
    return not any(unicodedata.category(char) == "Cc" and char not in "\t\n\r\f" for char in text)


def _reads_as_words(text: str) -> bool:
    """Mostly Cyrillic or Latin letters, digits and ordinary punctuation — not byte noise."""
    visible = [char for char in text if not char.isspace()]
    ordinary = sum(
        1 for char in visible if char.isascii() or "\u0400" <= char <= "\u04ff" or char in "«»№–—…"
    )
    return ordinary >= 0.95 * len(visible)


def _locate_in_csv(text: str) -> tuple[_Table, _Header]:
    """Split by the separator under which a header is found with the most columns."""
    best: tuple[_Table, _Header] | None = None
    for delimiter in CSV_DELIMITERS:
        rows = _csv_rows(text, delimiter)
        header = _find_header(rows) if rows is not None else None
        if header is not None and (best is None or header.size > best[1].size):
            best = (_Table("", rows), header)
    if best is None:
        raise _file_error(
            f"В первых {HEADER_SEARCH_ROWS} строках файла не найдена строка заголовков. "
            f"Нужен {EXPECTED_COLUMNS}; столбцы разделяются точкой с запятой, запятой или "
            "табуляцией."
        )
    return best


def _csv_rows(text: str, delimiter: str) -> list[list[str]] | None:
    """The cells split by `delimiter`, or None if the text cannot be split by it at all."""
    try:
        return _texts(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None


# --- header and rows ------------------------------------------------------------------------

# Header words after _header_key(): lower case, «ё» as «е», punctuation as spaces.
_HEADER_WORDS: dict[str, _Kind] = {
    **dict.fromkeys(
        (
            "e mail",
            "email",
            "mail",
            "электронная почта",
            "адрес электронной почты",
            "эл почта",
            "адрес эл почты",
            "почта",
            "email address",
            "e mail address",
        ),
        _Kind.EMAIL,
    ),
    **dict.fromkeys(
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
        _Kind.FULL_NAME,
    ),
    "фамилия": _Kind.LAST_NAME,
    "last name": _Kind.LAST_NAME,
    "surname": _Kind.LAST_NAME,
    "first name": _Kind.FIRST_NAME,
    "отчество": _Kind.PATRONYMIC,
    "middle name": _Kind.PATRONYMIC,
    "имя": _Kind.NAME,
}
# «ФИО участника», «E-mail слушателя»: the qualifier says nothing about the column.
_HEADER_QUALIFIERS = re.compile(r"\s+(?:участника|слушателя|пользователя|посетителя)$")


def _header_key(title: str) -> str:
    text = re.sub(r"\(.*?\)", " ", title.casefold().replace("ё", "е"))
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return _HEADER_QUALIFIERS.sub("", text)


def _find_header(rows: Sequence[Sequence[str]]) -> _Header | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_from(index, row)
        if header is not None:
            return header
    return None


def _header_from(row_index: int, row: Sequence[str]) -> _Header | None:
    found: dict[_Kind, _Column] = {}
    for index, title in enumerate(row):
        kind = _HEADER_WORDS.get(_header_key(title))
        if kind is not None and kind not in found:  # the first of two e-mail columns wins
            found[kind] = _Column(index, title)
    if _Kind.NAME in found:
        as_part = _Kind.LAST_NAME in found or _Kind.FIRST_NAME in found
        found.setdefault(_Kind.FIRST_NAME if as_part else _Kind.FULL_NAME, found.pop(_Kind.NAME))
    parts = tuple(
        found[kind]
        for kind in (_Kind.LAST_NAME, _Kind.FIRST_NAME, _Kind.PATRONYMIC)
        if kind in found
    )
    email, full_name = found.get(_Kind.EMAIL), found.get(_Kind.FULL_NAME)
    if email is None and full_name is None and not parts:
        return None
    return _Header(row_index, email, full_name, parts)


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


def _cell(cells: Sequence[str], column: _Column | None) -> str:
    if column is None or column.index >= len(cells):
        return ""
    return cells[column.index]


def _clean_email(text: str) -> str:
    """Exports write addresses as «mailto:…» links or «<…>»; the address is what is inside."""
    text = text.strip().removeprefix("mailto:").strip()
    return text.removeprefix("<").removesuffix(">").strip()


def _bad_email(sheet: str, row: int, header: _Header, value: str) -> Problem:
    shown = value if len(value) <= 60 else f"{value[:60]}…"
    column = header.email.title if header.email is not None else None
    return Problem(sheet, row, column, f"«{shown}» — это не адрес электронной почты.")


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
