import io
from datetime import date

import docx
import pytest
from docx.shared import Pt

from bibliomo.lib.minutes import AgendaItem, Minutes, minutes_docx

ASSOCIATION = "Муниципальное методическое объединение педагогов-библиотекарей г.о. Серпухов"
PRESENT = [f"Участница {n}" for n in range(1, 19)]


def meeting(**changes) -> Minutes:
    values = {
        "association_name": ASSOCIATION,
        "organisation": "МОУ ДПО УМЦ",
        "association_genitive": "Муниципального методического объединения "
        "педагогов-библиотекарей г.о. Серпухов",
        "city": "г. Серпухов",
        "number": "3",
        "date": date(2026, 11, 25),
        "place": "МБОУ «Гимназия № 1», ауд. 12",
        "chair": "Никитенко Т.Г.",
        "secretary": "Леонтьева Э.В.",
        "present": PRESENT,
        "absent": ["Петрова М.И.", "Сидорова О.В."],
        "invited": ["Венкова Г.В., директор МОУ ДПО УМЦ"],
        "agenda": [
            AgendaItem(
                title="Об итогах мониторинга обеспеченности учебниками",
                speaker="Леонтьева Э.В., методист",
                heard="Обеспеченность учебниками составила 98,6 %.",
                spoke="Никитенко Т.Г. предложила организовать обмен учебниками.",
                decided="1. Принять информацию к сведению.\n2) Организовать обмен до 01.12.2026.",
            ),
            AgendaItem(
                title="О Международном дне школьных библиотек",
                speaker="Никитенко Т.Г.",
                decided="Провести акцию «Подари книгу».",
            ),
        ],
    }
    return Minutes(**(values | changes))


def lines(minutes: Minutes) -> list[str]:
    document = docx.Document(io.BytesIO(minutes_docx(minutes)))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


def line_starting(minutes: Minutes, prefix: str) -> str:
    (line,) = [text for text in lines(minutes) if text.startswith(prefix)]
    return line


def test_the_minutes_have_the_customary_parts_in_order():
    assert lines(meeting()) == [
        "МОУ ДПО УМЦ",
        "ПРОТОКОЛ",
        "заседания Муниципального методического объединения педагогов-библиотекарей г.о. Серпухов",
        "25.11.2026 №\u00a03",
        "г. Серпухов",
        "Место проведения: МБОУ «Гимназия №\u00a01», ауд. 12",
        "Председатель: Никитенко Т.Г.",
        "Секретарь: Леонтьева Э.В.",
        f"Присутствовали: 18 человек ({', '.join(PRESENT)})",
        "Отсутствовали: 2 человека (Петрова М.И., Сидорова О.В.)",
        "Приглашённые: Венкова Г.В., директор МОУ ДПО УМЦ",
        "ПОВЕСТКА ДНЯ:",
        "1. Об итогах мониторинга обеспеченности учебниками",
        "Докладчик: Леонтьева Э.В., методист.",
        "2. О Международном дне школьных библиотек",
        "Докладчик: Никитенко Т.Г.",
        "1. СЛУШАЛИ: Леонтьева Э.В., методист. Обеспеченность учебниками составила 98,6 %.",
        "ВЫСТУПИЛИ: Никитенко Т.Г. предложила организовать обмен учебниками.",
        "РЕШИЛИ:",
        "1.1. Принять информацию к сведению.",
        "1.2. Организовать обмен до 01.12.2026.",
        "2. СЛУШАЛИ: Никитенко Т.Г. О Международном дне школьных библиотек",
        "РЕШИЛИ: Провести акцию «Подари книгу».",
        # ГОСТ Р 7.0.97-2016, п. 5.23: the signature deciphered as «И.О. Фамилия».
        "Председатель\t______________\tТ.Г. Никитенко",
        "Секретарь\t______________\tЭ.В. Леонтьева",
    ]


def test_without_a_typed_genitive_the_association_is_declined_after_zasedaniya():
    text = lines(meeting(organisation="", association_genitive=""))
    assert text[0] == ASSOCIATION  # the association heads the minutes itself
    assert text[2] == (
        "заседания Муниципального методического объединения педагогов-библиотекарей г.о. Серпухов"
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 человек"),
        (2, "2 человека"),
        (5, "5 человек"),
        (21, "21 человек"),
        (22, "22 человека"),
    ],
)
def test_the_number_present_agrees_with_its_noun(count, expected):
    present = [f"Участница {n}" for n in range(count)]

    assert line_starting(meeting(present=present), "Присутствовали:").startswith(
        f"Присутствовали: {expected} ("
    )


def test_empty_optional_parts_are_left_out():
    minutes = meeting(
        place="",
        secretary="",
        absent=[],
        invited=[" "],
        agenda=[AgendaItem(title="Разное")],
    )

    text = lines(minutes)

    for prefix in ("Место проведения", "Секретарь", "Отсутствовали", "Приглашённые"):
        assert not any(line.startswith(prefix) for line in text)
    assert not any(line.startswith(("ВЫСТУПИЛИ", "РЕШИЛИ", "Докладчик")) for line in text)
    assert "1. СЛУШАЛИ: Разное" in text
    assert text[-1].startswith("Председатель")


def test_no_agenda_means_no_agenda_heading():
    assert "ПОВЕСТКА ДНЯ:" not in lines(meeting(agenda=[]))


def test_a_single_decision_is_not_numbered_and_typed_numbers_are_replaced():
    one = AgendaItem(title="Разное", decided="1. Принять к сведению.")
    several = AgendaItem(title="Обмен", decided="- Утвердить план\n\n• 10.12.2026 провести сверку")

    text = lines(meeting(agenda=[one, several]))

    assert "РЕШИЛИ: Принять к сведению." in text
    assert "2.1. Утвердить план" in text
    assert "2.2. 10.12.2026 провести сверку" in text  # a date is not taken for a number


def test_an_unknown_number_leaves_a_blank_to_fill_in():
    assert "25.11.2026 №\u00a0___" in lines(meeting(number=""))


def test_title_is_bold_and_the_text_is_times_new_roman():
    document = docx.Document(io.BytesIO(minutes_docx(meeting())))

    title = document.paragraphs[0]
    assert title.runs[0].bold
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert document.core_properties.title == "Протокол №\u00a03 от 25.11.2026"
