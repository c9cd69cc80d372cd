from __future__ import annotations

import json

import pytest

from bibliomo.plans.responsible import (
    Responsible,
    is_person_name,
    normalise_name,
    normalise_role,
    parse_responsible,
)


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("Методист", ["methodist"]),
        ("методист", ["methodist"]),
        ("Методист-куратор", ["methodist"]),
        ("Методист- куратор", ["methodist"]),
        ("руководитель ММО", ["head"]),
        ("Руководитель методического объединения", ["head"]),
        ("члены ММО", ["members"]),
        ("директор МОУ ДПО УМЦ", ["director"]),
        ("Методист, руководитель ММО", ["methodist", "head"]),
        ("Методист, руководитель ММО, члены ММО", ["methodist", "head", "members"]),
        ("руководитель ММО и члены ММО", ["head", "members"]),
        ("Члены ММО; методист", ["methodist", "members"]),
    ],
)
def test_roles_are_recognised(text: str, roles: list[str]) -> None:
    responsible = parse_responsible(text)

    assert responsible.ordered_roles == roles
    assert responsible.roles == set(roles)
    assert responsible.people == []
    assert not responsible.flagged
    assert responsible.text == text


@pytest.mark.parametrize(
    ("text", "people", "roles"),
    [
        ("Леонтьева Э.В.", ["Леонтьева Э.В."], []),
        ("Г.В. Венкова", ["Г.В. Венкова"], []),
        ("Леонтьева Э. В., Никитенко Т.Г.", ["Леонтьева Э.В.", "Никитенко Т.Г."], []),
        ("Методист Леонтьева Э.В.", ["Леонтьева Э.В."], ["methodist"]),
        ("Никитенко Т.Г. (руководитель ММО)", ["Никитенко Т.Г."], ["head"]),
    ],
)
def test_named_people_are_recognised(text: str, people: list[str], roles: list[str]) -> None:
    responsible = parse_responsible(text)

    assert responsible.people == people
    assert responsible.ordered_roles == roles
    assert not responsible.flagged


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("заместитель директора по УВР", "«заместитель директора по УВР»"),
        ("руководитель ОО", "«руководитель ОО»"),
        ("все желающие", "«все желающие»"),
    ],
)
def test_unknown_parts_are_flagged_and_quoted(text: str, unknown: str) -> None:
    responsible = parse_responsible(text)

    assert responsible.flagged
    assert responsible.flag_reason == f"Не удалось распознать ответственного: {unknown}."
    assert responsible.text == text


def test_known_parts_are_kept_when_another_part_is_not_understood() -> None:
    responsible = parse_responsible("Методист, специалисты ОО")

    assert responsible.roles == {"methodist"}
    assert responsible.flagged
    assert "«специалисты ОО»" in responsible.flag_reason


def test_empty_cell_is_flagged() -> None:
    responsible = parse_responsible("  ")

    assert responsible.flagged
    assert responsible.flag_reason == "Ответственный не указан."


def test_dict_form_survives_json() -> None:
    responsible = parse_responsible("Методист Леонтьева Э.В., члены ММО, гости")

    stored = json.loads(json.dumps(responsible.to_dict()))

    assert stored["roles"] == ["methodist", "members"]
    assert Responsible.from_dict(stored) == responsible


def test_names_are_tidied_but_keep_their_order() -> None:
    assert normalise_name("Леонтьева  Э. В.") == "Леонтьева Э.В."
    assert normalise_name("Г.В.Венкова") == "Г.В. Венкова"
    assert is_person_name("Никитенко Т.Г.")
    assert not is_person_name("Руководитель ММО")


def test_role_titles_get_a_proper_hyphen() -> None:
    assert normalise_role("Методист- куратор") == "Методист-куратор"
    assert normalise_role("Руководитель  ММО") == "Руководитель ММО"
