"""Reading a filled workbook back: all-or-nothing, every problem with its sheet, row, column."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from bibliomo.lib import spreadsheets
from bibliomo.lib.provision_workbook.layout import (
    _EXPECTED,
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
    DATA_SHEETS,
    DEFAULT_LIMITS,
    ENROLMENT_SHEET,
    FIRST_YEAR,
    FORMAT_VERSION,
    HEADER_SEARCH_ROWS,
    HOLDINGS_SHEET,
    LINES_SHEET,
    MAX_ACT_NUMBER,
    STAMP_SHEET,
    WRITE_OFFS_SHEET,
    CatalogueRef,
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WorkbookData,
    WorkbookError,
    WorkbookProblem,
    WriteOffRow,
    _Sheet,
)
from bibliomo.lib.provision_workbook.values import (
    _act_number,
    _BadValue,
    _code_key,
    _count,
    _date,
    _grade,
    _is_blank,
    _reason,
    _shown,
    _text,
    _whole,
    _word_key,
    _year,
)
from bibliomo.lib.ru import format_academic_year
from bibliomo.lib.spreadsheets import SheetLimits, SheetMarks, Source

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
