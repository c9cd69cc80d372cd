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

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, auto
from typing import Protocol

from bibliomo.lib import spreadsheets
from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem
from bibliomo.lib.spreadsheets import Field, Header, SheetLimits, Source

HEADER_SEARCH_ROWS = 15  # the official appendix has the order's requisites above the table
CSV_DELIMITERS = (";", ",", "\t")  # ";" first: Russian Excel saves CSV with it
FIRST_GRADE, LAST_GRADE = 1, 11

BASIC, ADVANCED = "basic", "advanced"
LEVEL_LABELS = {BASIC: "базовый", ADVANCED: "углублённый"}

FORMATS = "Excel (XLSX, XLS), OpenDocument (ODS) или CSV"
CODE_EXAMPLE = "1.1.1.2.1.3.61"

# The official list has about 1 500 entries and section rows; ten times that is a mistake.
DEFAULT_LIMITS = SheetLimits(max_rows=20_000, max_cells=400_000)
# How long each text field may be: the lengths the catalogue stores them with (a test keeps
# them equal to the model's); the caller may pass its own.
MAX_LENGTHS: Mapping[str, int] = {
    "code": 40,
    "subject": 150,
    "title": 400,
    "authors": 400,
    "publisher": 200,
    "order": 100,
}
_EXPECTED = f"Загрузите федеральный перечень учебников в формате {FORMATS}."


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


@dataclass(frozen=True)
class FpuRead:
    """A list as read: its entries, and what the person should hear though nothing is wrong
    (columns that were not read)."""

    entries: list[FpuEntry]
    notices: list[SheetProblem] = field(default_factory=list)


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


# The headers of the official appendix and of the short form (SHORT_HEADER in the tests) are
# exact; the other phrases are aliases that also match a title beginning with them («Уровень
# изучения» is a level), the longest deciding, so «Наименование издателя» is not a title.
def _field(kind: _Kind, label: str, titles: tuple[str, ...], aliases: tuple[str, ...]) -> Field:
    return Field(kind, label, titles, aliases, prefix=True)


_FIELDS = (
    _field(
        _Kind.CODE,
        "Порядковый номер учебника",
        ("Порядковый номер учебника", "Код"),
        ("порядковый номер", "номер учебника", "код", "№"),
    ),
    _field(
        _Kind.TITLE,
        "Наименование учебника",
        ("Наименование учебника", "Название"),
        ("наименование учебника", "название учебника", "наименование", "название"),
    ),
    _field(
        _Kind.AUTHORS,
        "Автор/авторский коллектив",
        ("Автор/авторский коллектив", "Авторы"),
        ("автор", "авторы", "авторский коллектив"),
    ),
    _field(_Kind.GRADE, "Класс", ("Класс",), ("класс", "классы")),
    _field(
        _Kind.PUBLISHER,
        "Наименование издателя(ей) учебника",
        ("Наименование издателя(ей) учебника", "Издатель"),
        (
            "наименование издателя",
            "наименование издателей",
            "наименование издательства",
            "издатель",
            "издатели",
            "издательство",
        ),
    ),
    _field(
        _Kind.SUBJECT,
        "Предмет",
        ("Предмет",),
        ("предмет", "учебный предмет", "наименование предмета", "наименование учебного предмета"),
    ),
    _field(_Kind.LEVEL, "Уровень", ("Уровень",), ("уровень",)),
    _field(_Kind.ORDER, "Приказ", ("Приказ",), ("приказ", "реквизиты приказа", "включен приказом")),
    _field(
        _Kind.LIMIT_DATE,
        "Срок использования",
        ("Срок использования",),
        ("срок использования", "предельный срок", "дата окончания использования"),
    ),
)
# «№ п/п» is a row counter, not the textbook's number: a column nobody reads.
_IGNORED = ("№ п п", "n п п", "номер п п", "п п")
_HEADER_MIN_COLUMNS = 3  # fewer known titles is a title row or a table of something else
_UNKNOWN = "такого столбца нет в перечне, его данные не загружены."


def _find_header(rows: Sequence[Sequence[object]], sheet: str = "") -> Header | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = spreadsheets.match_header(
            index, row, _FIELDS, sheet=sheet, ignored=_IGNORED, unknown_notice=_UNKNOWN
        )
        if header.found >= _HEADER_MIN_COLUMNS:
            return header
    return None


def _expected_columns() -> str:
    return _joined(list(_REQUIRED.values()))


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} и {items[-1]}"


# --- reading --------------------------------------------------------------------------------


def read_fpu(
    data: bytes,
    filename: str,
    *,
    limits: SheetLimits = DEFAULT_LIMITS,
    max_lengths: Mapping[str, int] = MAX_LENGTHS,
) -> list[FpuEntry]:
    """The entries of a federal list in CSV or spreadsheet form, in file order.

    Raises FpuFileError with every problem found, in Russian. read_fpu_file gives the notices
    too.
    """
    return read_fpu_file(data, filename, limits=limits, max_lengths=max_lengths).entries


def read_fpu_file(
    data: bytes,
    filename: str,
    *,
    limits: SheetLimits = DEFAULT_LIMITS,
    max_lengths: Mapping[str, int] = MAX_LENGTHS,
) -> FpuRead:
    """The entries and the notices (columns not read) of a federal list."""
    table, header = _locate(data, filename, limits)
    entries = _read_entries(table, header, {**MAX_LENGTHS, **max_lengths})
    return FpuRead(entries, list(header.notices))


@dataclass(frozen=True)
class _Table:
    sheet: str
    rows: Sequence[Sequence[object]]  # text from CSV; text, numbers and dates from a workbook
    marks: spreadsheets.SheetMarks = spreadsheets.SheetMarks()  # noqa: RUF009 - immutable


def _locate(data: bytes, filename: str, limits: SheetLimits) -> tuple[_Table, Header]:
    """The table and its header; the content decides what the file is, not its name."""
    source = spreadsheets.open_table(
        data, filename, expected=_EXPECTED, error=FpuFileError, allow_csv=True
    )
    if source.is_workbook:
        return _first_sheet_with_header(source, limits)
    return _locate_in_csv(source, limits)


def _first_sheet_with_header(source: Source, limits: SheetLimits) -> tuple[_Table, Header]:
    """The first visible worksheet with a header: a cover sheet may come before the list."""
    assert source.workbook is not None
    names = spreadsheets.visible_worksheets(source.workbook)
    for sheet_name in names:
        # Empty rows above the table are kept, so that row numbers match what Excel shows.
        top = spreadsheets.sheet_rows(
            source, sheet_name, limits=limits, error=FpuFileError, nrows=HEADER_SEARCH_ROWS
        )
        header = _find_header(top, sheet_name)
        if header is not None:
            rows = spreadsheets.sheet_rows(source, sheet_name, limits=limits, error=FpuFileError)
            _require_columns(sheet_name, header)
            marks = spreadsheets.sheet_marks(source.data, sheet_name)
            return _Table(sheet_name, rows, marks), header
    if not names:  # Excel always keeps one sheet visible
        raise spreadsheets.file_error(
            FpuFileError,
            f"Не удалось прочитать файл «{source.name}»: он повреждён или это не таблица Excel. "
            "Откройте его в Excel, сохраните как «Книга Excel (*.xlsx)» и загрузите снова.",
        )
    if len(names) == 1:
        where = f"В первых {HEADER_SEARCH_ROWS} строках листа «{names[0]}»"
    else:
        where = f"Ни на одном из листов ({len(names)}) в первых {HEADER_SEARCH_ROWS} строках"
    raise _file_error(
        f"{where} не найдена строка заголовков перечня. Нужны столбцы {_expected_columns()}."
    )


def _locate_in_csv(source: Source, limits: SheetLimits) -> tuple[_Table, Header]:
    """Split by the separator under which the header has the most known columns."""
    assert source.text is not None
    best: tuple[_Table, Header] | None = None
    for delimiter in CSV_DELIMITERS:
        rows = spreadsheets.csv_rows(source.text, delimiter)
        if rows is None:
            continue
        header = _find_header(rows)
        if header is not None and (best is None or header.found > best[1].found):
            best = (_Table("", rows), header)
            best_rows = rows
    if best is None:
        raise _file_error(
            f"В первых {HEADER_SEARCH_ROWS} строках файла не найдена строка заголовков перечня. "
            f"Нужны столбцы {_expected_columns()}; столбцы разделяются точкой с запятой, "
            "запятой или табуляцией."
        )
    spreadsheets.check_csv_size(best_rows, limits, FpuFileError)
    _require_columns("", best[1])
    return best


def _require_columns(sheet: str, header: Header) -> None:
    if header.problems:
        raise FpuFileError(header.problems)
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
    return spreadsheets.shown(text)


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
        return "не класс: укажите класс числом («5») или диапазоном («5–9»)."
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not (FIRST_GRADE <= first <= LAST_GRADE and FIRST_GRADE <= last <= LAST_GRADE):
        return f"класс должен быть от {FIRST_GRADE} до {LAST_GRADE}."
    if first > last:
        return "в диапазоне классов первый больше последнего."
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
    return "не дата: запишите предельный срок как «31.08.2027»."


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

_LENGTH_CHECKED = (
    ("code", _Kind.CODE),
    ("subject", _Kind.SUBJECT),
    ("title", _Kind.TITLE),
    ("authors", _Kind.AUTHORS),
    ("publisher", _Kind.PUBLISHER),
    ("order", _Kind.ORDER),
)

# Cells every entry fills and a section row leaves empty.
_ENTRY_ONLY = (_Kind.AUTHORS, _Kind.GRADE, _Kind.PUBLISHER)


def _read_entries(table: _Table, header: Header, max_lengths: Mapping[str, int]) -> list[FpuEntry]:
    reader = _RowReader(table.sheet, header, max_lengths, table.marks)
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

    def __init__(
        self,
        sheet: str,
        header: Header,
        max_lengths: Mapping[str, int],
        marks: spreadsheets.SheetMarks,
    ) -> None:
        self.sheet = sheet
        self.marks = marks
        self.header = header
        self.max_lengths = max_lengths
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
                "уровень должен быть «базовый» или «углублённый» (пустая ячейка — базовый).",
                level_text,
            )
        limit_date = _limit_date(self._value(cells, _Kind.LIMIT_DATE))
        if isinstance(limit_date, str):
            self._problem(row, _Kind.LIMIT_DATE, limit_date, self._text(texts, _Kind.LIMIT_DATE))
            limit_date = None
        entry = FpuEntry(
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
        self._check_lengths(row, entry)
        return entry

    def _check_lengths(self, row: int, entry: FpuEntry) -> None:
        """What the catalogue cannot store is said here: PostgreSQL would refuse it with an
        error page, and SQLite would keep it whole."""
        for name, kind in _LENGTH_CHECKED:
            message = spreadsheets.too_long(getattr(entry, name), self.max_lengths.get(name))
            if message is None:
                continue
            column = kind if self.header[kind] is not None else None
            if column is None:  # the subject came from a section row above
                message = f"название предмета в строке раздела выше: {message}"
            self._problem(row, column, message, getattr(entry, name))

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
                f"не код учебника: нужны не меньше трёх чисел через точку, например "
                f"«{CODE_EXAMPLE}».",
                text,
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
            self._problem(row, _Kind.GRADE, grades, text)
            return 0, 0
        return grades

    def _required(self, row: int, texts: list[str], kind: _Kind, missing: str) -> str:
        text = self._text(texts, kind)
        if not text:
            self._problem(row, kind, missing)
        return text

    def _problem(self, row: int, kind: _Kind | None, message: str, value: str = "") -> None:
        column = self.header[kind] if kind is not None else None
        title = column.title if column is not None else None
        if column is not None and (row, column.index) in self.marks.uncalculated:
            message, value = spreadsheets.UNCALCULATED, ""  # not an empty cell, whatever it says
        self.problems.append(FpuProblem(self.sheet, row, title, message, _shown(value)))

    def _value(self, cells: Sequence[object], kind: _Kind) -> object:
        column = self.header[kind]
        if column is None or column.index >= len(cells):
            return ""
        return cells[column.index]

    def _text(self, texts: list[str], kind: Hashable) -> str:
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
