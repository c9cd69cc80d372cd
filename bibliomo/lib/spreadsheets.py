"""One reader of uploaded tables for every import: the monitoring template, the federal list
and attendance lists.

It opens the file (a workbook through calamine, or CSV text in the encodings Russian Excel and
webinar platforms write), says in Russian what the file is when it is not a table (empty,
damaged, password-protected, a Word document…), refuses a table larger than the import allows,
and finds the columns by their headers with one set of rules:

- an exact header wins over an alias: «Экземпляров» is the copies even when «Количество» (an
  alias) stands beside it, and «Количество» is then left unread with a notice;
- a column with an unknown header is not read, and a notice names it;
- two columns that could both be one field — two exact headers, or two aliases and no exact
  one — are an error naming both: the reader never picks one by position.

It also tells what calamine cannot: which rows of an XLSX sheet are hidden and which cells hold
a formula whose result was never saved (a file written by a program rather than Excel).

No Django here: limits and lengths come in as arguments.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from bibliomo.lib.filetypes import detect, text_encoding
from bibliomo.lib.ru import plural
from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem

CSV_DELIMITERS = (";", ",", "\t")  # ";" first: Russian Excel saves CSV with it

# Opened as workbooks. «macro» (.xlsm) is only read, never run; the binary .xlsb has no part
# that tells it from any other zip archive, so its name decides.
_WORKBOOK_KINDS = frozenset({"xlsx", "xls", "ods", "macro"})
_WORKBOOK_SUFFIXES = {"zip": {".xlsb"}}
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


# --- limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLimits:
    """How large a table an import takes; the caller reads them from settings."""

    max_rows: int
    max_cells: int


# --- opening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An opened upload: a workbook, or the rows of a CSV file split by its separator."""

    name: str  # the file's name without a path, for messages
    workbook: CalamineWorkbook | None = None
    text: str | None = None
    data: bytes = b""

    @property
    def is_workbook(self) -> bool:
        return self.workbook is not None


def base_name(filename: str) -> str:
    """Old browsers send the whole path: «C:\\Users\\…\\перечень.xlsx»."""
    return PurePath(filename.replace("\\", "/")).name


def file_error(error: type[SheetFileError], message: str) -> SheetFileError:
    return error([SheetProblem("", None, None, message)])


def open_table(
    data: bytes,
    filename: str,
    *,
    expected: str,
    error: type[SheetFileError],
    allow_csv: bool,
) -> Source:
    """The upload as a workbook or, when `allow_csv`, as text; else `error` saying what it is.

    The content decides, not the name: a webinar platform may save tab-separated text as
    «.xls», and a person may rename a Word document to «.xlsx». `expected` is the sentence
    that tells the person what to upload instead.
    """
    name = base_name(filename)
    if not data or not data.strip():
        raise file_error(error, f"Файл «{name}» пуст. {expected}")
    suffix = PurePath(name).suffix.lower()
    kind = detect(data, name)
    if kind.code in _WORKBOOK_KINDS or suffix in _WORKBOOK_SUFFIXES.get(kind.code, ()):
        return Source(name, workbook=open_workbook(data, name, error=error), data=data)
    if kind.code == "encrypted":
        raise _password_protected(error, name)
    if kind.code == "txt" and allow_csv:
        text = decode_text(data)
        if text is None or not text.strip():  # nothing but a byte order mark
            raise file_error(error, f"Файл «{name}» пуст. {expected}")
        return Source(name, text=text, data=data)
    if kind.code == "unknown" and (suffix in _SPREADSHEET_SUFFIXES or not allow_csv):
        raise _damaged(error, name)
    if kind.code == "unknown":
        raise file_error(
            error,
            f"Не удалось прочитать файл «{name}»: это не таблица и не текст в кодировке UTF-8 "
            "или Windows-1251. Сохраните его в Excel как «Книга Excel (*.xlsx)» или "
            "«CSV UTF-8 (разделитель — запятая)».",
        )
    raise file_error(error, f"Файл «{name}» — {kind.description}, а не таблица. {expected}")


def open_workbook(data: bytes, name: str, *, error: type[SheetFileError]) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as caught:
        raise _password_protected(error, name) from caught
    except CalamineError as caught:
        raise _damaged(error, name) from caught


def _damaged(error: type[SheetFileError], name: str) -> SheetFileError:
    return file_error(
        error,
        f"Не удалось прочитать файл «{name}»: он повреждён или это не таблица Excel. "
        "Откройте его в Excel, сохраните как «Книга Excel (*.xlsx)» и загрузите снова.",
    )


def _password_protected(error: type[SheetFileError], name: str) -> SheetFileError:
    return file_error(
        error, f"Файл «{name}» защищён паролем. Снимите пароль в Excel и загрузите файл снова."
    )


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251 that reads as words."""
    encoding = text_encoding(data)
    if encoding is None:
        return None
    return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)


def csv_rows(text: str, delimiter: str) -> list[list[str]] | None:
    """The cells split by `delimiter`, or None if the text cannot be split by it at all."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None


def visible_worksheets(workbook: CalamineWorkbook) -> list[str]:
    """Worksheets a person sees: hidden sheets and chart sheets are not the list."""
    return [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
    ]


def sheet_rows(
    source: Source,
    sheet_name: str,
    *,
    limits: SheetLimits | None,
    error: type[SheetFileError],
    nrows: int | None = None,
) -> Sequence[Sequence[object]]:
    """Every row from A1 on, so that list indices are Excel's row numbers minus one.

    A sheet larger than `limits` is refused before it is read whole.
    """
    assert source.workbook is not None
    try:
        sheet: CalamineSheet = source.workbook.get_sheet_by_name(sheet_name)
        if nrows is None and limits is not None:
            end = sheet.end  # (row, column) of the last cell, from 0; None for an empty sheet
            if end is not None:
                check_size(sheet_name, end[0] + 1, end[1] + 1, limits, error)
        if nrows is not None:
            return sheet.to_python(skip_empty_area=False, nrows=nrows)
        return sheet.to_python(skip_empty_area=False)
    except CalamineError as caught:
        raise _damaged(error, source.name) from caught


def check_size(
    sheet: str, rows: int, columns: int, limits: SheetLimits, error: type[SheetFileError]
) -> None:
    """Refuse a table over the import's limits before anything else is read from it."""
    where = f"на листе «{sheet}»" if sheet else "в файле"
    if rows > limits.max_rows:
        raise file_error(
            error,
            f"Слишком большая таблица: {where} {_rows(rows)}, а можно не больше "
            f"{_number(limits.max_rows)}. Удалите лишние строки (в том числе пустые строки с "
            "оформлением в конце) или разделите файл на части.",
        )
    if rows * columns > limits.max_cells:
        raise file_error(
            error,
            f"Слишком большая таблица: {where} {_rows(rows)} и "
            f"{plural(columns, 'столбец', 'столбца', 'столбцов')} — больше "
            f"{_number(limits.max_cells)} ячеек. Удалите лишние столбцы и строки.",
        )


def check_csv_size(rows: Sequence[Sequence[str]], limits: SheetLimits | None, error) -> None:
    if limits is None:
        return
    columns = max((len(row) for row in rows), default=0)
    check_size("", len(rows), columns, limits, error)


def _rows(count: int) -> str:
    word = plural(count, "строка", "строки", "строк").split(" ", 1)[1]
    return f"{_number(count)} {word}"


def _number(count: int) -> str:
    return f"{count:,}".replace(",", "\u00a0")


# --- cells ----------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as a person reads it: 5.0 (how Excel keeps 5) as «5», one space between words."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def shown(text: str, limit: int = 60) -> str:
    """A value for a message: cut after `limit` characters."""
    return text if len(text) <= limit else f"{text[:limit]}…"


def too_long(text: str, max_length: int | None) -> str | None:
    """The message for a value longer than its database column takes, or None."""
    if max_length is None or len(text) <= max_length:
        return None
    return (
        f"слишком длинное значение: {plural(len(text), 'знак', 'знака', 'знаков')}, а можно не "
        f"больше {max_length}. Сократите его."
    )


def column_letter(index: int) -> str:
    """0 → «A», 27 → «AB»: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --- headers --------------------------------------------------------------------------------


def header_key(title: str) -> str:
    """«Название (подставится само)» → «название»; case, «ё», punctuation do not matter."""
    text = re.sub(r"\(.*?\)", " ", title.casefold().replace("ё", "е"))
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())


@dataclass(frozen=True)
class Field:
    """A field an import reads and the headers that name its column.

    `titles` are the exact headers (the template's or the official form's); `aliases` are
    other names people give the column. With `prefix`, an alias also matches a header that
    begins with it («Уровень изучения» for «уровень»); the longest matching alias decides.
    All are compared after header_key().
    """

    key: Hashable
    label: str  # the field's own name, for messages: «Экземпляров», «E-mail»
    titles: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    prefix: bool = False


@dataclass(frozen=True)
class Column:
    index: int
    title: str  # as written in the file

    @property
    def named(self) -> str:
        """«Количество» (D) — a column as messages name it."""
        return f"«{self.title}» ({column_letter(self.index)})"


@dataclass
class Header:
    """A header row as matched: the columns to read, and what the person should hear about."""

    row_index: int
    columns: dict[Hashable, Column]
    problems: list[SheetProblem] = field(default_factory=list)  # the file cannot be taken
    notices: list[SheetProblem] = field(default_factory=list)  # it can, but said anyway

    def __getitem__(self, key: Hashable) -> Column | None:
        return self.columns.get(key)

    def __contains__(self, key: Hashable) -> bool:
        return key in self.columns

    @property
    def found(self) -> int:
        """How many fields the row names, conflicting ones included."""
        return len(self.columns) + len(self.problems)  # one problem per conflicting field


_EXACT, _ALIAS = 2, 1


def _strength(fields: Sequence[Field], ignored: Iterable[str], title: str):
    """(field, strength, phrase length) of the best match of `title`, None for an ignored
    column, or () for an unknown one."""
    key = header_key(title)
    best: tuple[Field | None, int, int] | None = None
    for phrase in ignored:
        if key == phrase or key.startswith(phrase + " "):
            best = (None, _ALIAS, len(phrase))
    for candidate in fields:
        for phrase in candidate.titles:
            if key == header_key(phrase):
                return (candidate, _EXACT, len(key))
        for phrase in candidate.aliases:
            phrase = header_key(phrase)
            matches = key == phrase or (candidate.prefix and key.startswith(phrase + " "))
            if matches and (best is None or len(phrase) > best[2]):
                best = (candidate, _ALIAS, len(phrase))
    return best if best is not None else ()


def match_header(
    row_index: int,
    row: Sequence[object],
    fields: Sequence[Field],
    *,
    sheet: str = "",
    ignored: Iterable[str] = (),
    unknown_notice: str = "такого столбца нет в шаблоне, его данные не загружены.",
) -> Header:
    """Which column is which field in one header row, by the rules in the module docstring.

    `ignored` are header phrases of columns read by nobody and not worth a notice («№ п/п»).
    """
    ignored = tuple(header_key(phrase) for phrase in ignored)
    candidates: dict[Hashable, list[tuple[int, Column]]] = {}
    unknown: list[Column] = []
    labels = {}
    for index, value in enumerate(row):
        title = cell_text(value)
        if not title:
            continue
        match = _strength(fields, ignored, title)
        if match == ():
            unknown.append(Column(index, title))
            continue
        found, strength, _ = match
        if found is None:
            continue
        labels[found.key] = found.label
        candidates.setdefault(found.key, []).append((strength, Column(index, title)))
    header = Header(row_index, {})
    number = row_index + 1
    for key, columns in candidates.items():
        strongest = max(strength for strength, _ in columns)
        best = [column for strength, column in columns if strength == strongest]
        weaker = [column for strength, column in columns if strength < strongest]
        if len(best) > 1:
            names = _joined([column.named for column in best])
            header.problems.append(
                SheetProblem(
                    sheet,
                    number,
                    None,
                    f"непонятно, какой из столбцов {names} читать как «{labels[key]}». Оставьте "
                    "один из них или переименуйте лишний.",
                )
            )
            continue
        header.columns[key] = best[0]
        for column in weaker:
            header.notices.append(
                SheetProblem(
                    sheet,
                    number,
                    column.title,
                    f"столбец не прочитан: «{labels[key]}» читается из столбца «{best[0].title}».",
                )
            )
    for column in unknown:
        header.notices.append(SheetProblem(sheet, number, column.title, unknown_notice))
    return header


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} и {items[-1]}"


# --- what calamine does not tell: hidden rows, formulas never calculated --------------------


@dataclass(frozen=True)
class SheetMarks:
    hidden_rows: frozenset[int] = frozenset()  # Excel's row numbers, from 1
    uncalculated: frozenset[tuple[int, int]] = frozenset()  # (row from 1, column from 0)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")


def sheet_marks(data: bytes, sheet_name: str) -> SheetMarks:
    """Hidden rows and formulas without a saved result on one sheet of an XLSX file.

    Anything that is not a readable XLSX gives no marks: calamine has read the file already,
    and these are only extra words for the person.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None:
                return SheetMarks()
            with archive.open(part) as stream:
                return _marks(stream)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, ValueError):
        return SheetMarks()


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = None
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == sheet_name:
            relation = sheet.get(_RELATIONSHIP)
    if relation is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(_PACKAGE_RELS):
        if rel.get("Id") == relation:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _marks(stream) -> SheetMarks:
    hidden: set[int] = set()
    uncalculated: set[tuple[int, int]] = set()
    for _, element in ElementTree.iterparse(stream):
        if element.tag == f"{_MAIN}row":
            number = element.get("r")
            if element.get("hidden") in ("1", "true") and number:
                hidden.add(int(number))
            element.clear()
        elif element.tag == f"{_MAIN}c":
            formula = element.find(f"{_MAIN}f")
            value = element.find(f"{_MAIN}v")
            # An empty result is a result only for a formula that gives text (t="str").
            empty = value is None or (not value.text and element.get("t") != "str")
            if formula is not None and empty:
                match = _CELL_REFERENCE.fullmatch(element.get("r", ""))
                if match:
                    column = _column_index(match.group(1))
                    uncalculated.add((int(match.group(2)), column))
    return SheetMarks(frozenset(hidden), frozenset(uncalculated))


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


UNCALCULATED = (
    "в ячейке формула, но её результат не сохранён в файле. Откройте файл в Excel, "
    "чтобы формулы пересчитались, сохраните его и загрузите снова (или замените формулу "
    "значением)."
)
HIDDEN_ROW = "строка скрыта в Excel, но её данные загружены. Проверьте, нужны ли они."
