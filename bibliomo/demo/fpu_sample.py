"""A sample federal list of textbooks (ФПУ) for demonstrations and tests.

Every title and author team here is invented; only the publishers' names, the orders and the
shape of the codes follow the real list. The sample covers grades 1–11 and the main subjects,
with two or three competing lines in the popular ones, so that provision, ordering and the
exchange of textbooks have something realistic to work on.

The sample comes as entries (what read_fpu gives back) and as files laid out like the appendix
to the order: a title above the table, the header, and entries grouped under section rows for
the level of education, the subject area and the subject. A newer version of the list excludes
some textbooks, renames two and adds three, for testing a re-import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date

import xlsxwriter

from bibliomo.lib.fpu import ADVANCED, BASIC, LEVEL_LABELS, FpuEntry, code_sort_key

ORDER_2022 = "№ 858 от 21.09.2022"
ORDER_FEBRUARY_2024 = "№ 119 от 21.02.2024"
ORDER_MAY_2024 = "№ 347 от 21.05.2024"

_PROSVESHCHENIE = "Просвещение"
_DROFA = "Дрофа"
_VENTANA = "Вентана-Граф"
_BINOM = "БИНОМ. Лаборатория знаний"
_RUSSKOE_SLOVO = "Русское слово — учебник"
_LEGION = "Легион"
_MNEMOSYNE = "Мнемозина"

_UNTIL_2025 = date(2025, 8, 31)
_UNTIL_2027 = date(2027, 8, 31)

SHEET_NAME = "ФПУ"
TITLE = (
    "Федеральный перечень учебников, допущенных к использованию при реализации имеющих "
    "государственную аккредитацию образовательных программ начального общего, основного "
    "общего, среднего общего образования (образец для проверки загрузки: названия учебников "
    "и авторы вымышлены)"
)
NEWER_TITLE = TITLE.replace("(образец", f"(в редакции приказа {ORDER_MAY_2024}; образец")
HEADER = (
    "Порядковый номер учебника",
    "Наименование учебника",
    "Автор/авторский коллектив",
    "Класс",
    "Наименование издателя(ей) учебника",
    "Уровень",
    "Приказ о включении в перечень",
    "Предельный срок использования",
)
_COLUMN_WIDTHS = (18, 58, 40, 8, 28, 13, 22, 16)

# The sections above the subjects, by the first three and four parts of a code.
_LEVELS_OF_EDUCATION = {
    "1.1.1": "Начальное общее образование",
    "1.1.2": "Основное общее образование",
    "1.1.3": "Среднее общее образование",
}
_SUBJECT_AREAS = {
    "1.1.1.1": "Русский язык и литературное чтение",
    "1.1.1.2": "Иностранный язык",
    "1.1.1.3": "Математика и информатика",
    "1.1.1.4": "Обществознание и естествознание («Окружающий мир»)",
    "1.1.1.5": "Искусство",
    "1.1.1.6": "Технология",
    "1.1.2.1": "Русский язык и литература",
    "1.1.2.2": "Иностранные языки",
    "1.1.2.3": "Математика и информатика",
    "1.1.2.4": "Общественно-научные предметы",
    "1.1.2.5": "Естественно-научные предметы",
    "1.1.2.6": "Искусство",
    "1.1.2.7": "Технология",
    "1.1.2.8": "Основы безопасности и защиты Родины",
    "1.1.3.1": "Русский язык и литература",
    "1.1.3.2": "Иностранные языки",
    "1.1.3.3": "Математика и информатика",
    "1.1.3.4": "Общественно-научные предметы",
    "1.1.3.5": "Естественно-научные предметы",
    "1.1.3.6": "Основы безопасности и защиты Родины",
}
_PART = (
    "Учебники, допущенные к использованию при реализации обязательной части основной "
    "образовательной программы"
)

_RUSSIAN_HISTORY = {
    6: "С древнейших времён до начала XVI века",
    7: "XVI — конец XVII века",
    8: "Конец XVII — XVIII век",
    9: "XIX — начало XX века",
    10: "1914–1945 годы",
    11: "1945 год — начало XXI века",
}
_WORLD_HISTORY = {
    5: "История Древнего мира",
    6: "История Средних веков",
    7: "История Нового времени. Конец XV — XVII век",
    8: "История Нового времени. XVIII век",
    9: "История Нового времени. XIX — начало XX века",
    10: "Новейшая история. 1914–1945 годы",
    11: "Новейшая история. 1945 год — начало XXI века",
}

_Grades = int | tuple[int, int]  # one grade, or the first and last of a range


@dataclass(frozen=True)
class _Line:
    """One author team's books in a subject: a book per grade or per range of grades."""

    authors: str
    publisher: str
    grades: tuple[_Grades, ...]
    title: str = ""  # the subject's name unless given: «Азбука»
    topics: Mapping[int, str] | None = None  # a course's topic by grade, for history
    parts: int = 0  # «В 2 частях»
    level: str = BASIC
    order: str = ORDER_2022
    excluded_until: date | None = None  # the newer list excludes the line; usable until then

    def book_title(self, subject: str, first: int, last: int, code: str) -> str:
        words = [self.title or subject]
        if self.topics:
            words.append(self.topics[first])
        words.append(f"{first} класс" if first == last else f"{first}–{last} классы")
        if code.startswith("1.1.3."):  # secondary school names the level in the title
            words.append(f"{LEVEL_LABELS[self.level].capitalize()} уровень")
        if self.parts:
            words.append(f"В {self.parts} частях")
        return ". ".join(words)


_ALGEBRA_AND_ANALYSIS = "Алгебра и начала математического анализа"

# fmt: off
_SUBJECTS: tuple[tuple[str, str, tuple[_Line, ...]], ...] = (
    # Начальное общее образование
    ("1.1.1.1.1", "Русский язык", (
        _Line("Гаврилова О.С., Ершов М.П.", _PROSVESHCHENIE, (1,), title="Азбука", parts=2),
        _Line("Гаврилова О.С., Ершов М.П.", _PROSVESHCHENIE, (1, 2, 3, 4), parts=2),
        _Line("Белоусова Е.М., Тихонов А.Л.", _VENTANA, (1, 2, 3, 4), parts=2),
    )),
    ("1.1.1.1.2", "Литературное чтение", (
        _Line("Миронова С.Е., Голубев С.Л.", _PROSVESHCHENIE, (1, 2, 3, 4), parts=2),
        _Line("Шестакова Н.В.", _VENTANA, (1, 2, 3, 4), parts=2),
    )),
    ("1.1.1.2.1", "Английский язык", (
        _Line("Корнилова А.Д., Харрис Э.", _PROSVESHCHENIE, (2, 3, 4), parts=2),
        _Line("Латышева В.Н., Зуева Е.К.", _DROFA, (2, 3, 4), parts=2),
    )),
    ("1.1.1.2.2", "Немецкий язык", (
        _Line("Фомичёва И.Р., Краузе М.", _PROSVESHCHENIE, (2, 3, 4), parts=2),
    )),
    ("1.1.1.3.1", "Математика", (
        _Line("Прохоров Г.И., Ильина В.Р.", _PROSVESHCHENIE, (1, 2, 3, 4), parts=2),
        _Line("Дьяченко А.М., Назарова Ю.П.", _BINOM, (1, 2, 3, 4), parts=2),
    )),
    ("1.1.1.4.1", "Окружающий мир", (
        _Line("Воронцова Т.Б., Савельев Р.Т.", _PROSVESHCHENIE, (1, 2, 3, 4), parts=2),
        _Line("Крылова О.Н.", _RUSSKOE_SLOVO, (1, 2, 3, 4), parts=2, excluded_until=_UNTIL_2027),
    )),
    ("1.1.1.5.1", "Изобразительное искусство", (
        _Line("Орехова М.С.", _PROSVESHCHENIE, (1, 2, 3, 4)),
    )),
    ("1.1.1.5.2", "Музыка", (
        _Line("Быстрова Д.А., Лаптев К.Ю.", _PROSVESHCHENIE, (1, 2, 3, 4)),
    )),
    ("1.1.1.6.1", "Технология", (
        _Line("Власова Н.И., Щербаков Е.В.", _PROSVESHCHENIE, (1, 2, 3, 4)),
    )),
    # Основное общее образование
    ("1.1.2.1.1", "Русский язык", (
        _Line(
            "Ткаченко Ю.В., Гусева П.А., Рябинин Е.С.", _PROSVESHCHENIE, (5, 6, 7, 8, 9), parts=2
        ),
        _Line("Лаптева М.Ю., Зуев А.К.", _DROFA, (5, 6, 7, 8, 9)),
    )),
    ("1.1.2.1.2", "Литература", (
        _Line("Ершова Л.Г., Кравцова Т.Н.", _PROSVESHCHENIE, (5, 6, 7, 8, 9), parts=2),
        _Line("Голованов В.С.", _RUSSKOE_SLOVO, (5, 6, 7, 8, 9), parts=2),
    )),
    ("1.1.2.2.1", "Английский язык", (
        _Line("Корнилова А.Д., Харрис Э.", _PROSVESHCHENIE, (5, 6, 7, 8, 9)),
        _Line("Латышева В.Н., Зуева Е.К.", _DROFA, (5, 6, 7, 8, 9)),
    )),
    ("1.1.2.2.2", "Немецкий язык", (
        _Line("Фомичёва И.Р., Краузе М.", _PROSVESHCHENIE, (5, 6, 7, 8, 9)),
    )),
    ("1.1.2.3.1", "Математика", (
        _Line("Прохоров Г.И., Ильина В.Р., Шубин А.С.", _PROSVESHCHENIE, (5, 6), parts=2),
        _Line("Дьяченко А.М., Назарова Ю.П.", _MNEMOSYNE, (5, 6), parts=2),
    )),
    ("1.1.2.3.2", "Алгебра", (
        _Line("Шубин А.С., Ильина В.Р.", _PROSVESHCHENIE, (7, 8, 9)),
        _Line("Фролов В.Д., Гончаренко Л.И.", _MNEMOSYNE, (7, 8, 9)),
    )),
    ("1.1.2.3.3", "Геометрия", (
        _Line("Беляев П.С., Орлова Т.И.", _PROSVESHCHENIE, ((7, 9),)),
        _Line("Каменев Ю.А.", _VENTANA, (7, 8, 9)),
    )),
    ("1.1.2.3.4", "Вероятность и статистика", (
        _Line("Савельев Р.Т., Миронов Д.А.", _PROSVESHCHENIE, ((7, 9),), parts=2),
        _Line("Гончаренко Л.И.", _BINOM, ((7, 9),), order=ORDER_FEBRUARY_2024),
    )),
    ("1.1.2.3.5", "Информатика", (
        _Line("Назаров К.Е., Соколовская Т.В.", _BINOM, (7, 8, 9)),
        _Line("Рыбаков А.Н.", _PROSVESHCHENIE, (7, 8, 9), excluded_until=_UNTIL_2025),
    )),
    ("1.1.2.4.1", "История России", (
        _Line(
            "Тарасов М.Г., Белова Н.С., Ермаков В.П.", _PROSVESHCHENIE, (6, 7, 8, 9),
            topics=_RUSSIAN_HISTORY, parts=2, order=ORDER_FEBRUARY_2024,
        ),
    )),
    ("1.1.2.4.2", "Всеобщая история", (
        _Line("Волков А.А., Серова Е.Б.", _PROSVESHCHENIE, (5, 6, 7, 8, 9), topics=_WORLD_HISTORY),
        _Line("Кудрявцева Л.М.", _RUSSKOE_SLOVO, (5, 6, 7, 8, 9), topics=_WORLD_HISTORY),
    )),
    ("1.1.2.4.3", "Обществознание", (
        _Line("Фомин С.В., Якушева Н.Г.", _PROSVESHCHENIE, (6, 7, 8, 9)),
        _Line("Данилов Р.А., Комарова И.В.", _RUSSKOE_SLOVO, (6, 7, 8, 9)),
    )),
    ("1.1.2.4.4", "География", (
        _Line("Полякова Т.Е., Гришин А.В.", _PROSVESHCHENIE, ((5, 6), 7, 8, 9)),
        _Line("Симонов Д.К.", _RUSSKOE_SLOVO, (5, 6, 7, 8, 9)),
    )),
    ("1.1.2.5.1", "Физика", (
        _Line("Зимин Л.В., Тарасова И.М.", _PROSVESHCHENIE, (7, 8, 9)),
        _Line("Соболев Г.Н.", _BINOM, (7, 8, 9)),
    )),
    ("1.1.2.5.2", "Химия", (
        _Line("Крючков Б.А., Никитина В.С.", _PROSVESHCHENIE, (8, 9)),
        _Line("Маслова Е.Р.", _VENTANA, (8, 9)),
    )),
    ("1.1.2.5.3", "Биология", (
        _Line("Лосева Н.П., Журавлёв С.И.", _PROSVESHCHENIE, (5, 6, 7, 8, 9)),
        _Line("Архипова Т.Л.", _VENTANA, (5, 6, 7, 8, 9)),
    )),
    ("1.1.2.6.1", "Изобразительное искусство", (
        _Line("Орехова М.С.", _PROSVESHCHENIE, (5, 6, 7)),
    )),
    ("1.1.2.6.2", "Музыка", (
        _Line("Быстрова Д.А., Лаптев К.Ю.", _PROSVESHCHENIE, (5, 6, 7, 8)),
    )),
    ("1.1.2.7.1", "Технология", (
        _Line("Власова Н.И., Щербаков Е.В.", _PROSVESHCHENIE, (5, 6, 7, (8, 9))),
    )),
    ("1.1.2.8.1", "Основы безопасности и защиты Родины", (
        _Line(
            "Громов В.А., Сидоренко П.Н.", _PROSVESHCHENIE, ((8, 9),), parts=2,
            order=ORDER_FEBRUARY_2024,
        ),
        _Line("Кузьмичёв А.Ю.", _LEGION, (8, 9), order=ORDER_FEBRUARY_2024),
    )),
    # Среднее общее образование
    ("1.1.3.1.1", "Русский язык", (
        _Line("Ткаченко Ю.В., Гусева П.А.", _PROSVESHCHENIE, ((10, 11),)),
        _Line("Лаптева М.Ю., Зуев А.К.", _DROFA, (10, 11)),
    )),
    ("1.1.3.1.2", "Литература", (
        _Line("Ершова Л.Г., Кравцова Т.Н.", _PROSVESHCHENIE, (10, 11), parts=2),
        _Line("Голованов В.С.", _RUSSKOE_SLOVO, (10, 11), parts=2),
    )),
    ("1.1.3.2.1", "Английский язык", (
        _Line("Корнилова А.Д., Харрис Э.", _PROSVESHCHENIE, (10, 11)),
        _Line("Латышева В.Н., Зуева Е.К.", _DROFA, (10, 11)),
    )),
    ("1.1.3.3.1", "Алгебра", (
        _Line("Шубин А.С., Ильина В.Р.", _PROSVESHCHENIE, (10, 11), title=_ALGEBRA_AND_ANALYSIS),
        _Line(
            "Фролов В.Д., Гончаренко Л.И.", _MNEMOSYNE, (10, 11), title=_ALGEBRA_AND_ANALYSIS,
            parts=2, level=ADVANCED,
        ),
        _Line(
            "Белозёров И.К.", _LEGION, ((10, 11),), title=_ALGEBRA_AND_ANALYSIS,
            excluded_until=_UNTIL_2025,
        ),
    )),
    ("1.1.3.3.2", "Геометрия", (
        _Line("Беляев П.С., Орлова Т.И.", _PROSVESHCHENIE, ((10, 11),)),
        _Line("Каменев Ю.А.", _VENTANA, (10, 11), level=ADVANCED),
    )),
    ("1.1.3.3.3", "Информатика", (
        _Line("Назаров К.Е., Соколовская Т.В.", _BINOM, (10, 11)),
        _Line("Назаров К.Е., Соколовская Т.В.", _BINOM, (10, 11), parts=2, level=ADVANCED),
    )),
    ("1.1.3.4.1", "История России", (
        _Line(
            "Тарасов М.Г., Белова Н.С., Ермаков В.П.", _PROSVESHCHENIE, (10, 11),
            topics=_RUSSIAN_HISTORY, order=ORDER_FEBRUARY_2024,
        ),
    )),
    ("1.1.3.4.2", "Всеобщая история", (
        _Line("Волков А.А., Серова Е.Б.", _PROSVESHCHENIE, (10, 11), topics=_WORLD_HISTORY),
    )),
    ("1.1.3.4.3", "Обществознание", (
        _Line("Фомин С.В., Якушева Н.Г.", _PROSVESHCHENIE, (10, 11)),
        _Line("Данилов Р.А., Комарова И.В.", _RUSSKOE_SLOVO, (10, 11)),
    )),
    ("1.1.3.4.4", "География", (
        _Line("Полякова Т.Е., Гришин А.В.", _PROSVESHCHENIE, ((10, 11),)),
        _Line("Симонов Д.К.", _RUSSKOE_SLOVO, (10, 11), level=ADVANCED),
    )),
    ("1.1.3.5.1", "Физика", (
        _Line("Зимин Л.В., Тарасова И.М.", _PROSVESHCHENIE, (10, 11)),
        _Line("Соболев Г.Н.", _BINOM, (10, 11), level=ADVANCED),
    )),
    ("1.1.3.5.2", "Химия", (
        _Line(
            "Крючков Б.А., Никитина В.С.", _PROSVESHCHENIE, (10, 11), excluded_until=_UNTIL_2027
        ),
        _Line("Маслова Е.Р.", _VENTANA, (10, 11), level=ADVANCED),
    )),
    ("1.1.3.5.3", "Биология", (
        _Line("Лосева Н.П., Журавлёв С.И.", _PROSVESHCHENIE, ((10, 11),)),
        _Line("Архипова Т.Л.", _VENTANA, (10, 11)),
        _Line("Журавлёв С.И., Лосева Н.П.", _PROSVESHCHENIE, (10, 11), level=ADVANCED),
    )),
    ("1.1.3.6.1", "Основы безопасности и защиты Родины", (
        _Line(
            "Громов В.А., Сидоренко П.Н.", _PROSVESHCHENIE, ((10, 11),), parts=2,
            order=ORDER_FEBRUARY_2024,
        ),
        _Line("Кузьмичёв А.Ю.", _LEGION, (10, 11), order=ORDER_FEBRUARY_2024),
    )),
)
# fmt: on


def _build() -> tuple[tuple[FpuEntry, ...], dict[str, date]]:
    """The entries and the limit dates of excluded ones.

    A code is the subject's section, the line's number within the subject and the book's
    running number within the subject: 1.1.2.3.3.2.4 is the fourth book on geometry in basic
    general education, from its second line.
    """
    entries: list[FpuEntry] = []
    limit_dates: dict[str, date] = {}
    for subject_code, subject, lines in _SUBJECTS:
        number = 0
        for line_number, line in enumerate(lines, start=1):
            for grades in line.grades:
                number += 1
                first, last = grades if isinstance(grades, tuple) else (grades, grades)
                code = f"{subject_code}.{line_number}.{number}"
                entries.append(
                    FpuEntry(
                        code=code,
                        subject=subject,
                        title=line.book_title(subject, first, last, code),
                        authors=line.authors,
                        grade_from=first,
                        grade_to=last,
                        publisher=line.publisher,
                        level=line.level,
                        order=line.order,
                    )
                )
                if line.excluded_until is not None:
                    limit_dates[code] = line.excluded_until
    return tuple(entries), limit_dates


SAMPLE_ENTRIES, LIMIT_DATES = _build()
# Textbooks the newer list leaves out; LIMIT_DATES says until when each may still be used.
EXCLUDED_IN_2024: frozenset[str] = frozenset(LIMIT_DATES)

# What else the newer list changes: two titles, as the Ministry renamed the courses of
# mathematics, and three new textbooks.
NEWER_TITLES: dict[str, str] = {
    "1.1.2.3.3.1.1": "Математика. Геометрия. 7–9 классы",
    "1.1.2.3.4.1.1": "Математика. Вероятность и статистика. 7–9 классы. В 2 частях",
}
NEWER_ADDITIONS: tuple[FpuEntry, ...] = (
    FpuEntry(
        code="1.1.3.3.4.1.1",
        subject="Вероятность и статистика",
        title="Вероятность и статистика. 10–11 классы. Базовый уровень",
        authors="Савельев Р.Т., Миронов Д.А.",
        grade_from=10,
        grade_to=11,
        publisher=_PROSVESHCHENIE,
        level=BASIC,
        order=ORDER_MAY_2024,
    ),
    *(
        FpuEntry(
            code=f"1.1.3.5.2.3.{number}",
            subject="Химия",
            title=f"Химия. {grade} класс. Базовый уровень",
            authors="Никитина В.С., Рожков Т.А.",
            grade_from=grade,
            grade_to=grade,
            publisher=_PROSVESHCHENIE,
            level=BASIC,
            order=ORDER_MAY_2024,
        )
        for number, grade in ((5, 10), (6, 11))
    ),
)
NEWER_ENTRIES: tuple[FpuEntry, ...] = tuple(
    sorted(
        (
            *(
                replace(entry, title=NEWER_TITLES.get(entry.code, entry.title))
                for entry in SAMPLE_ENTRIES
                if entry.code not in EXCLUDED_IN_2024
            ),
            *NEWER_ADDITIONS,
        ),
        key=lambda entry: code_sort_key(entry.code),
    )
)


# --- files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    cells: tuple[object, ...]  # text, whole numbers and dates
    kind: str  # "numbers" (the row of column numbers), "section" or "entry"


def _rows(entries: Iterable[FpuEntry]) -> Iterator[_Row]:
    """The table under the header: the column numbers, then entries under their sections."""
    yield _Row(tuple(range(1, len(HEADER) + 1)), "numbers")
    yield _Row(("1", _PART), "section")
    current = ("", "", "")
    for entry in entries:
        parts = entry.code.split(".")
        level, area, subject = (".".join(parts[:size]) for size in (3, 4, 5))
        if level != current[0] and level in _LEVELS_OF_EDUCATION:
            yield _Row((level, _LEVELS_OF_EDUCATION[level]), "section")
        if area != current[1] and area in _SUBJECT_AREAS:
            yield _Row((area, f"{_SUBJECT_AREAS[area]} (предметная область)"), "section")
        if subject != current[2]:
            yield _Row((subject, f"{entry.subject} (учебный предмет)"), "section")
        current = (level, area, subject)
        # One grade is a number in the official file, a range is text.
        grades = entry.grade_from if entry.grade_from == entry.grade_to else entry.grades
        cells = (
            entry.code,
            entry.title,
            entry.authors,
            grades,
            entry.publisher,
            LEVEL_LABELS[entry.level],
            entry.order,
            entry.limit_date or "",
        )
        yield _Row(cells, "entry")


def sample_xlsx(entries: Iterable[FpuEntry] = SAMPLE_ENTRIES, *, title: str = TITLE) -> bytes:
    """The entries as an XLSX laid out like the appendix to the order."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False}) as workbook:
        sheet = workbook.add_worksheet(SHEET_NAME)
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "border": 1}
        caption = workbook.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "border": 0}
        )
        header = workbook.add_format({**base, "bold": True, "align": "center", "text_wrap": True})
        section = workbook.add_format({**base, "bold": True})
        text = workbook.add_format({**base, "text_wrap": True})
        centred = workbook.add_format({**base, "align": "center"})
        day = workbook.add_format({**base, "align": "center", "num_format": "dd.mm.yyyy"})

        for column, width in enumerate(_COLUMN_WIDTHS):
            sheet.set_column(column, column, width)
        last_column = len(HEADER) - 1
        sheet.merge_range(0, 0, 0, last_column, title, caption)
        sheet.set_row(0, 48)
        sheet.write_row(2, 0, HEADER, header)
        sheet.freeze_panes(4, 0)  # below the header and the column numbers

        for index, row in enumerate(_rows(entries), start=3):
            if row.kind == "numbers":
                sheet.write_row(index, 0, row.cells, centred)
                continue
            if row.kind == "section":
                sheet.write_string(index, 0, str(row.cells[0]), section)
                sheet.merge_range(index, 1, index, last_column, str(row.cells[1]), section)
                continue
            for column, value in enumerate(row.cells):
                if isinstance(value, date):
                    sheet.write_datetime(index, column, value, day)
                elif isinstance(value, int):
                    sheet.write_number(index, column, value, centred)
                elif value == "":
                    sheet.write_blank(index, column, None, text)
                else:  # the code too: written as a number or a date, it would not be a code
                    sheet.write_string(index, column, str(value), centred if column == 0 else text)
    return buffer.getvalue()


def sample_csv(entries: Iterable[FpuEntry] = SAMPLE_ENTRIES, *, title: str = TITLE) -> bytes:
    """The same table as CSV the way Russian Excel saves it: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow([])
    writer.writerow(HEADER)
    for row in _rows(entries):
        writer.writerow(
            value.strftime("%d.%m.%Y") if isinstance(value, date) else value for value in row.cells
        )
    return buffer.getvalue().encode("utf-8-sig")


def newer_sample_xlsx() -> bytes:
    """The newer list: without EXCLUDED_IN_2024, with NEWER_TITLES and NEWER_ADDITIONS."""
    return sample_xlsx(NEWER_ENTRIES, title=NEWER_TITLE)
