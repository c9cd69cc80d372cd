import pytest

from bibliomo.lib.names import full_name_in_case, guess_gender, initials_in_case


@pytest.mark.parametrize(
    ("last_name", "first_name", "patronymic", "expected"),
    [
        ("Леонтьева", "Эльвира", "Викторовна", "Леонтьевой Эльвире Викторовне"),
        ("Никитенко", "Татьяна", "Геннадьевна", "Никитенко Татьяне Геннадьевне"),
        ("Венкова", "Галина", "Владимировна", "Венковой Галине Владимировне"),
        ("Белая", "Ольга", "Ивановна", "Белой Ольге Ивановне"),
        ("Гладкая", "Вера", "Ильинична", "Гладкой Вере Ильиничне"),
        ("Черных", "Любовь", "Петровна", "Черных Любови Петровне"),
        ("Долгих", "Светлана", "Васильевна", "Долгих Светлане Васильевне"),
        ("Иванова-Петрова", "Наталья", "Юрьевна", "Ивановой-Петровой Наталье Юрьевне"),
        ("Королёва", "Алёна", "Фёдоровна", "Королёвой Алёне Фёдоровне"),
        ("Ковальчук", "Ирина", "Олеговна", "Ковальчук Ирине Олеговне"),
        ("Соколова", "Софья", "Павловна", "Соколовой Софье Павловне"),
        ("Давыдова", "Мария", "Кузьминична", "Давыдовой Марии Кузьминичне"),
        ("Иванов", "Пётр", "Сергеевич", "Иванову Петру Сергеевичу"),
        ("Толстой", "Никита", "Львович", "Толстому Никите Львовичу"),
        ("Гладкий", "Илья", "Фомич", "Гладкому Илье Фомичу"),
        ("Черных", "Лев", "Ильич", "Черных Льву Ильичу"),
        ("Тищенко", "Денис", "Олегович", "Тищенко Денису Олеговичу"),
        ("Семёнов", "Семён", "Семёнович", "Семёнову Семёну Семёновичу"),
        ("Кузьмин", "Фома", "Кузьмич", "Кузьмину Фоме Кузьмичу"),
        ("Лебедь", "Игорь", "Павлович", "Лебедю Игорю Павловичу"),
        ("Бонч-Бруевич", "Владимир", "Дмитриевич", "Бонч-Бруевичу Владимиру Дмитриевичу"),
        ("Цой", "Виктор", "Робертович", "Цою Виктору Робертовичу"),
        ("Алиев", "Рашид", "Гейдар оглы", "Алиеву Рашиду Гейдар оглы"),
    ],
)
def test_full_name_in_dative(last_name, first_name, patronymic, expected):
    assert full_name_in_case(last_name, first_name, patronymic, "dative") == expected


@pytest.mark.parametrize(
    ("case", "woman", "man"),
    [
        ("nominative", "Белая Ольга Ивановна", "Толстой Никита Львович"),
        ("genitive", "Белой Ольги Ивановны", "Толстого Никиты Львовича"),
        ("dative", "Белой Ольге Ивановне", "Толстому Никите Львовичу"),
        ("accusative", "Белую Ольгу Ивановну", "Толстого Никиту Львовича"),
        ("instrumental", "Белой Ольгой Ивановной", "Толстым Никитой Львовичем"),
        ("prepositional", "Белой Ольге Ивановне", "Толстом Никите Львовиче"),
    ],
)
def test_every_case_for_adjective_surnames(case, woman, man):
    assert full_name_in_case("Белая", "Ольга", "Ивановна", case) == woman
    assert full_name_in_case("Толстой", "Никита", "Львович", case) == man


def test_soft_sign_feminine_name_keeps_its_accusative():
    assert full_name_in_case("Черных", "Любовь", "Петровна", "accusative") == (
        "Черных Любовь Петровну"
    )
    assert full_name_in_case("Черных", "Любовь", "Петровна", "instrumental") == (
        "Черных Любовью Петровной"
    )


def test_missing_patronymic_is_left_out():
    assert full_name_in_case("Иванова", "Анна", "", "genitive") == "Ивановой Анны"
    assert full_name_in_case("Смирнов", "Олег", "", "instrumental") == "Смирновым Олегом"


def test_capitalisation_and_spacing_are_kept():
    assert full_name_in_case("ИВАНОВА", "ОЛЬГА", "ПЕТРОВНА", "dative") == (
        "ИВАНОВОЙ ОЛЬГЕ ПЕТРОВНЕ"
    )
    assert full_name_in_case(" Иванова ", "Ольга ", "", "dative") == "Ивановой Ольге"


def test_names_without_a_russian_pattern_stay_as_written():
    assert full_name_in_case("Гарсиа", "Мария", "", "dative") == "Гарсиа Марии"
    assert full_name_in_case("Цулукидзе", "Нино", "", "dative", gender="female") == (
        "Цулукидзе Нино"
    )
    assert full_name_in_case("Дюма", "Александр", "", "dative", gender="male") == (
        "Дюма Александру"
    )


def test_explicit_gender_decides_surnames_worn_by_both():
    assert full_name_in_case("Ковальчук", "Саша", "", "dative", gender="male") == (
        "Ковальчуку Саше"
    )
    assert full_name_in_case("Ковальчук", "Саша", "", "dative", gender="female") == (
        "Ковальчук Саше"
    )


def test_unknown_gender_leaves_the_name_in_the_nominative():
    # Better undeclined than wrongly declined: a person reviews the certificate anyway.
    assert full_name_in_case("Ким", "Саша", "", "dative") == "Ким Саша"


def test_surname_tells_the_gender_when_nothing_else_does():
    assert full_name_in_case("Иванова", "Саша", "", "dative") == "Ивановой Саше"


def test_unknown_case_is_a_programming_error():
    with pytest.raises(ValueError, match="ablative"):
        full_name_in_case("Иванов", "Иван", "Иванович", "ablative")


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        (("Леонтьева", "Эльвира", "Викторовна"), "dative", "Леонтьевой Э.В."),
        (("Никитенко", "Татьяна", "Геннадьевна"), "genitive", "Никитенко Т.Г."),
        (("Иванов", "Пётр", "Сергеевич"), "instrumental", "Ивановым П.С."),
        (("Толстой", "Никита", ""), "dative", "Толстому Н."),
        (("Венкова", "Галина", "Владимировна"), "nominative", "Венкова Г.В."),
    ],
)
def test_initials_in_case(name, case, expected):
    assert initials_in_case(*name, case) == expected


@pytest.mark.parametrize(
    ("first_name", "patronymic", "expected"),
    [
        ("Эльвира", "Викторовна", "female"),
        ("Вера", "Ильинична", "female"),
        ("Айгюль", "Рашид кызы", "female"),
        ("Пётр", "Сергеевич", "male"),
        ("Лев", "Ильич", "male"),
        ("Рашид", "Гейдар оглы", "male"),
        # The patronymic outweighs a first name that looks the other way.
        ("Саша", "Петровна", "female"),
        ("Никита", "", "male"),
        ("Илья", "", "male"),
        ("Фома", "", "male"),
        ("Любовь", "", "female"),
        ("Нинель", "", "female"),
        ("Алёна", "", "female"),
        ("Олег", "", "male"),
        ("Алексей", "", "male"),
        ("Саша", "", None),
        ("Женя", "", None),
        ("Нелли", "", None),
        ("", "", None),
    ],
)
def test_guess_gender(first_name, patronymic, expected):
    assert guess_gender(first_name, patronymic) == expected
