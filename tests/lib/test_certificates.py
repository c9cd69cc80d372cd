import dataclasses
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from bibliomo.lib.certificates import (
    PLACEHOLDERS,
    CertificateData,
    CertificateTemplate,
    CertificateTemplateError,
    default_template,
    render_body,
    render_certificate_html,
    render_certificate_pdf,
    validate_template,
)

SIGNATURES = [("Методист-куратор", "Э.В. Леонтьева"), ("Руководитель ММО", "Т.Г. Никитенко")]
ASSOCIATION = "ММО педагогов-библиотекарей городского округа Серпухов"
VERIFY_URL = "https://bibliomo.example.ru/certificates/MMO-2025-000123/"


def make_data(**changes) -> CertificateData:
    data = CertificateData(
        number="ММО-2025-000123",
        recipient_full_name="Леонтьева Эльвира Викторовна",
        recipient_dative="Леонтьевой Эльвире Викторовне",
        role="participant",
        event_title="Алгоритм заказа учебников",
        event_kind="семинар",
        event_kind_prepositional="семинаре",
        event_dates="24.04.2025",
        hours=Decimal("4.0"),
        verify_url=VERIFY_URL,
        issued_on=date(2025, 4, 25),
    )
    return dataclasses.replace(data, **changes)


def participant_template() -> CertificateTemplate:
    return default_template("participant", ASSOCIATION, SIGNATURES, "Серпухов, 2025")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_participant_body_reads_as_a_sentence():
    # The kind of event named as the verification page names it; hours as «ак. ч.».
    assert render_body(participant_template(), make_data()) == (
        "выдан Леонтьевой Эльвире Викторовне\n"
        "за участие в семинаре «Алгоритм заказа учебников»,\n"
        "состоявшемся 24.04.2025 (объём — 4\u00a0ак.\u00a0ч.)."
    )


def test_quotes_inside_the_event_title_become_lapki_not_doubled_closing_quotes():
    data = make_data(
        event_kind_prepositional="мастер-классе",
        event_title="Мастер-класс «Школа, семья и библиотека»",
    )
    body = render_body(participant_template(), data)
    assert "в мастер-классе «Мастер-класс „Школа, семья и библиотека“»," in body
    assert "»»" not in body
    html = render_certificate_html(participant_template(), data)
    assert "„Школа, семья и библиотека“»" in html


def test_every_placeholder_is_filled():
    template = CertificateTemplate(body=" | ".join(f"{{{name}}}" for name in PLACEHOLDERS))
    data = make_data(
        role="speaker", event_dates="14–18.10.2024", hours=6, talk_title="Буккроссинг в школе"
    )
    assert render_body(template, data) == (
        "Леонтьева Эльвира Викторовна | Леонтьевой Эльвире Викторовне | "
        "Алгоритм заказа учебников | семинар | семинаре | 14–18.10.2024 | 6 | "
        " (объём — 6\u00a0ак.\u00a0ч.) | "
        "Буккроссинг в школе | ММО-2025-000123"
    )


def test_doubled_braces_print_a_brace_and_spaces_inside_a_placeholder_are_forgiven():
    template = CertificateTemplate(body="{{{ номер }}}")
    assert validate_template(template) == []
    assert render_body(template, make_data()) == "{ММО-2025-000123}"


@pytest.mark.parametrize(
    ("hours", "phrase"),
    [
        (1, " (объём — 1\u00a0ак.\u00a0ч.)"),
        (2, " (объём — 2\u00a0ак.\u00a0ч.)"),
        (Decimal("6.0"), " (объём — 6\u00a0ак.\u00a0ч.)"),
        (21, " (объём — 21\u00a0ак.\u00a0ч.)"),
        (Decimal("1.5"), " (объём — 1,5\u00a0ак.\u00a0ч.)"),
        (None, ""),
    ],
)
def test_hours_are_academic_hours_as_everywhere_else(hours, phrase):
    template = CertificateTemplate(body="{часы_текст}")
    assert render_body(template, make_data(hours=hours)) == phrase


def test_unknown_placeholder_is_reported_in_russian_once():
    template = CertificateTemplate(body="выдан {получатель_дп}, {дата_рождения} {дата_рождения}")
    errors = validate_template(template)
    assert len(errors) == 1
    assert errors[0].startswith("Неизвестная подстановка {дата_рождения}. Доступны: {получатель}")
    assert "{тема_выступления}" in errors[0]


def test_unbalanced_braces_are_reported_with_their_line():
    template = CertificateTemplate(body="выдан {получатель_дп\nза участие}")
    assert validate_template(template) == [
        "Скобка «{» в строке 1 не закрыта. Чтобы напечатать саму скобку, напишите её дважды: «{{».",
        "Лишняя закрывающая скобка «}» в строке 2. "
        "Чтобы напечатать саму скобку, напишите её дважды: «}}».",
    ]


def test_default_templates_are_valid():
    for role in ("participant", "speaker"):
        assert validate_template(default_template(role, ASSOCIATION, SIGNATURES)) == []


def test_an_invalid_template_is_refused_when_rendering():
    template = CertificateTemplate(body="{номер} {ФИО}")
    with pytest.raises(CertificateTemplateError) as raised:
        render_certificate_html(template, make_data())
    assert raised.value.errors[0].startswith("Неизвестная подстановка {ФИО}.")


def test_speaker_template_names_the_talk():
    template = default_template("speaker", ASSOCIATION, SIGNATURES)
    data = make_data(role="speaker", talk_title="Наставничество в библиотеке", hours=None)
    assert template.subtitle == "выступающего"
    assert render_body(template, data) == (
        "выдан Леонтьевой Эльвире Викторовне\n"
        "за выступление на семинаре «Алгоритм заказа учебников»\n"
        "с темой «Наставничество в библиотеке»,\n"
        "состоявшемся 24.04.2025."
    )


def test_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError, match="guest"):
        default_template("guest", ASSOCIATION, SIGNATURES)
    with pytest.raises(ValueError, match="guest"):
        make_data(role="guest")


def test_html_has_every_part_of_the_certificate():
    html = render_certificate_html(participant_template(), make_data())
    assert html.startswith("<!DOCTYPE html>")
    assert "size: A4 landscape" in html
    for text in (
        ASSOCIATION,
        "СЕРТИФИКАТ",
        "участника",
        '<span class="recipient">Леонтьевой Эльвире Викторовне</span>',
        "Э.В. Леонтьева",
        "Руководитель ММО",
        "Серпухов, 2025",
        "ММО-2025-000123",
        "25.04.2025",
        f'Проверить подлинность:<br><span class="url">{VERIFY_URL}</span>',
        "<svg",
    ):
        assert text in html, text


def test_every_value_is_escaped():
    hostile = '<script>alert("x")</script>'
    template = CertificateTemplate(
        title=hostile,
        subtitle=hostile,
        body="<b>{получатель_дп}</b> {мероприятие} {тема_выступления}",
        association_name=hostile,
        signatures=[(hostile, hostile)],
        place_and_year=hostile,
    )
    data = make_data(
        recipient_dative=hostile,
        event_title=hostile,
        talk_title=hostile,
        number=hostile,
        verify_url='https://example.ru/"><script>',
    )
    html = render_certificate_html(template, data)
    assert "<script" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_pdf_is_one_landscape_a4_page_with_the_recipient_event_and_number():
    pdf = render_certificate_pdf(participant_template(), make_data())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = pdf_text(pdf)
    for expected in (
        "Леонтьевой Эльвире Викторовне",
        "Алгоритм заказа учебников",
        "ММО-2025-000123",
    ):
        assert expected in text


def test_long_wording_still_fits_on_one_page():
    data = make_data(
        role="speaker",
        event_title="Ярмарка библиотечных идей: предлагаем, реализуем, практикуем " * 3,
        talk_title="Наставничество в школьной библиотеке и обмен учебниками " * 3,
    )
    template = default_template("speaker", ASSOCIATION, [*SIGNATURES, ("Директор", "Г.В. Венкова")])
    assert len(PdfReader(io.BytesIO(render_certificate_pdf(template, data))).pages) == 1


def test_twenty_certificates_in_a_row_each_carry_only_their_own_recipient():
    template = participant_template()
    people = [
        make_data(number=f"ММО-2025-{i:06}", recipient_dative=f"Получателю {i}") for i in range(20)
    ]

    pages = [render_certificate_html(template, data) for data in people]

    for i, html in enumerate(pages):
        assert f"ММО-2025-{i:06}" in html
        assert [f"Получателю {j}<" in html for j in range(20)].count(True) == 1
    assert template == participant_template()  # rendering did not touch the template
