"""Problems in a filled provision workbook: each reported at its sheet, row and column."""

from dataclasses import replace
from datetime import date

import pytest

from bibliomo.lib.provision_workbook import (
    WorkbookError,
    WorkbookProblem,
    write_workbook,
)
from tests.lib.provision_workbook_cases import (
    CATALOGUE,
    COMPLEX,
    MATHS_5,
    SCHOOL,
    data_of,
    edited,
    filled,
    only_problem,
    places,
    problems_of,
    read,
)

# --- problems in the data -------------------------------------------------------------------

NEXT_YEAR = date.today().year + 1


def test_a_negative_count_is_reported_at_its_sheet_row_and_column():
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), {"Фонд": {"D4": -3}}))

    assert problem == WorkbookProblem(
        "Фонд", 4, "Экземпляров", "число экземпляров не может быть отрицательным.", "-3"
    )
    assert str(problem) == (
        "Лист «Фонд», строка 4, столбец «Экземпляров»: "
        "«-3» — число экземпляров не может быть отрицательным."
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"УМК": {"B4": "1.1.2.4.1.1"}},
            (
                "УМК",
                4,
                "Код учебника",
                "«1.1.2.4.1.1» — такого кода нет в федеральном перечне учебников; выберите код "
                "из списка.",
            ),
        ),
        (
            {"Фонд": {"A3": "9.9.9"}},
            (
                "Фонд",
                3,
                "Код учебника",
                "«9.9.9» — такого кода нет в федеральном перечне учебников; выберите код из "
                "списка.",
            ),
        ),
        (
            {"УМК": {"A6": 6}, "Контингент": {"A5": 6}},
            (
                "УМК",
                6,
                "Класс",
                "«6» — учебник «Алгебра. 7–9 классы» (1.1.3.4.1.2.1) предназначен для 7–9 классов.",
            ),
        ),
        (
            {"УМК": {"A5": 7, "D5": 25}},
            (
                "УМК",
                5,
                "Класс",
                "«7» — учебник «Английский язык. 5 класс» (1.1.2.2.1.1.10) предназначен для 5 "
                "класса.",
            ),
        ),
        (
            {"УМК": {"D3": "пятьдесят"}},
            (
                "УМК",
                3,
                "Обучающихся",
                "«пятьдесят» — это не число; укажите число обучающихся цифрами.",
            ),
        ),
        (
            {"Контингент": {"D3": 1.5}},
            ("Контингент", 3, "Классов", "«1,5» — число классов должно быть целым."),
        ),
        (
            {"Контингент": {"D3": None}},
            ("Контингент", 3, "Классов", "не указано число классов."),
        ),
        (
            {"Контингент": {"A3": "первый"}},
            ("Контингент", 3, "Класс", "«первый» — это не номер класса; укажите число от 1 до 11."),
        ),
        (
            {"Контингент": {"A5": 12}},
            ("Контингент", 5, "Класс", "«12» — класс должен быть от 1 до 11."),
        ),
        (
            {"Контингент": {"C5": 1, "D5": 25}},
            (
                "Контингент",
                5,
                "Классов",
                "«25» — классов больше, чем обучающихся (1). Не перепутаны ли столбцы?",
            ),
        ),
        (
            {"Фонд": {"E6": 20, "F6": 15}},
            (
                "Фонд",
                6,
                "Экземпляров",
                "«30» — меньше, чем испорченных и утерянных вместе (20 + 15). Испорченные и "
                "утерянные экземпляры входят в число экземпляров.",
            ),
        ),
        (
            {"Фонд": {"C4": NEXT_YEAR}},
            ("Фонд", 4, "Год поступления", f"«{NEXT_YEAR}» — этот год ещё не наступил."),
        ),
        (
            {"Фонд": {"C4": 1985}},
            (
                "Фонд",
                4,
                "Год поступления",
                "«1985» — год поступления должен быть не раньше 1990.",
            ),
        ),
        (
            {"Фонд": {"C4": "позапрошлый"}},
            (
                "Фонд",
                4,
                "Год поступления",
                "«позапрошлый» — это не год; укажите год поступления цифрами, например 2021.",
            ),
        ),
        (
            {"Списание": {"C3": "списали"}},
            (
                "Списание",
                3,
                "Причина",
                "«списали» — такой причины нет; выберите из списка: утеря, порча, истёк срок "
                "использования, другое.",
            ),
        ),
        (
            {"Списание": {"E3": "31.02.2024"}},
            (
                "Списание",
                3,
                "Дата акта",
                "«31.02.2024» — это не дата; укажите дату акта в виде ДД.ММ.ГГГГ.",
            ),
        ),
        (
            {"Списание": {"E3": date(NEXT_YEAR, 1, 1)}},
            (
                "Списание",
                3,
                "Дата акта",
                f"«01.01.{NEXT_YEAR}» — эта дата ещё не наступила.",
            ),
        ),
        (
            {"Списание": {"E4": None}},
            ("Списание", 4, "Дата акта", "не указана дата акта."),
        ),
        (
            {"Списание": {"D4": "  "}},
            ("Списание", 4, "Номер акта", "не указан номер акта."),
        ),
        (
            {"Списание": {"D4": "7/1 от 10.06.2024, утверждён директором МОУ «СОШ № 5»"}},
            (
                "Списание",
                4,
                "Номер акта",
                "«7/1 от 10.06.2024, утверждён директором МОУ «СОШ № 5»» — номер акта длиннее 40 "
                "знаков; укажите только номер.",
            ),
        ),
        (
            {"Списание": {"B4": 0}},
            (
                "Списание",
                4,
                "Экземпляров",
                "«0» — число списанных экземпляров должно быть больше нуля.",
            ),
        ),
        (
            {"Контингент": {"B3": "Корпус 1"}},
            (
                "Контингент",
                3,
                "Корпус",
                "«Корпус 1» — у школы один корпус, оставьте этот столбец пустым.",
            ),
        ),
    ],
)
def test_each_problem_is_reported_where_it_is(cells, expected):
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), cells))

    assert (problem.sheet, problem.row, problem.column, problem.text) == expected


def test_pupils_of_a_line_cannot_outnumber_the_grade():
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), {"УМК": {"D4": 60}}))

    assert problem == WorkbookProblem(
        "УМК",
        4,
        "Обучающихся",
        "«60» — больше, чем обучающихся в 5 классе по листу «Контингент» (54).",
    )


def test_a_grade_with_textbooks_needs_a_row_on_the_enrolment_sheet():
    cleared = {"A4": None, "C4": None, "D4": None}
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": cleared})

    assert only_problem(data) == WorkbookProblem(
        "Контингент",
        None,
        None,
        "нет строки для 5 класса, а на листе «УМК» для него указаны учебники (строки 4, 5).",
    )


def test_a_grade_with_textbooks_needs_pupils():
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": {"C3": 0, "D3": 0}})

    assert only_problem(data) == WorkbookProblem(
        "Контингент",
        3,
        "Обучающихся",
        "«0» — в 1 классе нет обучающихся, а на листе «УМК» для него указаны учебники (строка 3).",
    )


def test_lines_are_not_checked_against_an_enrolment_with_its_own_errors():
    # The grade-5 row cannot be read; reporting its lines as having no pupils would be noise.
    data = edited(write_workbook(SCHOOL, CATALOGUE), {"Контингент": {"C4": "много"}})

    assert places(problems_of(data)) == [("Контингент", 4, "Обучающихся")]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"Контингент": {"A6": 5, "C6": 3, "D6": 1}},
            (
                "Контингент",
                6,
                "Класс",
                "«5» — 5 класс уже указан в строке 4. Параллель указывается одной строкой: "
                "сложите обучающихся и классы.",
            ),
        ),
        (
            {"УМК": {"A7": "5", "B7": MATHS_5.code, "D7": 4}},
            (
                "УМК",
                7,
                "Код учебника",
                f"«{MATHS_5.code}» — этот учебник для 5 класса уже указан в строке 4. Сложите "
                "обучающихся в одну строку.",
            ),
        ),
        (
            {"Фонд": {"A7": f"{MATHS_5.code}.", "C7": "2022", "D7": 4}},
            (
                "Фонд",
                7,
                "Год поступления",
                "«2022» — поступление этого учебника в 2022 году уже указано в строке 4. Сложите "
                "экземпляры в одну строку.",
            ),
        ),
    ],
)
def test_duplicated_rows(cells, expected):
    problem = only_problem(edited(write_workbook(SCHOOL, CATALOGUE), cells))

    assert (problem.sheet, problem.row, problem.column, problem.text) == expected


def test_buildings_must_be_the_schools():
    data = edited(
        write_workbook(COMPLEX, CATALOGUE),
        {"Контингент": {"B3": "Корпус 3", "B4": None}, "Фонд": {"B3": "ignored"}},
    )

    problems = problems_of(data, school_id=9)

    assert [str(problem) for problem in problems] == [
        "Лист «Контингент», строка 3, столбец «Корпус»: «Корпус 3» — такого корпуса у школы нет; "
        "выберите из списка: «Корпус на Ленина, 5», «Корпус 2».",
    ]


def test_a_blank_building_means_the_whole_school():
    whole_school = replace(
        COMPLEX,
        enrolment=SCHOOL.enrolment,
    )

    assert read(write_workbook(whole_school, CATALOGUE), school_id=9) == data_of(whole_school)


def test_a_grade_both_for_the_whole_school_and_by_building_is_refused():
    data = edited(write_workbook(COMPLEX, CATALOGUE), {"Контингент": {"B4": None}})

    (problem,) = problems_of(data, school_id=9)

    assert str(problem) == (
        "Лист «Контингент», строка 3, столбец «Корпус»: «Корпус на Ленина, 5» — 1 класс уже "
        "указан в строке 4 без корпуса — для всей школы. Укажите параллель либо по корпусам, "
        "либо одной строкой для всей школы."
    )


def test_the_buildings_given_by_the_caller_win_over_the_templates():
    data = write_workbook(COMPLEX, CATALOGUE)

    problems = problems_of(data, school_id=9, buildings=["Корпус 2"])

    assert places(problems) == [("Контингент", 3, "Корпус")]


def test_every_problem_is_collected_in_file_order():
    data = edited(
        write_workbook(SCHOOL, CATALOGUE),
        {
            "Списание": {"C4": "сгорел"},
            "УМК": {"B6": "нет такого", "A3": 0},
            "Фонд": {"D3": -1, "C6": 2100},
            "Контингент": {"D5": "x"},
        },
    )

    assert places(problems_of(data)) == [
        ("Контингент", 5, "Классов"),
        ("УМК", 3, "Класс"),
        ("УМК", 6, "Код учебника"),
        ("Фонд", 3, "Экземпляров"),
        ("Фонд", 6, "Год поступления"),
        ("Списание", 4, "Причина"),
    ]


def test_a_long_list_shows_the_first_fifty_and_counts_the_rest():
    rows = [[5, "0.0.0", None, 1] for _ in range(61)]
    data = filled({"Контингент": [[5, None, 30, 1]], "УМК": rows})

    with pytest.raises(WorkbookError) as caught:
        read(data)

    assert len(caught.value.problems) == 61
    assert caught.value.messages == [
        "Лист «УМК», строки 3–63 (всего 61 строка), столбец «Код учебника»: такого кода нет в "
        "федеральном перечне учебников; выберите код из списка (строка 3 — «0.0.0»; строка 4 — "
        "«0.0.0»; строка 5 — «0.0.0», …)."
    ]


def test_a_row_with_only_a_title_is_blank_and_a_row_without_a_code_is_not():
    data = filled({"Фонд": [[None, "Букварь"], [None, None, 2020, 10]]})

    assert places(problems_of(data)) == [("Фонд", 4, "Код учебника")]
