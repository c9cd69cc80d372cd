"""Reading the federal list of textbooks (федеральный перечень учебников, ФПУ) from a table
laid out like the appendix to the order, and comparing one version of the list with another.

The list comes as a spreadsheet (XLSX, XLS, ODS) or CSV: a title above the table, a header
row, then entries grouped under section rows — «1.1.2 Основное общее образование»,
«1.1.2.1 Русский язык и литература (предметная область)», «1.1.2.1.1 Русский язык (учебный
предмет)». When the table has no «Предмет» column, an entry's subject is the nearest section
row above it that names a subject.

Reading is all-or-nothing: one bad row means nothing is imported, and the person gets every
problem at once with its sheet, row and column, fixes the file and uploads it again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, auto
from pathlib import PurePath
from typing import Protocol

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from bibliomo.lib.filetypes import detect, text_encoding
from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem

HEADER_SEARCH_ROWS = 15  # the official appendix has the order's requisites above the table
CSV_DELIMITERS = (";", ",", "\t")  # ";" first: Russian Excel saves CSV with it
FIRST_GRADE, LAST_GRADE = 1, 11

BASIC, ADVANCED = "basic", "advanced"
LEVEL_LABELS = {BASIC: "базовый", ADVANCED: "углублённый"}

FORMATS = "Excel (XLSX, XLS), OpenDocument (ODS) или CSV"
CODE_EXAMPLE = "1.1.1.2.1.3.61"

_WORKBOOK_KINDS = frozenset({"xlsx", "xls", "ods"})
# Detected as something else but still a workbook: macros (.xlsm) are only read, never run;
# the binary .xlsb has no part that tells it from any other zip archive.
_WORKBOOK_SUFFIXES = {"macro": {".xlsm"}, "zip": {".xlsb"}}
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


# --- results and errors ---------------------------------------------------------------------


@dataclass(frozen=True)
class FpuEntry:
    code: str  # dotted, without a trailing dot: "1.1.1.2.1.3.61"
    subject: str  # «Русский язык»
    title: str  # «Русский язык. 5 класс»
    authors: str
    grade_from: int  # FIRST_GRADE..LAST_GRADE
    grade_to: int
    publisher: str
    level: str  # BASIC or ADVANCED
    order: str  # the order that included it: «№ 858 от 21.09.2022»; may be ""
    limit_date: date | None = None  # the last day it may be used, when the list sets one

    @property
    def grades(self) -> str:
        """«5» or «10–11», as the list writes them."""
        return grades_label(self.grade_from, self.grade_to)


def grades_label(grade_from: int, grade_to: int) -> str:
    return str(grade_from) if grade_from == grade_to else f"{grade_from}–{grade_to}"


FpuProblem = SheetProblem


class FpuFileError(SheetFileError):
    """A federal list that cannot be read; `problems` lists everything wrong."""


def _file_error(message: str) -> FpuFileError:
    return FpuFileError([FpuProblem("", None, None, message)])


# --- columns --------------------------------------------------------------------------------


class _Kind(Enum):
    CODE = auto()
    TITLE = auto()
    AUTHORS = auto()
    GRADE = auto()
    PUBLISHER = auto()
    SUBJECT = auto()
    LEVEL = auto()
    ORDER = auto()
    LIMIT_DATE = auto()


# How the messages name a required column the file lacks: as the official appendix does.
_REQUIRED: dict[_Kind, str] = {
    _Kind.CODE: "«Порядковый номер учебника» (или «Код»)",
    _Kind.TITLE: "«Наименование учебника»",
    _Kind.AUTHORS: "«Автор/авторский коллектив»",
    _Kind.GRADE: "«Класс»",
    _Kind.PUBLISHER: "«Наименование издателя(ей) учебника»",
}

# Header phrases after _header_key(): lower case, «ё» as «е», no parentheses, punctuation as
# spaces. A title matches a phrase it equals or begins with («Уровень изучения» is a level);
# the longest matching phrase decides, so «Наименование издателя» is not a title and «№ п/п»,
# a row counter, is not the textbook's number. None marks a column to leave alone.
_HEADER_PHRASES: dict[str, _Kind | None] = {
    **dict.fromkeys(
        ("порядковый номер", "номер учебника", "код", "№"),
        _Kind.CODE,
    ),
    **dict.fromkeys(("№ п п", "n п п", "номер п п", "п п"), None),
    **dict.fromkeys(
        ("наименование учебника", "название учебника", "наименование", "название"),
        _Kind.TITLE,
    ),
    **dict.fromkeys(("автор", "авторы", "авторский коллектив"), _Kind.AUTHORS),
    **dict.fromkeys(("класс", "классы"), _Kind.GRADE),
    **dict.fromkeys(
        (
            "наименование издателя",
            "наименование издателей",
            "наименование издательства",
            "издатель",
            "издатели",
            "издательство",
        ),
        _Kind.PUBLISHER,
    ),
    **dict.fromkeys(
        ("предмет", "учебный предмет", "наименование предмета", "наименование учебного предмета"),
        _Kind.SUBJECT,
    ),
    "уровень": _Kind.LEVEL,
    **dict.fromkeys(("приказ", "реквизиты приказа", "включен приказом"), _Kind.ORDER),
    **dict.fromkeys(
        ("срок использования", "предельный срок", "дата окончания использования"),
        _Kind.LIMIT_DATE,
    ),
}
_PHRASES_LONGEST_FIRST = sorted(_HEADER_PHRASES, key=len, reverse=True)
_HEADER_MIN_COLUMNS = 3  # fewer known titles is a title row or a table of something else


def _header_key(title: str) -> str:
    text = re.sub(r"\(.*?\)", " ", title.casefold().replace("ё", "е"))
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())


def _kind_of(title: str) -> _Kind | None:
    key = _header_key(title)
    for phrase in _PHRASES_LONGEST_FIRST:
        if key == phrase or key.startswith(phrase + " "):
            return _HEADER_PHRASES[phrase]
    return None


@dataclass(frozen=True)
class _Column:
    index: int
    title: str  # as written in the file, for messages


@dataclass(frozen=True)
class _Header:
    row_index: int
    columns: dict[_Kind, _Column]

    def __getitem__(self, kind: _Kind) -> _Column | None:
        return self.columns.get(kind)


@dataclass(frozen=True)
class _Table:
    sheet: str
    rows: Sequence[Sequence[object]]  # text from CSV; text, numbers and dates from a workbook


def _find_header(rows: Sequence[Sequence[object]]) -> _Header | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_from(index, row)
        if header is not None:
            return header
    return None


def _header_from(row_index: int, row: Sequence[object]) -> _Header | None:
    columns: dict[_Kind, _Column] = {}
    for index, value in enumerate(row):
        title = _text(value)
        kind = _kind_of(title) if title else None
        if kind is not None and kind not in columns:  # the first of two «Класс» columns wins
            columns[kind] = _Column(index, title)
    if len(columns) < _HEADER_MIN_COLUMNS:
        return None
    return _Header(row_index, columns)


def _expected_columns() -> str:
    return _joined(list(_REQUIRED.values()))


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} и {items[-1]}"


# --- reading --------------------------------------------------------------------------------


def read_fpu(data: bytes, filename: str) -> list[FpuEntry]:
    """The entries of a federal list in CSV or spreadsheet form, in file order.

    Raises FpuFileError with every problem found, in Russian.
    """
    table, header = _locate(data, filename)
    return _read_entries(table, header)


def _locate(data: bytes, filename: str) -> tuple[_Table, _Header]:
    """The table and its header; the content decides what the file is, not its name."""
    name = PurePath(filename.replace("\\", "/")).name
    suffix = PurePath(name).suffix.lower()
    kind = detect(data, name)
    if kind.code == "empty" or not data.strip():
        raise _file_error(
            f"Файл пуст. Загрузите федеральный перечень учебников в формате {FORMATS}."
        )
    if kind.code in _WORKBOOK_KINDS or suffix in _WORKBOOK_SUFFIXES.get(kind.code, ()):
        return _locate_in_workbook(data, name)
    if kind.code == "txt":
        return _locate_in_csv(data)
    if kind.code == "encrypted":
        raise _password_protected(name)
    if kind.code == "unknown" and suffix in _SPREADSHEET_SUFFIXES:
        raise _damaged(name)
    if kind.code == "unknown":
        raise _file_error(
            f"Не удалось прочитать файл «{name}»: это не таблица и не текст в кодировке UTF-8 "
            "или Windows-1251. Сохраните перечень в Excel как «Книга Excel (*.xlsx)» или "
            "«CSV UTF-8 (разделитель — запятая)»."
        )
    raise _file_error(
        f"Файл «{name}» — {kind.description}, а нужна таблица в формате {FORMATS}. "
        "Если перечень открыт в Word или в браузере, скопируйте таблицу в Excel и сохраните "
        "как «Книга Excel (*.xlsx)»."
    )


def _damaged(name: str) -> FpuFileError:
    return _file_error(
        f"Не удалось прочитать таблицу «{name}»: файл повреждён или это не таблица Excel "
        "или OpenDocument. Откройте его в Excel и сохраните заново как «Книга Excel (*.xlsx)»."
    )


def _password_protected(name: str) -> FpuFileError:
    return _file_error(
        f"Файл «{name}» защищён паролем. Снимите пароль в Excel и загрузите файл снова."
    )


def _locate_in_workbook(data: bytes, name: str) -> tuple[_Table, _Header]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return _first_sheet_with_header(workbook, name)
    except PasswordError as error:
        raise _password_protected(name) from error
    except CalamineError as error:
        raise _damaged(name) from error


def _first_sheet_with_header(workbook: CalamineWorkbook, name: str) -> tuple[_Table, _Header]:
    """The first visible worksheet with a header: a cover sheet may come before the list."""
    names = [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
    ]
    for sheet_name in names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        # Empty rows above the table are kept, so that row numbers match what Excel shows.
        header = _find_header(sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS))
        if header is not None:
            rows = sheet.to_python(skip_empty_area=False)
            _require_columns(sheet_name, header)
            return _Table(sheet_name, rows), header
    if not names:  # Excel always keeps one sheet visible
        raise _damaged(name)
    if len(names) == 1:
        where = f"В первых {HEADER_SEARCH_ROWS} строках листа «{names[0]}»"
    else:
        where = f"Ни на одном из листов ({len(names)}) в первых {HEADER_SEARCH_ROWS} строках"
    raise _file_error(
        f"{where} не найдена строка заголовков перечня. Нужны столбцы {_expected_columns()}."
    )


def _locate_in_csv(data: bytes) -> tuple[_Table, _Header]:
    """Split by the separator under which the header has the most known columns."""
    encoding = text_encoding(data) or "utf-8"
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    if not text.strip():  # nothing but a byte order mark
        raise _file_error(
            f"Файл пуст. Загрузите федеральный перечень учебников в формате {FORMATS}."
        )
    best: tuple[_Table, _Header] | None = None
    for delimiter in CSV_DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        header = _find_header(rows)
        if header is not None and (best is None or len(header.columns) > len(best[1].columns)):
            best = (_Table("", rows), header)
    if best is None:
        raise _file_error(
            f"В первых {HEADER_SEARCH_ROWS} строках файла не найдена строка заголовков перечня. "
            f"Нужны столбцы {_expected_columns()}; столбцы разделяются точкой с запятой, "
            "запятой или табуляцией."
        )
    _require_columns("", best[1])
    return best


def _require_columns(sheet: str, header: _Header) -> None:
    missing = [title for kind, title in _REQUIRED.items() if kind not in header.columns]
    if not missing:
        return
    what = "нет столбца" if len(missing) == 1 else "нет столбцов"
    raise FpuFileError(
        [
            FpuProblem(
                sheet, header.row_index + 1, None, f"в строке заголовков {what} {_joined(missing)}."
            )
        ]
    )


# --- cells ----------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as a person reads it: numbers without «.0», dates as 31.08.2027, one space."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float: 5 arrives as 5.0
    if isinstance(value, date):  # and datetime: a date typed into a cell has no time
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def _shown(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:60]}…"


_CODE = re.compile(r"\d+(?:\.\d+){2,}")


def normalise_code(text: str) -> str | None:
    """«1.1.1.2.1.3.61.», «1. 1. 1» → "1.1.1.2.1.3.61", "1.1.1"; None when it is no code.

    A code is at least three numbers joined by dots, as in the official list.
    """
    code = "".join(text.split()).rstrip(".")
    return code if _CODE.fullmatch(code) else None


def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Codes in the list's own order: 1.1.2.1.1.1.9 before 1.1.2.1.1.1.10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


_GRADES = re.compile(r"(\d{1,2})(?:\s*[-–—‒−]\s*(\d{1,2}))?(?:\s*(?:класс(?:ы|а|ов)?|кл)\.?)?")


def _grades(text: str) -> tuple[int, int] | str:
    """(5, 9) from «5–9», «5-9 классы», «5 - 9 кл.»; otherwise what is wrong, in Russian."""
    match = _GRADES.fullmatch(text.casefold().replace("ё", "е"))
    if match is None:
        return f"«{_shown(text)}» — не класс: укажите класс числом («5») или диапазоном («5–9»)."
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not (FIRST_GRADE <= first <= LAST_GRADE and FIRST_GRADE <= last <= LAST_GRADE):
        return f"«{_shown(text)}» — класс должен быть от {FIRST_GRADE} до {LAST_GRADE}."
    if first > last:
        return f"«{_shown(text)}» — в диапазоне классов первый больше последнего."
    return first, last


_LEVEL_WORDS = {
    "базовый": BASIC,
    "б": BASIC,
    BASIC: BASIC,
    "углубленный": ADVANCED,
    "профильный": ADVANCED,  # the older name of the advanced level
    "у": ADVANCED,
    ADVANCED: ADVANCED,
}
_ADVANCED_IN_TITLE = re.compile(r"углубл[её]нный\s+уровень")


def _level(text: str, title: str) -> str | None:
    """BASIC or ADVANCED; None when the cell says something else.

    The official list has no level column and names the level in the title («…10 класс.
    Углублённый уровень»), so an empty cell falls back to the title, and then to basic.
    """
    if not text:
        return ADVANCED if _ADVANCED_IN_TITLE.search(title.casefold()) else BASIC
    words = re.sub(r"[^\w]+", " ", text.casefold().replace("ё", "е")).split()
    key = " ".join(word for word in words if word != "уровень")
    return _LEVEL_WORDS.get(key)


_DOTTED_DATE = re.compile(r"(?:до\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:г\.?|года))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _limit_date(value: object) -> date | str | None:
    """The date in the cell, None for an empty cell, or what is wrong, in Russian."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    parts: tuple[str, str, str] | None = None
    if match := _DOTTED_DATE.fullmatch(text.casefold()):
        parts = (match.group(3), match.group(2), match.group(1))
    elif match := _ISO_DATE.fullmatch(text):
        parts = (match.group(1), match.group(2), match.group(3))
    if parts is not None:
        try:
            return date(*(int(part) for part in parts))
        except ValueError:
            pass
    return f"«{_shown(text)}» — не дата: запишите предельный срок как «31.08.2027»."


# --- sections -------------------------------------------------------------------------------

_LEADING_CODE = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_SUBJECT_MARK = re.compile(r"\s*\(\s*учебный\s+предмет\s*\)\s*\.?$", re.IGNORECASE)
# Sections above the subjects: the part of the programme, the level of education, the area.
_NOT_A_SUBJECT = re.compile(r"\(\s*предметная\s+область\s*\)|образова|учебник|\bчасть\b")


def _section_subject(text: str) -> str:
    """The subject a section row names, or "" for a section of another kind.

    «1.1.2.1.1 Русский язык (учебный предмет)» and «Русский язык» name a subject;
    «1.1.2 Основное общее образование» and «Русский язык и литература (предметная область)»
    do not, and entries under them have no subject until the next subject row.
    """
    text = _LEADING_CODE.sub("", text)
    if _SUBJECT_MARK.search(text):
        return _SUBJECT_MARK.sub("", text).strip()
    if _NOT_A_SUBJECT.search(text.casefold()):
        return ""
    return text.rstrip(".").strip()


def _is_column_numbering(row: Sequence[object]) -> bool:
    """«1 | 2 | 3 | 4 | 5» — the row official tables put under the header."""
    texts = [_text(value) for value in row if _text(value)]
    return len(texts) >= _HEADER_MIN_COLUMNS and texts == [
        str(number) for number in range(1, len(texts) + 1)
    ]


# --- rows -----------------------------------------------------------------------------------

# Cells every entry fills and a section row leaves empty.
_ENTRY_ONLY = (_Kind.AUTHORS, _Kind.GRADE, _Kind.PUBLISHER)


def _read_entries(table: _Table, header: _Header) -> list[FpuEntry]:
    reader = _RowReader(table.sheet, header)
    for index in range(header.row_index + 1, len(table.rows)):
        cells = table.rows[index]
        if index == header.row_index + 1 and _is_column_numbering(cells):
            continue
        reader.read(index + 1, cells)
    if reader.problems:
        raise FpuFileError(reader.problems)
    if not reader.entries:
        raise FpuFileError(
            [FpuProblem(table.sheet, None, None, "под строкой заголовков нет ни одного учебника.")]
        )
    return reader.entries


class _RowReader:
    """Reads the rows below the header one by one, remembering the current section."""

    def __init__(self, sheet: str, header: _Header) -> None:
        self.sheet = sheet
        self.header = header
        self.entries: list[FpuEntry] = []
        self.problems: list[FpuProblem] = []
        self._section_subject = ""
        self._code_rows: dict[str, int] = {}  # code → the row it was first seen in

    def read(self, row: int, cells: Sequence[object]) -> None:
        texts = [_text(value) for value in cells]
        if not any(texts):
            return  # blank lines between sections, the end of the table
        if self._is_header_again(texts):
            return  # the header repeated on every page of a table pasted from Word
        if not any(self._text(texts, kind) for kind in _ENTRY_ONLY):
            # A section row: its code and name; a merged cell leaves the name in the first one.
            self._section_subject = _section_subject(" ".join(text for text in texts if text))
            return
        problems_before = len(self.problems)
        entry = self._entry(row, cells, texts)
        if len(self.problems) == problems_before:
            self.entries.append(entry)

    def _is_header_again(self, texts: list[str]) -> bool:
        return all(
            self._text(texts, kind) == column.title for kind, column in self.header.columns.items()
        )

    def _entry(self, row: int, cells: Sequence[object], texts: list[str]) -> FpuEntry:
        """The row as an entry; what is wrong goes to `problems`, and the entry is dropped."""
        code = self._code(row, cells, texts)
        subject = self._text(texts, _Kind.SUBJECT) or self._section_subject
        if not subject and self.header[_Kind.SUBJECT] is not None:
            self._problem(row, _Kind.SUBJECT, "не указан предмет.")
        elif not subject:
            self._problem(
                row,
                None,
                "не удалось определить предмет: в таблице нет столбца «Предмет», а выше этой "
                "строки нет строки раздела с названием учебного предмета.",
            )
        title = self._required(row, texts, _Kind.TITLE, "не указано наименование учебника.")
        authors = self._required(row, texts, _Kind.AUTHORS, "не указаны авторы.")
        grade_from, grade_to = self._grades(row, cells, texts)
        publisher = self._required(row, texts, _Kind.PUBLISHER, "не указан издатель.")
        level_text = self._text(texts, _Kind.LEVEL)
        level = _level(level_text, title)
        if level is None:
            self._problem(
                row,
                _Kind.LEVEL,
                f"«{_shown(level_text)}» — уровень должен быть «базовый» или «углублённый» "
                "(пустая ячейка — базовый).",
            )
        limit_date = _limit_date(self._value(cells, _Kind.LIMIT_DATE))
        if isinstance(limit_date, str):
            self._problem(row, _Kind.LIMIT_DATE, limit_date)
            limit_date = None
        return FpuEntry(
            code=code,
            subject=subject,
            title=title,
            authors=authors,
            grade_from=grade_from,
            grade_to=grade_to,
            publisher=publisher,
            level=level or BASIC,
            order=self._text(texts, _Kind.ORDER),
            limit_date=limit_date,
        )

    def _code(self, row: int, cells: Sequence[object], texts: list[str]) -> str:
        text = self._text(texts, _Kind.CODE)
        if isinstance(self._value(cells, _Kind.CODE), date):
            self._problem(
                row,
                _Kind.CODE,
                f"Excel превратил код учебника в дату ({text}). Задайте столбцу текстовый "
                "формат и введите код заново.",
            )
            return ""
        if not text:
            self._problem(row, _Kind.CODE, "не указан код учебника.")
            return ""
        code = normalise_code(text)
        if code is None:
            self._problem(
                row,
                _Kind.CODE,
                f"«{_shown(text)}» — не код учебника: нужны не меньше трёх чисел через точку, "
                f"например «{CODE_EXAMPLE}».",
            )
            return ""
        first_row = self._code_rows.setdefault(code, row)
        if first_row != row:
            self._problem(row, _Kind.CODE, f"код «{code}» уже встречался в строке {first_row}.")
        return code

    def _grades(self, row: int, cells: Sequence[object], texts: list[str]) -> tuple[int, int]:
        text = self._text(texts, _Kind.GRADE)
        if isinstance(self._value(cells, _Kind.GRADE), date):
            self._problem(
                row,
                _Kind.GRADE,
                f"Excel превратил классы в дату ({text}). Задайте столбцу текстовый формат и "
                "введите классы заново, например «5–9».",
            )
            return 0, 0
        if not text:
            self._problem(row, _Kind.GRADE, "не указан класс.")
            return 0, 0
        grades = _grades(text)
        if isinstance(grades, str):
            self._problem(row, _Kind.GRADE, grades)
            return 0, 0
        return grades

    def _required(self, row: int, texts: list[str], kind: _Kind, missing: str) -> str:
        text = self._text(texts, kind)
        if not text:
            self._problem(row, kind, missing)
        return text

    def _problem(self, row: int, kind: _Kind | None, message: str) -> None:
        column = self.header[kind] if kind is not None else None
        self.problems.append(
            FpuProblem(self.sheet, row, column.title if column is not None else None, message)
        )

    def _value(self, cells: Sequence[object], kind: _Kind) -> object:
        column = self.header[kind]
        if column is None or column.index >= len(cells):
            return ""
        return cells[column.index]

    def _text(self, texts: list[str], kind: _Kind) -> str:
        column = self.header[kind]
        if column is None or column.index >= len(texts):
            return ""
        return texts[column.index]


# --- comparing two versions of the list -----------------------------------------------------


class CatalogueEntry(Protocol):
    """What diff_catalogue compares: an FpuEntry, a stored row, anything with these fields."""

    @property
    def code(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def authors(self) -> str: ...
    @property
    def grade_from(self) -> int: ...
    @property
    def grade_to(self) -> int: ...
    @property
    def publisher(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def order(self) -> str: ...


# The compared fields and their Russian names; both grade bounds are «классы».
_COMPARED_FIELDS: tuple[tuple[str, str], ...] = (
    ("subject", "предмет"),
    ("title", "наименование"),
    ("authors", "авторы"),
    ("grade_from", "классы"),
    ("grade_to", "классы"),
    ("publisher", "издатель"),
    ("level", "уровень"),
    ("order", "приказ"),
)


@dataclass(frozen=True)
class CatalogueDiff:
    added: list[str]  # codes in the new list only
    changed: list[tuple[str, list[str]]]  # (code, Russian names of the changed fields)
    removed: list[str]  # codes in the old list only

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def diff_catalogue(
    old: Mapping[str, CatalogueEntry], new: Iterable[CatalogueEntry]
) -> CatalogueDiff:
    """What re-importing `new` over `old` (code → entry) adds, changes and removes.

    Codes come out in the list's own order (code_sort_key). The limit date is not compared:
    the list that excludes a textbook and the order that sets its limit date come apart.
    """
    new_by_code = {entry.code: entry for entry in new}
    added = [code for code in new_by_code if code not in old]
    removed = [code for code in old if code not in new_by_code]
    changed = []
    for code, entry in new_by_code.items():
        if code in old:
            fields = _changed_fields(old[code], entry)
            if fields:
                changed.append((code, fields))
    return CatalogueDiff(
        added=sorted(added, key=code_sort_key),
        changed=sorted(changed, key=lambda item: code_sort_key(item[0])),
        removed=sorted(removed, key=code_sort_key),
    )


def _changed_fields(old: CatalogueEntry, new: CatalogueEntry) -> list[str]:
    names: list[str] = []
    for field_name, russian in _COMPARED_FIELDS:
        if getattr(old, field_name) != getattr(new, field_name) and russian not in names:
            names.append(russian)
    return names
