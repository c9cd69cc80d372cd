"""The provision monitoring workbook: a school's textbook data as a spreadsheet that the school
librarian downloads, checks and fills in Excel, and uploads back.

The workbook has an instruction, four sheets to fill — «Контингент», «УМК», «Фонд», «Списание» —
pre-filled with what the system already knows, a hidden «Справочник» with the federal list that
feeds the dropdowns and the titles, and a very hidden «Служебный» sheet that ties the file to one
campaign and one school. Sheets are protected without a password: the protection keeps a person
from typing over a header or a formula by accident; it is no security, and the reader trusts
nothing in the file that it does not check.

Reading is all-or-nothing, like every upload in Bibliomo: the person gets every problem at once,
with its sheet, row and column, fixes the file and uploads it again. The reader forgives what
Excel and people do to numbers and codes (a number stored as text, «12,0», «5а» for grade 5, a
code with a trailing dot, a title above the header, blank rows) and is strict about anything
that changes the meaning.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from bibliomo.lib import spreadsheets
from bibliomo.lib.ru import format_academic_year, format_date
from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem
from bibliomo.lib.spreadsheets import SheetLimits, SheetMarks, Source

FORMAT_VERSION = 1  # raise when a change makes older files unreadable by this module
MAX_GRADE = 11
FIRST_YEAR = 1990  # an earlier purchase or act date is a typo, not an old textbook
MAX_COUNT = 100_000  # more pupils or copies than any school has: extra digits
HEADER_SEARCH_ROWS = 10  # a person may add title lines above the header
MAX_ACT_NUMBER = 40  # the length the write-off's act number is stored with
# Sane for any school: its data sheets have a few hundred rows.
DEFAULT_LIMITS = SheetLimits(max_rows=5_000, max_cells=100_000)

# The order is the order of the dropdown.
WRITE_OFF_REASONS: Mapping[str, str] = {
    "loss": "утеря",
    "damage": "порча",
    "limit_date": "истёк срок использования",
    "other": "другое",
}

INSTRUCTION_SHEET = "Инструкция"
CATALOGUE_SHEET = "Справочник"
STAMP_SHEET = "Служебный"


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRef:
    """An entry of the federal list, for the dropdowns and for checking codes and grades."""

    code: str
    subject: str
    title: str
    grade_from: int
    grade_to: int


@dataclass(frozen=True)
class EnrolmentRow:
    grade: int
    pupils: int
    classes: int
    building: str = ""  # "" when the school has one building


@dataclass(frozen=True)
class LineRow:
    """A textbook line in use: pupils of a grade learning from one textbook."""

    grade: int
    code: str
    pupils: int


@dataclass(frozen=True)
class HoldingRow:
    code: str
    purchase_year: int
    copies: int  # all copies on the books, the unusable ones included
    damaged: int = 0
    lost: int = 0


@dataclass(frozen=True)
class WriteOffRow:
    code: str
    copies: int
    reason: str  # a key of WRITE_OFF_REASONS
    act_number: str
    act_date: date


@dataclass(frozen=True)
class SchoolWorkbook:
    campaign_id: int
    campaign_name: str
    academic_year: int  # 2024 for 2024/2025
    school_id: int
    school_name: str
    buildings: tuple[str, ...]  # empty when the school has one building
    enrolment: tuple[EnrolmentRow, ...]
    lines: tuple[LineRow, ...]
    holdings: tuple[HoldingRow, ...]
    write_offs: tuple[WriteOffRow, ...]
    data_version: str = ""  # what the school's data was when the file was made; see the stamp


@dataclass(frozen=True)
class WorkbookData:
    enrolment: tuple[EnrolmentRow, ...]
    lines: tuple[LineRow, ...]
    holdings: tuple[HoldingRow, ...]
    write_offs: tuple[WriteOffRow, ...]
    # Said to the person but no reason to refuse the file: unread columns, hidden rows.
    notices: tuple[SheetProblem, ...] = dataclasses.field(default=(), compare=False)
    data_version: str = dataclasses.field(default="", compare=False)


WorkbookProblem = SheetProblem


class WorkbookError(SheetFileError):
    """A monitoring workbook that cannot be taken; `problems` lists everything wrong."""


# --- layout shared by the writer and the reader ---------------------------------------------

CAPTION_ROW = 0
HEADER_ROW = 1
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class _Column:
    key: str  # the field of the row dataclass
    title: str
    kind: str  # grade, building, count, code, title, year, reason, text, date
    width: int
    hint: str  # Excel shows it beside the selected cell; the instruction lists it too
    aliases: tuple[str, ...] = ()  # other headers the reader takes for this column


@dataclass(frozen=True)
class _Sheet:
    name: str
    caption: str  # the line above the header; {year} and {school} are filled in
    about: str  # what the sheet is for, in the instruction
    notes: tuple[str, ...]  # more for the instruction
    columns: tuple[_Column, ...]
    spare_rows: int  # empty prepared rows below the data

    def column(self, key: str) -> _Column:
        return next(column for column in self.columns if column.key == key)

    def index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)


_GRADE_HINT = "Номер параллели — целое число от 1 до 11, без буквы класса."
_CODE = _Column(
    "code",
    "Код учебника",
    "code",
    22,
    "Код из федерального перечня учебников; выберите его из списка или введите.",
    ("код", "код фпу", "код по фпу", "код по федеральному перечню"),
)

ENROLMENT_SHEET = _Sheet(
    name="Контингент",
    caption="Контингент обучающихся на {year} учебный год — {school}",
    about="сколько обучающихся и классов в каждой параллели.",
    notes=(),  # depend on the buildings, see _enrolment_notes
    columns=(
        _Column("grade", "Класс", "grade", 10, _GRADE_HINT, ("параллель",)),
        _Column("building", "Корпус", "building", 30, "Корпус, где учится параллель."),
        _Column(
            "pupils",
            "Обучающихся",
            "count",
            14,
            "Сколько обучающихся в параллели.",
            ("обучающиеся", "количество обучающихся", "учащихся"),
        ),
        _Column(
            "classes",
            "Классов",
            "count",
            11,
            "Сколько классов в параллели.",
            ("количество классов", "классы"),
        ),
    ),
    spare_rows=60,
)
LINES_SHEET = _Sheet(
    name="УМК",
    caption="Учебники, по которым занимаются в {year} учебном году, — {school}",
    about="по каким учебникам занимаются обучающиеся в этом учебном году.",
    notes=(
        "Если в параллели по одному предмету занимаются по разным учебникам (например, часть "
        "классов — на углублённом уровне), укажите каждый учебник отдельной строкой со своим "
        "числом обучающихся.",
        "Если вместо названия появилось «код не найден», проверьте код учебника.",
    ),
    columns=(
        _Column("grade", "Класс", "grade", 10, _GRADE_HINT, ("параллель",)),
        _CODE,
        _Column(
            "title",
            "Название (подставится само)",
            "title",
            70,
            "Заполняется само по коду учебника.",
            ("название", "название учебника"),
        ),
        _Column(
            "pupils",
            "Обучающихся",
            "count",
            14,
            "Сколько обучающихся параллели занимаются по этому учебнику — не больше, чем "
            "указано для параллели на листе «Контингент».",
            ("обучающиеся", "количество обучающихся", "учащихся"),
        ),
    ),
    spare_rows=200,
)
HOLDINGS_SHEET = _Sheet(
    name="Фонд",
    caption="Фонд учебников — {school}",
    about="какие учебники и сколько экземпляров числится в фонде библиотеки.",
    notes=(
        "1 комплект = 1 экземпляр: учебник из нескольких частей считается комплектами. "
        "Учебник в двух частях, 25 комплектов — это 25 экземпляров.",
        "Экземпляры одного учебника, поступившие в разные годы, указываются отдельными строками.",
        "Испорченные и утерянные экземпляры, пока они не списаны, входят в число экземпляров и "
        "отдельно указываются в столбцах «Из них испорчено» и «Из них утеряно». В обеспеченность "
        "они не засчитываются.",
    ),
    columns=(
        _CODE,
        _Column(
            "title",
            "Название",
            "title",
            60,
            "Заполняется само по коду учебника.",
            ("название учебника",),
        ),
        _Column(
            "purchase_year",
            "Год поступления",
            "year",
            13,
            "Год, когда экземпляры поступили в библиотеку.",
            ("год", "год приобретения", "год покупки"),
        ),
        _Column(
            "copies",
            "Экземпляров",
            "count",
            13,
            "Сколько экземпляров числится в фонде, включая испорченные и утерянные.",
            ("экземпляры", "количество экземпляров", "всего экземпляров", "количество"),
        ),
        _Column(
            "damaged",
            "Из них испорчено",
            "count",
            13,
            "Сколько из них испорчено и непригодно к использованию.",
            ("испорчено", "испорченных"),
        ),
        _Column(
            "lost",
            "Из них утеряно",
            "count",
            13,
            "Сколько из них утеряно.",
            ("утеряно", "утерянных"),
        ),
    ),
    spare_rows=200,
)
WRITE_OFFS_SHEET = _Sheet(
    name="Списание",
    caption="Списание учебников — {school}",
    about="какие учебники списаны по актам о списании.",
    notes=(
        "«Истёк срок использования» — учебник исключён из федерального перечня, и срок, до "
        "которого его можно было использовать, прошёл.",
        "Списанные экземпляры не остаются в фонде: уменьшите их число на листе «Фонд».",
    ),
    columns=(
        _CODE,
        _Column(
            "copies",
            "Экземпляров",
            "count",
            13,
            "Сколько экземпляров списано по акту.",
            ("экземпляры", "количество экземпляров", "количество", "списано"),
        ),
        _Column(
            "reason",
            "Причина",
            "reason",
            28,
            "Выберите из списка (" + ", ".join(WRITE_OFF_REASONS.values()) + ").",
            ("причина списания",),
        ),
        _Column("act_number", "Номер акта", "text", 14, "Номер акта о списании.", ("№ акта",)),
        _Column(
            "act_date",
            "Дата акта",
            "date",
            13,
            "Дата акта о списании в виде ДД.ММ.ГГГГ.",
            ("дата",),
        ),
    ),
    spare_rows=100,
)
DATA_SHEETS = (ENROLMENT_SHEET, LINES_SHEET, HOLDINGS_SHEET, WRITE_OFFS_SHEET)

# Names the formulas and dropdowns refer to, so that the ranges are written in one place.
_CODES_NAME = "Коды_учебников"
_CATALOGUE_NAME = "Перечень_учебников"
_BUILDINGS_NAME = "Корпуса"
_TITLE_NOT_FOUND = "код не найден"

# The stamp: «key | value» rows on the very hidden sheet; one «Корпус» row per building.
_STAMP_MARK = "bibliomo:provision-workbook"
_STAMP_NOTE = "Служебные данные шаблона Bibliomo. Не изменяйте этот лист."
_KEY_MARK = "Шаблон"
_KEY_VERSION = "Версия формата"
_KEY_CAMPAIGN = "Кампания"
_KEY_CAMPAIGN_NAME = "Название кампании"
_KEY_YEAR = "Учебный год"
_KEY_SCHOOL = "Школа"
_KEY_SCHOOL_NAME = "Название школы"
_KEY_BUILDING = "Корпус"
_KEY_DATA_VERSION = "Версия данных"

# What to upload, for the messages about a wrong file.
_EXPECTED = (
    "Загрузите заполненный шаблон мониторинга — книгу Excel (.xlsx), скачанную на странице "
    "кампании."
)


# --- writing --------------------------------------------------------------------------------


def write_workbook(book: SchoolWorkbook, catalogue: Sequence[CatalogueRef]) -> bytes:
    """The monitoring workbook of one school, pre-filled with the school's current data."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    _Writer(workbook, book, catalogue).write()
    workbook.close()
    return buffer.getvalue()


# Locked cells stay selectable so that a person can copy a title; widening a column to read it
# harms nothing. Everything else Excel allows on a protected sheet stays off.
_PROTECTION = {"format_columns": True, "format_rows": True}


class _Writer:
    def __init__(
        self, workbook: Workbook, book: SchoolWorkbook, catalogue: Sequence[CatalogueRef]
    ) -> None:
        self.workbook = workbook
        self.book = book
        self.catalogue = sorted(catalogue, key=lambda entry: _code_order(entry.code))
        self.titles = {_code_key(entry.code): entry.title for entry in self.catalogue}
        self.formats = _formats(workbook)

    def write(self) -> None:
        year = format_academic_year(self.book.academic_year)
        self.workbook.set_properties(
            {
                "title": f"Мониторинг обеспеченности учебниками, {year}",
                "subject": self.book.school_name,
                "author": "Bibliomo",
            }
        )
        self._instruction()
        self._table(ENROLMENT_SHEET, self.book.enrolment)
        self._table(LINES_SHEET, self.book.lines)
        self._table(HOLDINGS_SHEET, self.book.holdings)
        self._table(WRITE_OFFS_SHEET, self.book.write_offs)
        self._catalogue()
        self._stamp()

    # --- the instruction

    def _instruction(self) -> None:
        sheet = self.workbook.add_worksheet(INSTRUCTION_SHEET)
        sheet.set_column(0, 0, 120)
        sheet.hide_gridlines(2)
        for row, (style, *texts) in enumerate(_instruction_lines(self.book)):
            if style == "item":  # «• Класс: номер параллели…» with the column's name in bold
                title, note = texts
                bullet = f"•  {title}: "
                sheet.write_rich_string(
                    row, 0, self.formats["bold"], bullet, note, self.formats["paragraph"]
                )
            else:
                sheet.write_string(row, 0, texts[0], self.formats[style])
        sheet.protect(options=_PROTECTION)

    # --- the sheets to fill

    def _table(self, spec: _Sheet, records: Sequence[Any]) -> None:
        sheet = self.workbook.add_worksheet(spec.name)
        year = format_academic_year(self.book.academic_year)
        caption = spec.caption.format(year=year, school=self.book.school_name)
        sheet.write_string(CAPTION_ROW, 0, caption, self.formats["caption"])
        for index, column in enumerate(spec.columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(HEADER_ROW, index, column.title, self.formats["header"])
        sheet.set_row(HEADER_ROW, 32)
        # Prepared rows carry the formats, formulas and checks; below them cells are locked.
        last_row = FIRST_DATA_ROW + len(records) + spec.spare_rows - 1
        for offset in range(len(records) + spec.spare_rows):
            values = dataclasses.asdict(records[offset]) if offset < len(records) else {}
            self._row(sheet, spec, FIRST_DATA_ROW + offset, values)
        for index, column in enumerate(spec.columns):
            rule = self._validation(column)
            if rule is not None:
                sheet.data_validation(FIRST_DATA_ROW, index, last_row, index, rule)
        if spec is HOLDINGS_SHEET:
            self._highlight_impossible_counts(sheet, last_row)
        sheet.freeze_panes(FIRST_DATA_ROW, 0)
        sheet.repeat_rows(HEADER_ROW)
        sheet.fit_to_pages(1, 0)
        sheet.protect(options=_PROTECTION)

    def _row(self, sheet: Worksheet, spec: _Sheet, row: int, values: Mapping[str, Any]) -> None:
        for index, column in enumerate(spec.columns):
            value = values.get(column.key)
            if column.kind == "title":
                self._title_formula(sheet, row, index, spec.index("code"), values.get("code"))
            elif column.kind == "building" and not self.book.buildings:
                # Nothing to choose from: the cell is locked rather than left to a guess.
                sheet.write_blank(row, index, None, self.formats["disabled"])
            elif column.kind == "reason":
                label = WRITE_OFF_REASONS.get(value, value) if value else None
                self._value(sheet, row, index, label, self.formats["text"])
            else:
                self._value(sheet, row, index, value, self.formats[_CELL_FORMATS[column.kind]])

    @staticmethod
    def _value(sheet: Worksheet, row: int, col: int, value: object, cell_format: Any) -> None:
        # Explicit writers: xlsxwriter's write() would take a text code «1.1» for a number.
        if value is None or value == "":
            sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, cell_format)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, str(value), cell_format)

    def _title_formula(
        self, sheet: Worksheet, row: int, col: int, code_col: int, code: str | None
    ) -> None:
        code_cell = xl_rowcol_to_cell(row, code_col)
        formula = (
            f'=IF(TRIM({code_cell})="","",'
            f'IFERROR(VLOOKUP(TRIM({code_cell}),{_CATALOGUE_NAME},3,FALSE),"{_TITLE_NOT_FOUND}"))'
        )
        # The cached result is what viewers that do not calculate (previews, mail) show.
        shown = self.titles.get(_code_key(code), _TITLE_NOT_FOUND) if code else ""
        sheet.write_formula(row, col, formula, self.formats["formula"], shown)

    def _validation(self, column: _Column) -> dict[str, Any] | None:
        rule = self._rule(column.kind)
        if rule is None:
            return None
        return {
            **rule,
            "input_title": column.title[:32],  # Excel's limits
            "input_message": column.hint[:255],
            "error_title": "Неверное значение",
        }

    def _rule(self, kind: str) -> dict[str, Any] | None:
        last_year = self.book.academic_year + 1
        if kind == "grade":
            message = f"Укажите номер класса — число от 1 до {MAX_GRADE}."
            return _whole_between(1, MAX_GRADE, message)
        if kind == "count":
            return _whole_between(0, MAX_COUNT, "Нужно целое число, не меньше нуля.")
        if kind == "year":
            return _whole_between(
                FIRST_YEAR, last_year, f"Укажите год цифрами — от {FIRST_YEAR} до {last_year}."
            )
        if kind == "code":
            return _one_of(f"={_CODES_NAME}", "Выберите код учебника из списка.")
        if kind == "building" and self.book.buildings:
            return _one_of(f"={_BUILDINGS_NAME}", "Выберите корпус из списка.")
        if kind == "reason":
            return _one_of(list(WRITE_OFF_REASONS.values()), "Выберите причину из списка.")
        if kind == "date":
            return {
                "validate": "date",
                "criteria": "between",
                "minimum": date(FIRST_YEAR, 1, 1),
                "maximum": date(last_year, 12, 31),
                "error_message": "Укажите дату в виде ДД.ММ.ГГГГ.",
            }
        return None

    def _highlight_impossible_counts(self, sheet: Worksheet, last_row: int) -> None:
        """Red where the unusable copies outnumber all copies, before the upload says so."""
        copies, damaged, lost = (
            xl_rowcol_to_cell(FIRST_DATA_ROW, HOLDINGS_SHEET.index(key), col_abs=True)
            for key in ("copies", "damaged", "lost")
        )
        first_col, last_col = HOLDINGS_SHEET.index("copies"), HOLDINGS_SHEET.index("lost")
        sheet.conditional_format(
            FIRST_DATA_ROW,
            first_col,
            last_row,
            last_col,
            {
                "type": "formula",
                "criteria": f"=N({damaged})+N({lost})>N({copies})",
                "format": self.formats["alarm"],
            },
        )

    # --- the hidden sheets

    def _catalogue(self) -> None:
        sheet = self.workbook.add_worksheet(CATALOGUE_SHEET)
        sheet.write_row(0, 0, ("Код", "Предмет", "Название", "Классы"), self.formats["header"])
        for row, entry in enumerate(self.catalogue, start=1):
            sheet.write_string(row, 0, entry.code)
            sheet.write_string(row, 1, entry.subject)
            sheet.write_string(row, 2, entry.title)
            sheet.write_string(row, 3, _grades_text(entry))
        for col, width in enumerate((22, 30, 80, 10)):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        sheet.protect(options=_PROTECTION)
        sheet.hide()  # hidden, not very hidden: a person may show it to look a code up
        last = max(len(self.catalogue), 1) + 1  # an empty catalogue still needs a range
        self.workbook.define_name(_CODES_NAME, f"='{CATALOGUE_SHEET}'!$A$2:$A${last}")
        self.workbook.define_name(_CATALOGUE_NAME, f"='{CATALOGUE_SHEET}'!$A$2:$C${last}")

    def _stamp(self) -> None:
        book = self.book
        facts: list[tuple[str, object]] = [
            (_KEY_MARK, _STAMP_MARK),
            (_KEY_VERSION, FORMAT_VERSION),
            (_KEY_CAMPAIGN, book.campaign_id),
            (_KEY_CAMPAIGN_NAME, book.campaign_name),
            (_KEY_YEAR, book.academic_year),
            (_KEY_SCHOOL, book.school_id),
            (_KEY_SCHOOL_NAME, book.school_name),
        ]
        buildings: list[tuple[str, object]] = [(_KEY_BUILDING, name) for name in book.buildings]
        sheet = self.workbook.add_worksheet(STAMP_SHEET)
        sheet.write_string(0, 0, _STAMP_NOTE)
        # The data version goes last so that the buildings' range stays where it always was.
        tail: list[tuple[str, object]] = [(_KEY_DATA_VERSION, book.data_version)]
        for row, (key, value) in enumerate(facts + buildings + tail, start=1):
            sheet.write_string(row, 0, key)
            self._value(sheet, row, 1, value, None)
        sheet.set_column(0, 1, 30)
        sheet.protect(options=_PROTECTION)
        sheet.very_hidden()  # Excel offers no way to show it without macros
        if buildings:
            first = len(facts) + 2  # in Excel's numbering, below the note and the facts
            last = first + len(buildings) - 1
            self.workbook.define_name(_BUILDINGS_NAME, f"='{STAMP_SHEET}'!$B${first}:$B${last}")


_CELL_FORMATS = {
    "grade": "number",
    "count": "number",
    "year": "number",
    "code": "text",
    "building": "text",
    "reason": "text",
    "text": "text",
    "date": "date",
}


def _formats(workbook: Workbook) -> dict[str, Any]:
    border = {"border": 1, "border_color": "#BFBFBF", "valign": "top"}
    unlocked = {**border, "locked": False}
    specs: dict[str, dict[str, Any]] = {
        "caption": {"bold": True, "font_size": 12},
        "header": {**border, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7"},
        # "@" keeps what is typed as text: Excel would take the code «1.1.2» for a date.
        "text": {**unlocked, "num_format": "@"},
        "number": {**unlocked, "num_format": "0"},
        "date": {**unlocked, "num_format": "dd.mm.yyyy"},
        "formula": {**border, "bg_color": "#F2F2F2", "font_color": "#404040"},
        "disabled": {**border, "bg_color": "#F2F2F2"},
        "alarm": {"bg_color": "#F4CCCC", "font_color": "#9C0006"},
        "title": {"bold": True, "font_size": 14},
        "field": {"text_wrap": True},
        "heading": {"bold": True, "font_size": 12},
        "subheading": {"bold": True, "text_wrap": True},
        "bold": {"bold": True},
        "paragraph": {"text_wrap": True, "valign": "top"},
        "blank": {},
    }
    return {name: workbook.add_format(spec) for name, spec in specs.items()}


def _whole_between(minimum: int, maximum: int, message: str) -> dict[str, Any]:
    return {
        "validate": "integer",
        "criteria": "between",
        "minimum": minimum,
        "maximum": maximum,
        "error_message": message,
    }


def _one_of(source: str | list[str], message: str) -> dict[str, Any]:
    return {"validate": "list", "source": source, "error_message": message}


def _instruction_lines(book: SchoolWorkbook) -> list[tuple[str, ...]]:
    """Lines of the «Инструкция» sheet: (format, text), or ("item", column title, note)."""
    year = format_academic_year(book.academic_year)
    lines: list[tuple[str, ...]] = [
        ("title", "Мониторинг обеспеченности обучающихся учебниками"),
        ("field", f"Школа: {book.school_name}"),
        ("field", f"Кампания: {book.campaign_name}"),
        ("field", f"Учебный год: {year}"),
    ]
    if book.buildings:
        lines.append(("field", "Корпуса: " + ", ".join(book.buildings)))
    lines += [
        ("blank", ""),
        ("heading", "Что заполнить"),
        (
            "paragraph",
            "Заполните четыре листа: «Контингент», «УМК», «Фонд» и «Списание». На них уже "
            "перенесены данные школы, которые есть в Bibliomo: проверьте их, исправьте устаревшее "
            "и допишите недостающее. Когда вы выбираете ячейку, рядом появляется подсказка.",
        ),
    ]
    for spec in DATA_SHEETS:
        lines += [("blank", ""), ("subheading", f"Лист «{spec.name}» — {spec.about}")]
        lines += [("item", column.title, _column_note(column, book)) for column in spec.columns]
        notes = _enrolment_notes(book) if spec is ENROLMENT_SHEET else spec.notes
        lines += [("paragraph", note) for note in notes]
    lines += [
        ("blank", ""),
        ("heading", "Как вводить данные"),
        (
            "paragraph",
            "•  Не переименовывайте и не удаляйте листы и не меняйте строку заголовков: по ним "
            "Bibliomo находит данные. Заголовки и формулы защищены от случайных изменений, ячейки "
            "для данных открыты.",
        ),
        (
            "paragraph",
            "•  В числовые столбцы вводите только целые числа, без слов и единиц: «25», а не "
            "«25 чел.». Класс — только номер параллели: «5», а не «5А».",
        ),
        (
            "paragraph",
            "•  Пустые строки между данными не мешают. Чтобы убрать строку, очистите её ячейки "
            "клавишей Delete.",
        ),
        (
            "paragraph",
            "•  Данные из другой таблицы вставляйте через «Специальная вставка → Значения», "
            "чтобы не сбить оформление и подсказки.",
        ),
        (
            "paragraph",
            f"•  Федеральный перечень учебников с названиями — на скрытом листе "
            f"«{CATALOGUE_SHEET}»: щёлкните правой кнопкой по ярлыку любого листа и выберите "
            "«Показать». Изменять его не нужно.",
        ),
        ("blank", ""),
        ("heading", "Как загрузить"),
        ("paragraph", "1. Сохраните файл как «Книга Excel (*.xlsx)»."),
        (
            "paragraph",
            f"2. Откройте в Bibliomo страницу кампании «{book.campaign_name}» и загрузите файл.",
        ),
        (
            "paragraph",
            "3. Bibliomo проверит файл целиком. Если найдутся ошибки, вы увидите их все сразу — "
            "с листом, строкой и столбцом, — а данные не сохранятся, пока ошибки не исправлены. "
            "Исправьте файл и загрузите его снова.",
        ),
        (
            "paragraph",
            f"Этот файл сделан для школы «{book.school_name}» и кампании «{book.campaign_name}»; "
            "для другой школы или другой кампании он не подойдёт.",
        ),
    ]
    return lines


def _column_note(column: _Column, book: SchoolWorkbook) -> str:
    """The column's hint, to follow its title and a colon."""
    if column.kind == "building" and not book.buildings:
        return "не заполняется: у школы один корпус."
    hint = column.hint
    if column.kind == "building":
        hint = hint.removesuffix(".") + "; выберите его из списка."
    return hint[:1].lower() + hint[1:]


def _enrolment_notes(book: SchoolWorkbook) -> tuple[str, ...]:
    if book.buildings:
        return (
            "Параллель указывается одной строкой в каждом корпусе, где она учится: все 5-е "
            "классы корпуса — вместе.",
        )
    return ("Параллель указывается одной строкой: все 5-е классы — вместе.",)


def _grades_text(entry: CatalogueRef) -> str:
    if entry.grade_from == entry.grade_to:
        return str(entry.grade_from)
    return f"{entry.grade_from}–{entry.grade_to}"


def _code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """1.1.2 before 1.1.10: the dropdown is sorted as the federal list is."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


# --- reading --------------------------------------------------------------------------------


def read_workbook(
    data: bytes,
    filename: str,
    catalogue: Sequence[CatalogueRef],
    *,
    campaign_id: int,
    school_id: int,
    buildings: Sequence[str] | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
    max_lengths: Mapping[str, int] | None = None,
) -> WorkbookData:
    """The data of a filled workbook, rows in file order.

    `buildings` are the school's buildings as they are now; None takes those the template was
    made with. `limits` bound each sheet's size; `max_lengths` are the stored lengths of text
    fields by row field name (act_number). Raises WorkbookError with every problem found, in
    Russian; what is worth saying but no reason to refuse is in the result's `notices`.
    """
    source = _open(data, filename)
    stamp = _read_stamp(source, limits)
    _check_identity(stamp, campaign_id=campaign_id, school_id=school_id)
    known_buildings = tuple(buildings) if buildings is not None else stamp.buildings
    tables, notices = _locate_tables(source, known_buildings, limits)
    lengths = {"act_number": MAX_ACT_NUMBER, **(max_lengths or {})}
    result = _Reader(tables, catalogue, known_buildings, lengths).read()
    return dataclasses.replace(
        result,
        notices=tuple(notices) + result.notices,
        data_version=stamp.data_version,
    )


def read_template_stamp(data: bytes, filename: str) -> TemplateStamp:
    """Whose template the file is — school, campaign, the data version it was made from."""
    return _read_stamp(_open(data, filename), DEFAULT_LIMITS)


def _file_error(message: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem("", None, None, message)])


def _open(data: bytes, filename: str) -> Source:
    """The workbook, or a message saying what the file is instead; the content decides."""
    source = spreadsheets.open_table(
        data, filename, expected=_EXPECTED, error=WorkbookError, allow_csv=False
    )
    return source


def _sheet_rows(source: Source, name: str, limits: SheetLimits) -> Sequence[Sequence[object]]:
    """Every row from A1 on, so that list indices are Excel's row numbers minus one."""
    return spreadsheets.sheet_rows(source, name, limits=limits, error=WorkbookError)


def _sheet_names(source: Source) -> dict[str, str]:
    """Sheet names as the file spells them, by a key that forgives case and stray spaces."""
    assert source.workbook is not None
    return {_word_key(name): name for name in source.workbook.sheet_names}


# --- the stamp: whose file it is


@dataclass(frozen=True)
class TemplateStamp:
    campaign_id: int
    campaign_name: str
    academic_year: int
    school_id: int
    school_name: str
    buildings: tuple[str, ...]
    data_version: str = ""


_Stamp = TemplateStamp


def _read_stamp(source: Source, limits: SheetLimits) -> TemplateStamp:
    filename = source.name
    names = _sheet_names(source)
    stamp_sheet = names.get(_word_key(STAMP_SHEET))
    if stamp_sheet is None:
        if any(_word_key(spec.name) in names for spec in DATA_SHEETS):
            raise _file_error(
                f"В файле «{filename}» нет служебных данных шаблона — похоже, листы скопированы "
                "в другую книгу. Скачайте шаблон на странице кампании заново, перенесите в него "
                "данные и загрузите его."
            )
        raise _not_a_template(filename)
    values: dict[str, object] = {}
    buildings: list[str] = []
    for row in _sheet_rows(source, stamp_sheet, limits):
        if len(row) < 2:
            continue
        key, value = _text(row[0]), row[1]
        if key == _KEY_BUILDING:
            buildings.append(_text(value))
        else:
            values.setdefault(key, value)
    if _text(values.get(_KEY_MARK)) != _STAMP_MARK:
        raise _not_a_template(filename)
    if _whole(values.get(_KEY_VERSION)) != FORMAT_VERSION:
        raise _file_error(
            f"Файл «{filename}» сделан по шаблону другого образца. Скачайте шаблон на странице "
            "кампании заново, перенесите в него данные и загрузите его."
        )
    campaign_id = _whole(values.get(_KEY_CAMPAIGN))
    school_id = _whole(values.get(_KEY_SCHOOL))
    academic_year = _whole(values.get(_KEY_YEAR))
    if campaign_id is None or school_id is None or academic_year is None:
        raise _file_error(
            f"Служебные данные шаблона в файле «{filename}» повреждены. Скачайте шаблон на "
            "странице кампании заново, перенесите в него данные и загрузите его."
        )
    return TemplateStamp(
        campaign_id=campaign_id,
        campaign_name=_text(values.get(_KEY_CAMPAIGN_NAME)),
        academic_year=academic_year,
        school_id=school_id,
        school_name=_text(values.get(_KEY_SCHOOL_NAME)),
        buildings=tuple(buildings),
        data_version=_text(values.get(_KEY_DATA_VERSION)),
    )


def _not_a_template(filename: str) -> WorkbookError:
    sheets = ", ".join(f"«{spec.name}»" for spec in DATA_SHEETS)
    return _file_error(
        f"Файл «{filename}» — не шаблон мониторинга обеспеченности учебниками: в шаблоне есть "
        f"листы {sheets} и служебные данные, по которым Bibliomo узнаёт школу и кампанию. "
        "Скачайте шаблон на странице кампании, перенесите в него данные и загрузите его."
    )


def _check_identity(stamp: TemplateStamp, *, campaign_id: int, school_id: int) -> None:
    problems = []
    if stamp.school_id != school_id:
        problems.append(
            f"Этот файл — шаблон другой школы («{stamp.school_name}»). Скачайте шаблон своей "
            "школы на странице кампании и перенесите в него данные."
        )
    if stamp.campaign_id != campaign_id:
        year = format_academic_year(stamp.academic_year)
        problems.append(
            f"Этот файл — шаблон другой кампании («{stamp.campaign_name}», {year} учебный год). "
            "Скачайте шаблон на странице этой кампании и перенесите в него данные."
        )
    if problems:
        raise WorkbookError([WorkbookProblem("", None, None, message) for message in problems])


# --- the sheets to read: where each one's header and columns are


_NO_MARKS = SheetMarks()


@dataclass(frozen=True)
class _Table:
    """A data sheet as read. Problems name it as the template does, whatever the file's case."""

    spec: _Sheet
    rows: Sequence[Sequence[object]]
    header_index: int
    columns: dict[str, int]  # column key → index in a row
    marks: SheetMarks = _NO_MARKS


def _locate_tables(
    source: Source, buildings: Sequence[str], limits: SheetLimits
) -> tuple[dict[str, _Table], list[WorkbookProblem]]:
    """Every data sheet with its header and the notices about it, or every reason why not."""
    names = _sheet_names(source)
    tables: dict[str, _Table] = {}
    problems: list[WorkbookProblem] = []
    notices: list[WorkbookProblem] = []
    for spec in DATA_SHEETS:
        name = names.get(_word_key(spec.name))
        if name is None:
            problems.append(
                WorkbookProblem(
                    "",
                    None,
                    None,
                    f"В файле нет листа «{spec.name}». Не переименовывайте и не удаляйте листы "
                    "шаблона.",
                )
            )
            continue
        rows = _sheet_rows(source, name, limits)
        table = _locate_header(spec, rows, _required_keys(spec, buildings), problems, notices)
        if table is not None:
            marks = spreadsheets.sheet_marks(source.data, name)
            tables[spec.name] = dataclasses.replace(table, marks=marks)
    if problems:
        raise WorkbookError(problems)
    return tables, notices


def _required_keys(spec: _Sheet, buildings: Sequence[str]) -> list[str]:
    """The title is never read; the building is not needed where there is only one."""
    return [
        column.key
        for column in spec.columns
        if column.kind != "title" and (column.kind != "building" or buildings)
    ]


def _fields(spec: _Sheet) -> list[spreadsheets.Field]:
    return [
        spreadsheets.Field(column.key, column.title, (column.title,), column.aliases)
        for column in spec.columns
    ]


def _locate_header(
    spec: _Sheet,
    rows: Sequence[Sequence[object]],
    required: Sequence[str],
    problems: list[WorkbookProblem],
    notices: list[WorkbookProblem],
) -> _Table | None:
    """The row with most of the sheet's headers among the first rows; it must have them all."""
    fields = _fields(spec)
    best: spreadsheets.Header | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = spreadsheets.match_header(index, row, fields, sheet=spec.name)
        if header.found and (best is None or header.found > best.found):
            best = header
    if best is None:
        titles = ", ".join(f"«{spec.column(key).title}»" for key in required)
        problems.append(
            WorkbookProblem(
                spec.name,
                None,
                None,
                f"не найдена строка заголовков. Верните заголовки из шаблона: {titles}.",
            )
        )
        return None
    if best.problems:
        problems.extend(best.problems)
        return None
    missing = [spec.column(key).title for key in required if key not in best]
    if missing:
        listed = ", ".join(f"«{title}»" for title in missing)
        what = "столбца" if len(missing) == 1 else "столбцов"
        problems.append(
            WorkbookProblem(
                spec.name,
                best.row_index + 1,
                None,
                f"в строке заголовков нет {what} {listed}. Верните заголовки из шаблона.",
            )
        )
        return None
    notices.extend(best.notices)
    columns = {str(key): column.index for key, column in best.columns.items()}
    return _Table(spec, rows, best.row_index, columns)


# --- the rows


class _BadValue(Exception):
    """A cell that cannot be taken; the message follows the value: «…» — message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


_T = TypeVar("_T")


class _Row:
    """One data row of a sheet; problems found in it go to the shared list."""

    def __init__(self, table: _Table, index: int, problems: list[WorkbookProblem]) -> None:
        self.table = table
        self.cells = table.rows[index]
        self.number = index + 1
        self.problems = problems

    def value(self, key: str) -> object:
        index = self.table.columns.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def uncalculated(self, key: str) -> bool:
        """A formula whose result the file does not keep: calamine reads it as empty."""
        index = self.table.columns.get(key)
        return index is not None and (self.number, index) in self.table.marks.uncalculated

    def is_blank(self) -> bool:
        # The title is a formula that shows "" or «код не найден» on every prepared row.
        return all(
            _is_blank(self.value(key)) and not self.uncalculated(key)
            for key in self.table.columns
            if key != "title"
        )

    def take(self, key: str, parse: Callable[[object], _T]) -> _T | None:
        """The parsed value of a cell, or None after reporting why it cannot be taken."""
        if self.uncalculated(key):
            self.report(key, spreadsheets.UNCALCULATED)
            return None
        try:
            return parse(self.value(key))
        except _BadValue as error:
            self.report(key, error.message)
            return None

    def report(self, key: str, message: str) -> None:
        value = self.value(key)
        shown = "" if _is_blank(value) else _shown(value)
        title = self.table.spec.column(key).title
        self.problems.append(
            WorkbookProblem(self.table.spec.name, self.number, title, message, shown)
        )


class _Reader:
    def __init__(
        self,
        tables: Mapping[str, _Table],
        catalogue: Sequence[CatalogueRef],
        buildings: Sequence[str],
        max_lengths: Mapping[str, int],
    ) -> None:
        self.tables = tables
        self.max_lengths = max_lengths
        self.notices: list[WorkbookProblem] = []
        self.catalogue: dict[str, CatalogueRef] = {}
        for entry in catalogue:
            self.catalogue.setdefault(_code_key(entry.code), entry)
        self.buildings = {_word_key(name): name for name in buildings}
        self.today = date.today()
        self.problems: list[WorkbookProblem] = []

    def read(self) -> WorkbookData:
        enrolment = self._enrolment(self.tables[ENROLMENT_SHEET.name])
        enrolment_is_sound = not self.problems
        lines = self._lines(self.tables[LINES_SHEET.name])
        if enrolment_is_sound:
            # Checked against a Контингент with errors, lines would report their echoes.
            self._check_lines_against_enrolment(enrolment, lines)
        holdings = self._holdings(self.tables[HOLDINGS_SHEET.name])
        write_offs = self._write_offs(self.tables[WRITE_OFFS_SHEET.name])
        if self.problems:
            raise WorkbookError(self._in_file_order(self.problems))
        return WorkbookData(
            enrolment=tuple(record for _, record in enrolment),
            lines=tuple(record for _, record in lines),
            holdings=tuple(holdings),
            write_offs=tuple(write_offs),
            notices=tuple(self._in_file_order(self.notices)),
        )

    def _rows(self, table: _Table) -> Iterator[_Row]:
        for index in range(table.header_index + 1, len(table.rows)):
            row = _Row(table, index, self.problems)
            if not row.is_blank():
                if row.number in table.marks.hidden_rows:
                    self.notices.append(
                        WorkbookProblem(table.spec.name, row.number, None, spreadsheets.HIDDEN_ROW)
                    )
                yield row

    @staticmethod
    def _in_file_order(problems: list[WorkbookProblem]) -> list[WorkbookProblem]:
        order = {spec.name: index for index, spec in enumerate(DATA_SHEETS)}
        return sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.row or 0))

    # --- Контингент

    def _enrolment(self, table: _Table) -> list[tuple[int, EnrolmentRow]]:
        records: list[tuple[int, EnrolmentRow]] = []
        seen: dict[tuple[int, str], int] = {}
        for row in self._rows(table):
            record = self._enrolment_row(row)
            if record is None:
                continue
            key = (record.grade, record.building)
            if key in seen:
                row.report("grade", _duplicate_grade(record, seen[key]))
            seen.setdefault(key, row.number)
            records.append((row.number, record))
        self._check_whole_school_rows(records)
        return records

    def _check_whole_school_rows(self, records: list[tuple[int, EnrolmentRow]]) -> None:
        """A grade is given for the school as a whole (no building) or by building, not both:
        both would count its pupils twice."""
        whole = {record.grade: number for number, record in records if not record.building}
        title = ENROLMENT_SHEET.column("building").title
        for number, record in records:
            if record.building and record.grade in whole:
                self.problems.append(
                    WorkbookProblem(
                        ENROLMENT_SHEET.name,
                        number,
                        title,
                        f"{record.grade} класс уже указан в строке {whole[record.grade]} без "
                        "корпуса — для всей школы. Укажите параллель либо по корпусам, либо "
                        "одной строкой для всей школы.",
                        _shown(record.building),
                    )
                )

    def _enrolment_row(self, row: _Row) -> EnrolmentRow | None:
        grade = row.take("grade", _grade)
        building = row.take("building", self._building)
        pupils = row.take("pupils", _count("число обучающихся"))
        classes = row.take("classes", _count("число классов"))
        if grade is None or building is None or pupils is None or classes is None:
            return None
        if pupils and not classes:
            row.report("classes", "в параллели есть обучающиеся — укажите, сколько в ней классов.")
        elif classes > pupils:
            row.report(
                "classes",
                f"классов больше, чем обучающихся ({pupils}). Не перепутаны ли столбцы?",
            )
        return EnrolmentRow(grade=grade, pupils=pupils, classes=classes, building=building)

    def _building(self, value: object) -> str:
        text = _text(value)
        if not self.buildings:
            if text:
                raise _BadValue("у школы один корпус, оставьте этот столбец пустым.")
            return ""
        if not text:
            return ""  # the grade as a whole, not split by building
        found = self.buildings.get(_word_key(text))
        if found is None:
            known = ", ".join(f"«{name}»" for name in self.buildings.values())
            raise _BadValue(f"такого корпуса у школы нет; выберите из списка: {known}.")
        return found

    # --- УМК

    def _lines(self, table: _Table) -> list[tuple[int, LineRow]]:
        records: list[tuple[int, LineRow]] = []
        seen: dict[tuple[int, str], int] = {}
        for row in self._rows(table):
            record = self._line_row(row)
            if record is None:
                continue
            key = (record.grade, record.code)
            if key in seen:
                row.report(
                    "code",
                    f"этот учебник для {record.grade} класса уже указан в строке {seen[key]}. "
                    "Сложите обучающихся в одну строку.",
                )
            seen.setdefault(key, row.number)
            records.append((row.number, record))
        return records

    def _line_row(self, row: _Row) -> LineRow | None:
        grade = row.take("grade", _grade)
        entry = row.take("code", self._entry)
        pupils = row.take("pupils", _count("число обучающихся"))
        if grade is None or entry is None or pupils is None:
            return None
        if not entry.grade_from <= grade <= entry.grade_to:
            row.report(
                "grade",
                f"учебник «{entry.title}» ({entry.code}) предназначен для {_for_grades(entry)}.",
            )
        return LineRow(grade=grade, code=entry.code, pupils=pupils)

    def _check_lines_against_enrolment(
        self, enrolment: list[tuple[int, EnrolmentRow]], lines: list[tuple[int, LineRow]]
    ) -> None:
        """Every grade with textbooks has pupils, and no line has more pupils than its grade."""
        pupils: dict[int, int] = defaultdict(int)
        enrolment_rows: dict[int, list[tuple[int, EnrolmentRow]]] = defaultdict(list)
        for number, record in enrolment:
            pupils[record.grade] += record.pupils
            enrolment_rows[record.grade].append((number, record))
        line_rows: dict[int, list[int]] = defaultdict(list)
        for number, line in lines:
            line_rows[line.grade].append(number)
        for grade, numbers in line_rows.items():
            if not pupils[grade]:
                self.problems.append(_no_pupils(grade, enrolment_rows[grade], numbers))
        column = LINES_SHEET.column("pupils").title
        for number, line in lines:
            total = pupils[line.grade]
            if total and line.pupils > total:
                self.problems.append(
                    WorkbookProblem(
                        LINES_SHEET.name,
                        number,
                        column,
                        f"«{line.pupils}» — больше, чем обучающихся в {line.grade} классе "
                        f"по листу «{ENROLMENT_SHEET.name}» ({total}).",
                    )
                )

    # --- Фонд

    def _holdings(self, table: _Table) -> list[HoldingRow]:
        records: list[HoldingRow] = []
        seen: dict[tuple[str, int], int] = {}
        for row in self._rows(table):
            record = self._holding_row(row)
            if record is None:
                continue
            key = (record.code, record.purchase_year)
            if key in seen:
                row.report(
                    "purchase_year",
                    f"поступление этого учебника в {record.purchase_year} году уже указано "
                    f"в строке {seen[key]}. Сложите экземпляры в одну строку.",
                )
            seen.setdefault(key, row.number)
            records.append(record)
        return records

    def _holding_row(self, row: _Row) -> HoldingRow | None:
        entry = row.take("code", self._entry)
        year = row.take("purchase_year", self._purchase_year)
        copies = row.take("copies", _count("число экземпляров"))
        damaged = row.take("damaged", _count("число испорченных экземпляров", required=False))
        lost = row.take("lost", _count("число утерянных экземпляров", required=False))
        if entry is None or year is None or copies is None or damaged is None or lost is None:
            return None
        if damaged + lost > copies:
            row.report(
                "copies",
                f"меньше, чем испорченных и утерянных вместе ({damaged} + {lost}). Испорченные "
                "и утерянные экземпляры входят в число экземпляров.",
            )
        return HoldingRow(entry.code, year, copies, damaged, lost)

    def _purchase_year(self, value: object) -> int:
        if _is_blank(value):
            raise _BadValue("не указан год поступления.")
        year = _year(value)
        if year is None:
            raise _BadValue("это не год; укажите год поступления цифрами, например 2021.")
        if year < FIRST_YEAR:
            raise _BadValue(f"год поступления должен быть не раньше {FIRST_YEAR}.")
        if year > self.today.year:
            raise _BadValue("этот год ещё не наступил.")
        return year

    # --- Списание

    def _write_offs(self, table: _Table) -> list[WriteOffRow]:
        return [record for row in self._rows(table) if (record := self._write_off_row(row))]

    def _write_off_row(self, row: _Row) -> WriteOffRow | None:
        entry = row.take("code", self._entry)
        copies = row.take("copies", _count("число списанных экземпляров", positive=True))
        reason = row.take("reason", _reason)
        act_number = row.take("act_number", _act_number(self.max_lengths["act_number"]))
        act_date = row.take("act_date", self._act_date)
        if (
            entry is None
            or copies is None
            or reason is None
            or act_number is None
            or act_date is None
        ):
            return None
        return WriteOffRow(entry.code, copies, reason, act_number, act_date)

    def _act_date(self, value: object) -> date:
        if _is_blank(value):
            raise _BadValue("не указана дата акта.")
        day = _date(value)
        if day is None:
            raise _BadValue("это не дата; укажите дату акта в виде ДД.ММ.ГГГГ.")
        if day > self.today:
            raise _BadValue("эта дата ещё не наступила.")
        if day.year < FIRST_YEAR:
            raise _BadValue("слишком ранняя дата акта; проверьте год.")
        return day

    # --- codes, on every sheet

    def _entry(self, value: object) -> CatalogueRef:
        code = _code_key(_text(value))
        if not code:
            raise _BadValue("не указан код учебника.")
        entry = self.catalogue.get(code)
        if entry is None:
            raise _BadValue(
                "такого кода нет в федеральном перечне учебников; выберите код из списка."
            )
        return entry


def _duplicate_grade(record: EnrolmentRow, first_row: int) -> str:
    if record.building:
        return (
            f"{record.grade} класс корпуса «{record.building}» уже указан в строке {first_row}. "
            "В каждом корпусе параллель указывается одной строкой: сложите обучающихся и классы."
        )
    return (
        f"{record.grade} класс уже указан в строке {first_row}. Параллель указывается одной "
        "строкой: сложите обучающихся и классы."
    )


def _no_pupils(
    grade: int, enrolment: list[tuple[int, EnrolmentRow]], line_rows: list[int]
) -> WorkbookProblem:
    """One problem per grade, at the enrolment row to fix when there is exactly one."""
    where = f"{'строка' if len(line_rows) == 1 else 'строки'} {', '.join(map(str, line_rows))}"
    books = f"а на листе «{LINES_SHEET.name}» для него указаны учебники ({where})"
    column = ENROLMENT_SHEET.column("pupils").title
    if not enrolment:
        message = f"нет строки для {grade} класса, {books}."
        return WorkbookProblem(ENROLMENT_SHEET.name, None, None, message)
    if len(enrolment) == 1:
        number, _ = enrolment[0]
        message = f"«0» — в {grade} классе нет обучающихся, {books}."
        return WorkbookProblem(ENROLMENT_SHEET.name, number, column, message)
    message = f"ни в одном корпусе нет обучающихся {grade} класса, {books}."
    return WorkbookProblem(ENROLMENT_SHEET.name, None, column, message)


def _for_grades(entry: CatalogueRef) -> str:
    """«5 класса», «5–9 классов» — after «для»."""
    if entry.grade_from == entry.grade_to:
        return f"{entry.grade_from} класса"
    return f"{entry.grade_from}–{entry.grade_to} классов"


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
