"""The layout the writer and the reader share: rows, sheets, columns, the stamp."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem
from bibliomo.lib.spreadsheets import SheetLimits

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
