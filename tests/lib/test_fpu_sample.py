import io
import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date

import openpyxl

from bibliomo.demo.fpu_sample import (
    EXCLUDED_IN_2024,
    HEADER,
    LIMIT_DATES,
    NEWER_ADDITIONS,
    NEWER_ENTRIES,
    NEWER_TITLES,
    ORDER_2022,
    ORDER_FEBRUARY_2024,
    SAMPLE_ENTRIES,
    newer_sample_xlsx,
    sample_csv,
    sample_xlsx,
)
from bibliomo.lib.fpu import ADVANCED, BASIC, code_sort_key, diff_catalogue, read_fpu

CODES = [entry.code for entry in SAMPLE_ENTRIES]
# Primary, basic general and secondary education, by the third part of the code.
GRADES_OF_LEVEL = {"1": range(1, 5), "2": range(5, 10), "3": range(10, 12)}


# --- the entries ----------------------------------------------------------------------------


def test_about_two_hundred_entries_with_unique_codes_in_the_lists_order():
    assert 180 <= len(SAMPLE_ENTRIES) <= 250
    assert len(set(CODES)) == len(CODES)
    assert sorted(CODES, key=code_sort_key) == CODES


def test_codes_follow_the_official_pattern_and_the_level_of_education():
    for entry in SAMPLE_ENTRIES:
        assert re.fullmatch(r"1\.1\.[123](?:\.\d+){4}", entry.code), entry.code
        grades = GRADES_OF_LEVEL[entry.code.split(".")[2]]
        assert entry.grade_from in grades and entry.grade_to in grades, entry
        assert entry.grade_from <= entry.grade_to


def test_every_grade_has_russian_and_mathematics_and_the_main_subjects_are_there():
    subjects_by_grade = defaultdict(set)
    for entry in SAMPLE_ENTRIES:
        for grade in range(entry.grade_from, entry.grade_to + 1):
            subjects_by_grade[grade].add(entry.subject)

    assert sorted(subjects_by_grade) == list(range(1, 12))
    mathematics = {"Математика", "Алгебра"}
    for grade, subjects in subjects_by_grade.items():
        assert "Русский язык" in subjects, grade
        assert subjects & mathematics, grade
    assert {
        "Литературное чтение",
        "Литература",
        "Геометрия",
        "Вероятность и статистика",
        "Английский язык",
        "Немецкий язык",
        "История России",
        "Всеобщая история",
        "Обществознание",
        "География",
        "Биология",
        "Физика",
        "Химия",
        "Информатика",
        "Окружающий мир",
        "Основы безопасности и защиты Родины",
        "Музыка",
        "Изобразительное искусство",
        "Технология",
    } <= {entry.subject for entry in SAMPLE_ENTRIES}


def test_popular_subjects_have_competing_lines_from_different_publishers():
    for subject, first_grade in [
        ("Русский язык", 1),
        ("Русский язык", 5),
        ("Математика", 1),
        ("Английский язык", 5),
        ("Биология", 5),
        ("Физика", 10),
    ]:
        books = [
            entry
            for entry in SAMPLE_ENTRIES
            if entry.subject == subject and entry.grade_from == first_grade
        ]
        assert len({entry.authors for entry in books}) >= 2, subject
        assert len({entry.publisher for entry in books}) >= 2, subject


def test_mostly_one_book_per_grade_some_ranges_and_both_levels_in_secondary_school():
    ranges = [entry for entry in SAMPLE_ENTRIES if entry.grade_from != entry.grade_to]
    assert 5 <= len(ranges) <= len(SAMPLE_ENTRIES) // 10
    assert {
        entry.level
        for entry in SAMPLE_ENTRIES
        if entry.subject == "Алгебра" and entry.grade_from >= 10
    } == {
        BASIC,
        ADVANCED,
    }
    assert all(entry.level == BASIC for entry in SAMPLE_ENTRIES if entry.grade_to <= 9)
    for entry in SAMPLE_ENTRIES:
        if entry.grade_from >= 10:
            expected = "Углублённый уровень" if entry.level == ADVANCED else "Базовый уровень"
            assert expected in entry.title, entry


def test_most_entries_come_from_the_2022_order_and_some_from_2024():
    orders = Counter(entry.order for entry in SAMPLE_ENTRIES)

    assert set(orders) == {ORDER_2022, ORDER_FEBRUARY_2024}
    assert orders[ORDER_2022] > len(SAMPLE_ENTRIES) * 3 // 4
    assert orders[ORDER_FEBRUARY_2024] >= 5


def test_texts_are_tidy():
    for entry in SAMPLE_ENTRIES:
        for text in (entry.subject, entry.title, entry.authors, entry.publisher):
            assert text == " ".join(text.split()) and text, entry
        assert re.fullmatch(
            r"[А-ЯЁ][а-яё-]+ [А-Я]\.(?:[А-Я]\.)?(?:, [А-ЯЁ][а-яё-]+ [А-Я]\.(?:[А-Я]\.)?)*",
            entry.authors,
        ), entry
        assert entry.title.startswith(entry.subject) or entry.subject in {
            "Русский язык",
            "Алгебра",
        }, entry
        assert entry.limit_date is None


def test_about_ten_entries_are_excluded_in_2024_with_limit_dates():
    assert 8 <= len(EXCLUDED_IN_2024) <= 12
    assert EXCLUDED_IN_2024.issubset(CODES)
    assert set(LIMIT_DATES) == EXCLUDED_IN_2024
    assert set(LIMIT_DATES.values()) == {date(2025, 8, 31), date(2027, 8, 31)}


# --- the files ------------------------------------------------------------------------------


def test_the_xlsx_reads_back_as_the_sample():
    assert tuple(read_fpu(sample_xlsx(), "fpu.xlsx")) == SAMPLE_ENTRIES


def test_the_csv_reads_back_as_the_sample():
    assert tuple(read_fpu(sample_csv(), "fpu.csv")) == SAMPLE_ENTRIES


def test_limit_dates_read_back_from_both_files():
    with_limits = tuple(
        replace(entry, limit_date=LIMIT_DATES.get(entry.code)) for entry in SAMPLE_ENTRIES
    )

    assert tuple(read_fpu(sample_xlsx(with_limits), "fpu.xlsx")) == with_limits
    assert tuple(read_fpu(sample_csv(with_limits), "fpu.csv")) == with_limits


def test_the_xlsx_is_laid_out_like_the_appendix_to_the_order():
    sheet = openpyxl.load_workbook(io.BytesIO(sample_xlsx())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(max_row=9)]

    assert sheet.title == "ФПУ"
    assert "A1:H1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert rows[0][0].startswith("Федеральный перечень учебников")
    assert rows[1] == [None] * len(HEADER)
    assert tuple(rows[2]) == HEADER
    assert rows[3] == list(range(1, len(HEADER) + 1))
    assert rows[5][:2] == ["1.1.1", "Начальное общее образование"]
    assert rows[6][:2] == ["1.1.1.1", "Русский язык и литературное чтение (предметная область)"]
    assert rows[7][:2] == ["1.1.1.1.1", "Русский язык (учебный предмет)"]
    assert rows[8] == [
        "1.1.1.1.1.1.1",
        "Азбука. 1 класс. В 2 частях",
        "Гаврилова О.С., Ершов М.П.",
        1,
        "Просвещение",
        "базовый",
        "№ 858 от 21.09.2022",
        None,
    ]


def test_the_csv_is_what_russian_excel_saves():
    data = sample_csv()
    lines = data.decode("utf-8-sig").split("\r\n")

    assert data.startswith(b"\xef\xbb\xbf")
    assert lines[2] == ";".join(HEADER)
    assert (
        "1.1.3.3.1.3.5;Алгебра и начала математического анализа. 10–11 классы. Базовый уровень;"
        "Белозёров И.К.;10–11;Легион;базовый;№ 858 от 21.09.2022;"
    ) in lines


# --- the newer list -------------------------------------------------------------------------


def test_the_newer_list_drops_the_excluded_renames_two_and_adds_three():
    assert set(NEWER_TITLES) <= set(CODES) - EXCLUDED_IN_2024
    assert len(NEWER_TITLES) == 2 and len(NEWER_ADDITIONS) == 3
    assert not {entry.code for entry in NEWER_ADDITIONS} & set(CODES)

    newer = read_fpu(newer_sample_xlsx(), "fpu-2024.xlsx")
    assert tuple(newer) == NEWER_ENTRIES

    diff = diff_catalogue({entry.code: entry for entry in SAMPLE_ENTRIES}, newer)
    assert diff.removed == sorted(EXCLUDED_IN_2024, key=code_sort_key)
    assert diff.changed == [
        (code, ["наименование"]) for code in sorted(NEWER_TITLES, key=code_sort_key)
    ]
    assert diff.added == sorted((entry.code for entry in NEWER_ADDITIONS), key=code_sort_key)


def test_re_importing_the_same_list_changes_nothing():
    newer = read_fpu(newer_sample_xlsx(), "fpu-2024.xlsx")

    assert diff_catalogue({entry.code: entry for entry in newer}, newer).unchanged
