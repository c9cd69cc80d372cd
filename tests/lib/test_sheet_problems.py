from bibliomo.lib.sheet_problems import SheetFileError, SheetProblem, grouped, row_ranges


def test_row_ranges_join_runs_of_three_and_more():
    assert row_ranges([5, 6, 7, 8, 42, 50, 51, 52, 60, 61, 7]) == [
        "5–8",
        "42",
        "50–52",
        "60",
        "61",
    ]


def test_the_same_problem_in_one_column_is_one_message_with_its_rows():
    problems = [
        SheetProblem("Фонд", row, "Экземпляров", "число не может быть отрицательным.", f"-{row}")
        for row in [*range(5, 41), 42, *range(50, 62)]
    ]

    assert grouped(problems) == [
        "Лист «Фонд», строки 5–40, 42, 50–61 (всего 49 строк), столбец «Экземпляров»: число не "
        "может быть отрицательным (строка 5 — «-5»; строка 6 — «-6»; строка 7 — «-7», …)."
    ]


def test_different_problems_and_columns_stay_apart_in_file_order():
    problems = [
        SheetProblem("Фонд", 3, "Код учебника", "не указан код учебника."),
        SheetProblem("Фонд", 3, "Экземпляров", "не указано число экземпляров."),
        SheetProblem("Фонд", 4, "Код учебника", "не указан код учебника."),
        SheetProblem("", None, None, "в файле нет листа «Списание»."),
    ]

    assert grouped(problems) == [
        "Лист «Фонд», строки 3, 4 (всего 2 строки), столбец «Код учебника»: не указан код "
        "учебника.",
        "Лист «Фонд», строка 3, столбец «Экземпляров»: не указано число экземпляров.",
        "В файле нет листа «Списание».",
    ]


def test_more_than_fifty_messages_are_counted_not_listed():
    problems = [SheetProblem("Лист", 2, f"Столбец {n}", "пусто.") for n in range(61)]

    messages = SheetFileError(problems).messages

    assert len(messages) == 51
    assert messages[-1] == "…и ещё 11 ошибок."
