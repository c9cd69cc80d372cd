"""Reading a work plan from the file a user uploads: a Word document (.docx) or plain text.

Both forms are first reduced to the same raw shape — the lines before the activity table, the
table rows, and what follows the table — and then one set of rules turns that into a
`PlanDocument`. Everything a person should double-check ends up in `PlanDocument.warnings`;
a file that cannot be a plan at all raises `PlanReadError` with a message for the user.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import NamedTuple

import docx
from docx.document import Document as WordDocument
from docx.table import Table

from bibliomo.lib.ru import MONTHS_GENITIVE, format_academic_year
from bibliomo.plans.document import Activity, Approval, PlanDocument, Section, Signatory
from bibliomo.plans.responsible import (
    is_person_name,
    normalise_name,
    normalise_role,
    parse_responsible,
)
from bibliomo.plans.timing import parse_timing

EMPTY_FILE = "Файл пустой."
LEGACY_DOC = (
    "Файл сохранён в старом формате Word (.doc), его прочитать нельзя. Откройте файл в Word "
    "и сохраните как «Документ Word (*.docx)». Если документ защищён паролем, снимите защиту."
)
DAMAGED_DOCX = (
    "Файл повреждён или не является документом Word (.docx). Откройте его в Word, "
    "сохраните заново как «Документ Word (*.docx)» и загрузите ещё раз."
)
EXCEL_FILE = "Это таблица Excel, а не документ Word. Загрузите план в формате .docx или .txt."
OPENDOCUMENT_FILE = "Это документ OpenDocument (.odt). Сохраните его как «Документ Word (*.docx)»."
OTHER_ARCHIVE = "Это архив, а не документ Word. Загрузите план в формате .docx или .txt."
PDF_FILE = "Файлы PDF не поддерживаются. Загрузите план в формате .docx или .txt."
RTF_FILE = "Формат RTF не поддерживается. Сохраните план как «Документ Word (*.docx)»."
UNKNOWN_ENCODING = (
    "Не удалось прочитать текст: неизвестная кодировка. Сохраните файл в кодировке UTF-8 "
    "или загрузите план в формате .docx."
)
NOT_A_PLAN = (
    "В файле не найдена таблица плана. Ожидается таблица со столбцами "
    "«Содержание деятельности», «Сроки» и «Ответственный»."
)
NO_ACTIVITIES = "В таблице плана нет ни одного мероприятия."
NO_ACADEMIC_YEAR = (
    "Не удалось определить учебный год плана. Укажите его в заголовке, "
    "например «2024-2025 учебный год»."
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Compound File Binary: Word 97–2003 files, and also password-protected .docx files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_EXTENSIONS = (".docx", ".docm", ".dotx")

_APPROVAL_HEADING = re.compile(r"(?i)«?утверждаю»?\s*:?")
_APPROVAL_BLOCK_LINES = 5  # heading excluded: position (up to three lines), signature, date
_ACADEMIC_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*[-–—/]\s*(20\d{2}|\d{2})(?!\d)")
_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("theme", re.compile(r"(?i)(?:[а-яё]+\s+){0,2}тема(?:\s+[а-яё]+){0,3}\s*:\s*(.*)")),
    ("goal", re.compile(r"(?i)(?:основная\s+)?цел[ьи](?:\s+[а-яё]+){0,3}\s*:\s*(.*)")),
    ("tasks", re.compile(r"(?i)(?:основные\s+)?задачи(?:\s+[а-яё]+){0,3}\s*:\s*(.*)")),
)
_MISSING_PARTS = {
    "theme": "В плане не указана методическая тема.",
    "goal": "В плане не указана цель.",
    "tasks": "В плане не указаны задачи.",
}
_BULLET = re.compile(r"^(?:[-–—•·▪*]|\d{1,2}[.)])\s+")
_SIGNATURE_GAP = re.compile(r"\s*_{3,}\s*|\t|\s{3,}")


class PlanReadError(Exception):
    """The file cannot be read as a plan; `message` is Russian and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Row:
    """One table row, by meaning rather than by position."""

    number: str = ""
    content: str = ""
    timing: str = ""
    responsible: str = ""
    status: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.number or self.content or self.timing or self.responsible or self.status)


@dataclass(frozen=True)
class _Columns:
    """Where each column of the activity table sits."""

    content: int
    timing: int
    responsible: int
    number: int | None = None
    status: int | None = None
    ignored: tuple[str, ...] = ()  # headers of columns that are not part of a plan

    def pick(self, cells: Sequence[str]) -> _Row:
        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        return _Row(
            number=cell(self.number),
            content=cell(self.content),
            timing=cell(self.timing),
            responsible=cell(self.responsible),
            status=cell(self.status),
        )


@dataclass
class _RawPlan:
    preamble: list[str]  # non-empty lines before the table
    rows: list[_Row]  # table rows after the header
    epilogue: list[list[str]]  # what follows the table: the cells of each line or table row
    ignored_columns: list[str] = field(default_factory=list)


def read_plan(
    data: bytes, filename: str, *, academic_year_start: int | None = None
) -> PlanDocument:
    """Read an uploaded plan. The kind of file is told by its content, not only by its name.

    `academic_year_start` is used only when the plan itself does not say which year it is for.
    """
    if not data.strip():
        raise PlanReadError(EMPTY_FILE)
    raw = _read_docx(data) if _is_word_file(data, filename) else _read_text(_decode(data))
    return _build_plan(raw, academic_year_start)


# --- telling what the file is ---------------------------------------------------------------


def _is_word_file(data: bytes, filename: str) -> bool:
    if data.startswith(_OLE_MAGIC):
        raise PlanReadError(LEGACY_DOC)
    if data.startswith(_ZIP_MAGIC):
        return True
    if data.startswith(b"%PDF"):
        raise PlanReadError(PDF_FILE)
    if data.lstrip().startswith(b"{\\rtf"):
        raise PlanReadError(RTF_FILE)
    if filename.lower().endswith(_WORD_EXTENSIONS):
        raise PlanReadError(DAMAGED_DOCX)
    return False


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Notepad's «Юникод»), or Windows-1251."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked_text(data, encoding)
    try:
        return _checked_text(data, "utf-8")
    except PlanReadError:
        pass
    # Any byte string "decodes" as Windows-1251, so only trust it when the result reads as
    # Russian: a Latin-1 or binary file turns into a mix of Latin letters and symbols instead.
    text = _checked_text(data, "cp1251")
    if not _mostly_cyrillic(text):
        raise PlanReadError(UNKNOWN_ENCODING)
    return text


def _checked_text(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanReadError(UNKNOWN_ENCODING) from error
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
        raise PlanReadError(UNKNOWN_ENCODING)  # control characters: a binary file, not text
    return text


def _mostly_cyrillic(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "а" <= char.lower() <= "я" or char in "ёЁ")
    return bool(letters) and cyrillic / len(letters) >= 0.6


# --- Word -----------------------------------------------------------------------------------


def _open_docx(data: bytes) -> WordDocument:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise PlanReadError(DAMAGED_DOCX) from error
    if "word/document.xml" not in names:
        raise PlanReadError(_foreign_archive_message(names))
    try:
        return docx.Document(BytesIO(data))
    except Exception as error:  # python-docx signals a broken package with many error types
        raise PlanReadError(DAMAGED_DOCX) from error


def _foreign_archive_message(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return EXCEL_FILE
    if "content.xml" in names and "mimetype" in names:
        return OPENDOCUMENT_FILE
    return OTHER_ARCHIVE


def _read_docx(data: bytes) -> _RawPlan:
    preamble: list[str] = []
    rows: list[_Row] = []
    epilogue: list[list[str]] = []
    ignored: list[str] = []
    table_found = False
    for block in _open_docx(data).iter_inner_content():
        if not isinstance(block, Table):
            lines = block.text.split("\n")
            if table_found:
                epilogue += [line.split("\t") for line in lines]
            else:
                preamble += lines
            continue
        grid = _table_grid(block)
        header = _find_header([row.cells for row in grid])
        if header is not None:
            # A plan table split in two (each part with its own header) is still one plan.
            table_found = True
            columns, header_index = header
            rows += [_plan_row(row, columns) for row in grid[header_index + 1 :]]
            ignored += [name for name in columns.ignored if name not in ignored]
        elif table_found:
            epilogue += [row.cells for row in grid]
        else:
            # A layout table above the plan, e.g. «УТВЕРЖДАЮ» in its right-hand cell.
            preamble += [line for row in grid for cell in row.cells for line in cell.split("\n")]
    if not table_found:
        raise PlanReadError(NOT_A_PLAN)
    return _RawPlan(_clean_lines(preamble), rows, epilogue, ignored)


class _TableRow(NamedTuple):
    cells: list[str]  # one string per layout column
    merged_across: bool  # a single cell spanning the whole row: how Word plans mark headings


def _table_grid(table: Table) -> list[_TableRow]:
    """The table as text.

    python-docx repeats a merged cell for every column it spans; its text is kept in the first
    of them only, so that a merged cell is not read twice. Vertically merged cells, on the
    other hand, keep their text in every row: «Методист» merged down three rows is responsible
    for all three activities.
    """
    grid = []
    for row in table.rows:
        cells = [""] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            cells.append("" if cell is previous else cell.text.strip())
            previous = cell
        cells += [""] * row.grid_cols_after
        spans_row = len({id(cell) for cell in row.cells}) == 1 and len(cells) > 1
        grid.append(_TableRow(cells, merged_across=spans_row))
    return grid


def _plan_row(row: _TableRow, columns: _Columns) -> _Row:
    if row.merged_across:
        # A heading merged across the table belongs to no column: whichever column comes
        # first («№ п/п», or even «Ответственный»), its text is the section title.
        return _Row(content=next((cell for cell in row.cells if cell), ""))
    return columns.pick(row.cells)


# --- plain text -----------------------------------------------------------------------------


def _read_text(text: str) -> _RawPlan:
    """The plan as text with table cells separated by TABs, e.g. copied from Word."""
    if not text.strip():
        raise PlanReadError(EMPTY_FILE)  # a byte order mark and nothing else
    lines = text.splitlines()
    header = next(
        (
            (columns, index)
            for index, line in enumerate(lines)
            if "\t" in line and (columns := _match_header(line.split("\t"))) is not None
        ),
        None,
    )
    if header is None:
        raise PlanReadError(NOT_A_PLAN)
    columns, header_index = header
    end = next(
        (
            index
            for index in range(header_index + 1, len(lines))
            if _ends_text_table(lines[index], columns)
        ),
        len(lines),
    )
    table_lines = lines[header_index + 1 : end]
    return _RawPlan(
        preamble=_clean_lines(lines[:header_index]),
        rows=[columns.pick(line.split("\t")) for line in table_lines if line.strip()],
        epilogue=[line.split("\t") for line in lines[end:]],
        ignored_columns=list(columns.ignored),
    )


def _ends_text_table(line: str, columns: _Columns) -> bool:
    """The table goes on while lines have TABs in them: a heading row keeps its empty cells as
    trailing TABs. It ends at the first line of plain text, or at a signature line such as
    «Руководитель ММО<TAB>Никитенко Т.Г.», where a name stands in the «Сроки» column.
    """
    if not line.strip():
        return False
    if "\t" not in line:
        return True
    row = columns.pick(line.split("\t"))
    return is_person_name(row.timing) and not row.responsible


# --- the activity table ---------------------------------------------------------------------


def _match_header(cells: Sequence[str]) -> _Columns | None:
    """Recognise the header row by its words, whatever their case and order."""
    found: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(cells):
        name = _without_markup(cell).lower().replace("ё", "е")
        kind = _column_kind(name)
        if kind is not None and kind not in found:
            found[kind] = index
        elif name:
            ignored.append(" ".join(_without_markup(cell).split()))
    if not {"content", "timing", "responsible"} <= found.keys():
        return None
    return _Columns(**found, ignored=tuple(ignored))


def _column_kind(name: str) -> str | None:
    # The order of the checks matters: «Сроки выполнения» is the timing column, «Ответственный
    # за выполнение» the responsible one, and «Отметка о выполнении мероприятия» the status.
    if "№" in name or "п/п" in name:
        return "number"
    if "срок" in name:
        return "timing"
    if "ответствен" in name:
        return "responsible"
    if "отметк" in name or "выполнен" in name or "примечани" in name:
        return "status"
    if "содержание" in name or "мероприяти" in name or "наименование" in name:
        return "content"
    return None


def _find_header(grid: list[list[str]]) -> tuple[_Columns, int] | None:
    for index, cells in enumerate(grid):
        columns = _match_header(cells)
        if columns is not None:
            return columns, index
    return None


def _is_repeated_header(row: _Row) -> bool:
    """A header typed again further down the table, e.g. at the top of a new page."""
    return _match_header([row.content, row.timing, row.responsible]) is not None


def _is_column_numbering(row: _Row) -> bool:
    """The «1 | 2 | 3» row that official tables often put under the header."""
    cells = [cell for cell in (row.number, row.content, row.timing, row.responsible) if cell]
    return len(cells) > 1 and all(cell.rstrip(".").isdigit() for cell in cells)


def _section_title(row: _Row) -> str | None:
    """A row with nothing but its text filled in is a heading, even if its cells are not merged.

    The text may stand in the «№ п/п» cell when the author typed the heading there; a number
    on its own in that cell is an activity number, though, and never a heading.
    """
    if row.timing or row.responsible or row.status:
        return None
    if row.content:
        return _without_markup(row.content).strip()
    if row.number and not row.number.rstrip(".").isdigit():
        return _without_markup(row.number).strip()
    return None


def _sections(rows: Iterable[_Row], year: int, warnings: list[str]) -> list[Section]:
    sections: list[Section] = []
    for row in rows:
        if row.is_blank or _is_repeated_header(row) or _is_column_numbering(row):
            continue
        title = _section_title(row)
        if title is not None:
            sections.append(Section(title=title))
            continue
        if not sections:
            warnings.append("Первые мероприятия в таблице идут без названия раздела.")
            sections.append(Section(title=""))
        sections[-1].activities.append(_activity(row, year, warnings))
    for section in sections:
        if not section.activities:
            warnings.append(f"В разделе «{section.title}» нет мероприятий.")
    return sections


def _activity(row: _Row, year: int, warnings: list[str]) -> Activity:
    activity = Activity(
        content=row.content,
        timing=parse_timing(row.timing, year),
        responsible=parse_responsible(row.responsible),
        status_note=row.status,
    )
    where = f"Мероприятие «{_shorten(row.content)}»" if row.content else "Мероприятие без текста"
    if not row.content:
        warnings.append(f"{where} (срок «{row.timing}»): не указано содержание.")
    for item in (activity.timing, activity.responsible):
        if item.flagged:
            warnings.append(f"{where}: {_lower_first(item.flag_reason)}")
    return activity


# --- before the table: approval, title, theme, goal, tasks ----------------------------------


@dataclass
class _Preamble:
    approval: Approval
    title_lines: list[str]
    theme: str
    goal: str
    tasks: list[str]


def _parse_preamble(lines: list[str], warnings: list[str]) -> _Preamble:
    approval, lines = _take_approval(lines, warnings)
    parts: dict[str, list[str]] = {"title": [], "theme": [], "goal": [], "tasks": []}
    current = parts["title"]
    for line in lines:
        key, rest = _key_of(line)
        if key is not None:
            current = parts[key]
            line = rest
        if line:
            current.append(line)
    for key, missing in _MISSING_PARTS.items():
        if not parts[key]:
            warnings.append(missing)
    return _Preamble(
        approval=approval,
        title_lines=parts["title"],
        theme="\n".join(parts["theme"]),
        goal="\n".join(parts["goal"]),
        tasks=[_BULLET.sub("", task, count=1) for task in parts["tasks"]],
    )


def _key_of(line: str) -> tuple[str | None, str]:
    for key, pattern in _KEYS:
        match = pattern.fullmatch(line)
        if match:
            return key, match.group(1).strip()
    return None, line


def _take_approval(lines: list[str], warnings: list[str]) -> tuple[Approval, list[str]]:
    """Find the «УТВЕРЖДАЮ» block and return it with the lines that are left."""
    heading = next((i for i, line in enumerate(lines) if _APPROVAL_HEADING.fullmatch(line)), None)
    if heading is None:
        warnings.append("Не найден гриф утверждения «УТВЕРЖДАЮ».")
        return Approval(), lines
    block = lines[heading + 1 : heading + 1 + _APPROVAL_BLOCK_LINES]
    signature = next((i for i, line in enumerate(block) if _approver_in(line)), None)
    if signature is None:
        warnings.append("В грифе «УТВЕРЖДАЮ» не найдена фамилия утверждающего.")
        return Approval(), lines[:heading] + lines[heading + 1 :]
    approval = Approval(
        position=" ".join(block[:signature]), approver=_approver_in(block[signature])
    )
    used = signature + 1
    if used < len(block) and (stated := _approval_date(block[used])) is not None:
        approval.year, approval.approved_on = stated
        used += 1
    if approval.year is None:
        warnings.append("В грифе «УТВЕРЖДАЮ» не указан год утверждения.")
    return approval, lines[:heading] + lines[heading + 1 + used :]


def _approver_in(line: str) -> str:
    """«________ Г.В. Венкова», «/Г.В. Венкова/» → «Г.В. Венкова»; empty if not a signature."""
    name = " ".join(re.sub(r"[_/\\|]+", " ", line).split())
    if name and is_person_name(name):
        return normalise_name(name)
    signed = re.search(r"_{3,}|/", line) is not None
    if name and signed and len(name.split()) <= 4 and _approval_date(line) is None:
        return name  # a full name or another spelling, but clearly on the signature line
    return ""


def _approval_date(line: str) -> tuple[int | None, date | None] | None:
    """The date line of the approval block: «2024 г.», «"___" ______ 2024 г.», «02.09.2024».

    Returns (year, day) — either may be None on a blank form — or None for a line that is no
    date line at all (such as a title line that names the academic year).
    """
    if len(line) > 40 or _ACADEMIC_YEAR.search(line):
        return None
    numeric = re.search(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", line)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        return year, _safe_date(year, month, day)
    months = "|".join(MONTHS_GENITIVE)
    spelled = re.search(rf"(?i)(\d{{1,2}})\D{{0,3}}\s+({months})\s+(\d{{4}})", line)
    if spelled:
        month = MONTHS_GENITIVE.index(spelled.group(2).lower()) + 1
        year = int(spelled.group(3))
        return year, _safe_date(year, month, int(spelled.group(1)))
    year_only = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", line)
    if year_only:
        return int(year_only.group(1)), None
    if re.fullmatch(r"[\s«»\"“”„'_]*(?:20_*|_+)?\s*г(?:ода|\.)?\s*", line):
        return None, None
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _academic_year(
    preamble: _Preamble, lines: list[str], fallback: int | None, warnings: list[str]
) -> int:
    for line in [*preamble.title_lines, *lines]:
        for match in _ACADEMIC_YEAR.finditer(line):
            start, end = int(match.group(1)), match.group(2)
            if int(end[-2:]) == (start + 1) % 100:
                return start
    if fallback is not None:
        return fallback
    if preamble.approval.year is not None:
        # Plans are approved at the very start of the year they are for.
        year = preamble.approval.year
        warnings.append(
            f"Учебный год не указан в заголовке плана; по году утверждения принят "
            f"{format_academic_year(year)}."
        )
        return year
    raise PlanReadError(NO_ACADEMIC_YEAR)


# --- after the table: signatures ------------------------------------------------------------


def _signatories(rows: list[list[str]], warnings: list[str]) -> list[Signatory]:
    """Pair roles with names, whether they share a line or come as «roles, then names».

    The user's text file lists both roles first and both names after them; a Word file
    usually has each role and its name on one line or in one row of a borderless table.
    """
    paired: list[Signatory] = []
    roles: list[str] = []
    names: list[str] = []
    for row in rows:
        cells = [cell for cell in (_clean_line(cell) for cell in row) if cell]
        if len(cells) == 1:
            cells = _split_signature(cells[0])
        if len(cells) >= 2:
            paired.append(Signatory(normalise_role(cells[0]), normalise_name(cells[-1])))
        elif cells and is_person_name(cells[0]):
            names.append(normalise_name(cells[0]))
        elif cells:
            roles.append(normalise_role(cells[0]))
    if len(roles) != len(names):
        warnings.append("В подписях в конце плана число должностей не совпадает с числом фамилий.")
    paired += [Signatory(role, name) for role, name in _zip_padded(roles, names)]
    if not paired:
        warnings.append("В конце плана не найдены подписи.")
    return paired


def _split_signature(line: str) -> list[str]:
    """«Руководитель ММО ______ Никитенко Т.Г.» or «Руководитель ММО Никитенко Т.Г.»."""
    parts = [part for part in _SIGNATURE_GAP.split(line) if part.strip()]
    if len(parts) > 1:
        return parts
    words = line.split()
    for size in (2, 3):  # «Никитенко Т.Г.», «Никитенко Т. Г.»
        role, name = " ".join(words[:-size]), " ".join(words[-size:])
        if role and is_person_name(name):
            return [role, name]
    return [line]


def _zip_padded(roles: list[str], names: list[str]) -> list[tuple[str, str]]:
    size = max(len(roles), len(names))
    return [
        (roles[i] if i < len(roles) else "", names[i] if i < len(names) else "")
        for i in range(size)
    ]


# --- putting it together --------------------------------------------------------------------


def _build_plan(raw: _RawPlan, fallback_year: int | None) -> PlanDocument:
    warnings: list[str] = []
    preamble = _parse_preamble(raw.preamble, warnings)
    year = _academic_year(preamble, raw.preamble, fallback_year, warnings)
    for name in raw.ignored_columns:
        warnings.append(f"Столбец «{name}» не относится к плану и не был прочитан.")
    sections = _sections(raw.rows, year, warnings)
    if not any(section.activities for section in sections):
        raise PlanReadError(NO_ACTIVITIES)
    return PlanDocument(
        approval=preamble.approval,
        title_lines=preamble.title_lines,
        academic_year_start=year,
        theme=preamble.theme,
        goal=preamble.goal,
        tasks=preamble.tasks,
        sections=sections,
        signatories=_signatories(raw.epilogue, warnings),
        warnings=warnings,
    )


def _without_markup(text: str) -> str:
    """Drop Markdown bold marks: text copied from a chat or a web page often has them."""
    return text.replace("**", "")


def _clean_line(text: str) -> str:
    """For signatures, where spacing is layout: «Методист-   куратор» is one role."""
    return " ".join(_without_markup(text).split())


def _clean_lines(lines: Iterable[str]) -> list[str]:
    """For the text before the table: only the ends of a line are trimmed, wording stays."""
    return [line for line in (_without_markup(line).strip() for line in lines) if line]


def _shorten(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
