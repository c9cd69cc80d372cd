"""Writing the workbook a school fills in."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from bibliomo.lib.provision_workbook.instructions import (
    _code_order,
    _grades_text,
    _instruction_lines,
)
from bibliomo.lib.provision_workbook.layout import (
    _BUILDINGS_NAME,
    _CATALOGUE_NAME,
    _CODES_NAME,
    _KEY_BUILDING,
    _KEY_CAMPAIGN,
    _KEY_CAMPAIGN_NAME,
    _KEY_DATA_VERSION,
    _KEY_MARK,
    _KEY_SCHOOL,
    _KEY_SCHOOL_NAME,
    _KEY_VERSION,
    _KEY_YEAR,
    _STAMP_MARK,
    _STAMP_NOTE,
    _TITLE_NOT_FOUND,
    CAPTION_ROW,
    CATALOGUE_SHEET,
    ENROLMENT_SHEET,
    FIRST_DATA_ROW,
    FIRST_YEAR,
    FORMAT_VERSION,
    HEADER_ROW,
    HOLDINGS_SHEET,
    INSTRUCTION_SHEET,
    LINES_SHEET,
    MAX_COUNT,
    MAX_GRADE,
    STAMP_SHEET,
    WRITE_OFF_REASONS,
    WRITE_OFFS_SHEET,
    CatalogueRef,
    SchoolWorkbook,
    _Column,
    _Sheet,
)
from bibliomo.lib.provision_workbook.values import _code_key
from bibliomo.lib.ru import format_academic_year

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
