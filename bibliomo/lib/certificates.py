"""Certificates for participants and speakers of association events, as print-ready PDF.

A certificate is a template whose wording the methodist may edit, with placeholders written in
Russian ({получатель_дп}, {мероприятие}…), filled with one recipient's data. The page is A4
landscape with a frame drawn in CSS and a QR code leading to the public page that confirms the
certificate's number, so a printed copy can be checked by anyone.

No Django here: the events app passes plain data in and stores the bytes it gets back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from typing import Literal, get_args

import segno

from bibliomo.lib.documents import html_to_pdf
from bibliomo.lib.ru import NBSP, format_date, typography

Role = Literal["participant", "speaker"]
ROLES: tuple[Role, ...] = get_args(Role)

PARTICIPANT_BODY = (
    "выдан {получатель_дп}\n"
    "за участие в {вид_пп} «{мероприятие}»,\n"
    "состоявшемся {дата}{часы_текст}."
)
SPEAKER_BODY = (
    "выдан {получатель_дп}\n"
    "за выступление на {вид_пп} «{мероприятие}»\n"
    "с темой «{тема_выступления}»,\n"
    "состоявшемся {дата}{часы_текст}."
)

# Placeholder → what it stands for; the template editor can show this as help.
PLACEHOLDERS: dict[str, str] = {
    "получатель": "ФИО получателя в именительном падеже",
    "получатель_дп": "ФИО получателя в дательном падеже: кому выдан сертификат",
    "мероприятие": "название мероприятия",
    "вид": "вид мероприятия: семинар, мастер-класс…",
    "вид_пп": "вид мероприятия в предложном падеже: (в) семинаре, (на) мастер-классе…",
    "дата": "дата или даты проведения",
    "часы": "объём в академических часах, одним числом",
    "часы_текст": "«(объём — 4 ак. ч.)» или ничего, если объём не указан",
    "тема_выступления": "тема выступления",
    "номер": "регистрационный номер сертификата",
}
# The recipient's name stands out on the page; the rest of the body is ordinary text.
_EMPHASISED = frozenset({"получатель", "получатель_дп"})
# Characters of filled-in body beyond which the text is set smaller to stay above the footer.
_LONG_BODY = 320


@dataclass
class CertificateTemplate:
    title: str = "СЕРТИФИКАТ"
    subtitle: str = "участника"
    body: str = PARTICIPANT_BODY
    association_name: str = ""
    # (position, name) pairs: ("Методист-куратор", "Э.В. Леонтьева").
    signatures: list[tuple[str, str]] = field(default_factory=list)
    place_and_year: str = ""


@dataclass(frozen=True, kw_only=True)
class CertificateData:
    """What one certificate says, fixed at the moment it is issued."""

    number: str
    recipient_full_name: str
    recipient_dative: str
    role: Role
    event_title: str
    event_kind: str
    event_dates: str
    event_kind_prepositional: str = "мероприятии"  # «(в) семинаре»
    hours: Decimal | int | None
    talk_title: str = ""
    verify_url: str
    issued_on: date

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Unknown certificate role: {self.role!r}")


class CertificateTemplateError(ValueError):
    """The template's wording cannot be filled in; `errors` are sentences for the methodist."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


def default_template(
    role: Role,
    association_name: str,
    signatures: Iterable[Sequence[str]],
    place_and_year: str = "",
) -> CertificateTemplate:
    """The wording an association starts from, before the methodist adjusts it."""
    if role == "speaker":
        subtitle, body = "выступающего", SPEAKER_BODY
    elif role == "participant":
        subtitle, body = "участника", PARTICIPANT_BODY
    else:
        raise ValueError(f"Unknown certificate role: {role!r}")
    return CertificateTemplate(
        subtitle=subtitle,
        body=body,
        association_name=association_name,
        signatures=[(position, name) for position, name in signatures],
        place_and_year=place_and_year,
    )


# ---------------------------------------------------------------------------------------------
# The body: placeholders in braces; a doubled brace prints a brace, as in Python's str.format.
# str.format itself is not used on the methodist's text: it would also accept {0}, {x.attr},
# {x:spec}, and fail with messages no librarian should have to read.

# A placeholder never spans lines, so a brace left open reports its own line, not a strange
# "placeholder" swallowing the text up to the next closing brace.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


@dataclass(frozen=True)
class _Placeholder:
    name: str


_Piece = str | _Placeholder


def validate_template(template: CertificateTemplate) -> list[str]:
    """What is wrong with the template's wording, as sentences for the methodist; [] if fine."""
    return _parse(template.body)[1]


def render_body(template: CertificateTemplate, data: CertificateData) -> str:
    """The body as plain text with every placeholder filled; line breaks are kept."""
    return "".join(text for text, _ in _filled(template, data))


_SEPARATOR = "\x00"


def _filled(template: CertificateTemplate, data: CertificateData) -> list[tuple[str, str]]:
    """(text, placeholder name or "") pieces, with the typography of the whole body applied.

    The quotes are counted across the pieces, so «{мероприятие}» holding «Мастер-класс
    «Школа»» comes out as «Мастер-класс „Школа“», not with doubled closing quotes.
    """
    values = _values(data)
    pieces = [
        (values[piece.name], piece.name) if isinstance(piece, _Placeholder) else (piece, "")
        for piece in _parsed_body(template)
    ]
    texts = typography(_SEPARATOR.join(text for text, _ in pieces)).split(_SEPARATOR)
    return [(text, name) for text, (_, name) in zip(texts, pieces, strict=True)]


def _parsed_body(template: CertificateTemplate) -> list[_Piece]:
    pieces, errors = _parse(template.body)
    if errors:
        raise CertificateTemplateError(errors)
    return pieces


def _parse(body: str) -> tuple[list[_Piece], list[str]]:
    pieces: list[_Piece] = []
    errors: list[str] = []
    position = 0
    for match in _TOKEN.finditer(body):
        pieces.append(body[position : match.start()])
        position = match.end()
        token, name = match.group(), match.group(1)
        if token in ("{{", "}}"):
            pieces.append(token[0])
        elif name is None:
            errors.append(_unbalanced_brace_error(token, _line_of(body, match.start())))
        elif name.strip() in PLACEHOLDERS:
            pieces.append(_Placeholder(name.strip()))
        else:
            error = _unknown_placeholder_error(name.strip())
            if error not in errors:
                errors.append(error)
    pieces.append(body[position:])
    return pieces, errors


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _unbalanced_brace_error(brace: str, line: int) -> str:
    if brace == "{":
        problem = f"Скобка «{{» в строке {line} не закрыта."
    else:
        problem = f"Лишняя закрывающая скобка «}}» в строке {line}."
    return f"{problem} Чтобы напечатать саму скобку, напишите её дважды: «{brace * 2}»."


def _unknown_placeholder_error(name: str) -> str:
    available = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
    if not name:
        return f"Пустая подстановка {{}}. Доступны: {available}."
    return f"Неизвестная подстановка {{{name}}}. Доступны: {available}."


def _values(data: CertificateData) -> dict[str, str]:
    return {
        "получатель": data.recipient_full_name,
        "получатель_дп": data.recipient_dative,
        "мероприятие": data.event_title,
        "вид": data.event_kind,
        "вид_пп": data.event_kind_prepositional,
        "дата": data.event_dates,
        "часы": _format_hours(data.hours),
        "часы_текст": _hours_phrase(data.hours),
        "тема_выступления": data.talk_title,
        "номер": data.number,
    }


def _format_hours(hours: Decimal | int | None) -> str:
    """4 → «4», Decimal("4.0") → «4», Decimal("1.5") → «1,5» (a Russian decimal comma)."""
    if hours is None:
        return ""
    # normalize() drops the trailing zeros a DecimalField keeps; "f" keeps 40 from becoming 4E+1.
    return format(Decimal(str(hours)).normalize(), "f").replace(".", ",")


def _hours_phrase(hours: Decimal | int | None) -> str:
    """« (объём — 3 ак. ч.)», or nothing when the event counts no hours.

    Academic hours, written as everywhere else in the system (the event page, the
    verification page): «ак. ч.» needs no plural form, «1,5 ак. ч.» included.
    """
    if not hours:
        return ""
    return f" (объём — {_format_hours(hours)}{NBSP}ак.{NBSP}ч.)"


# ---------------------------------------------------------------------------------------------
# The page.


def render_certificate_html(template: CertificateTemplate, data: CertificateData) -> str:
    """A complete HTML document of one certificate, ready for WeasyPrint."""
    return _document(f"Сертификат № {data.number}", [_sheet(template, data)])


def render_certificate_pdf(template: CertificateTemplate, data: CertificateData) -> bytes:
    return html_to_pdf(render_certificate_html(template, data))


def _document(title: str, sheets: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{''.join(sheets)}</body>\n</html>\n"
    )


def _sheet(template: CertificateTemplate, data: CertificateData) -> str:
    return f"""<section class="sheet">
<div class="frame"></div><div class="frame inner"></div>
<div class="corner tl"></div><div class="corner tr"></div>
<div class="corner bl"></div><div class="corner br"></div>
<p class="association">{escape(template.association_name)}</p>
<h1 class="title">{escape(template.title)}</h1>
<p class="subtitle">{escape(template.subtitle)}</p>
<p class="{_body_class(template, data)}">{_body_html(template, data)}</p>
<table class="footer"><tr>
<td class="signatures">{_signatures_html(template.signatures)}
<p class="register">Регистрационный № {escape(data.number)}
· дата выдачи {format_date(data.issued_on)}</p></td>
<td class="place">{escape(template.place_and_year)}</td>
<td class="verify">{_qr_svg(data.verify_url)}
<p>Проверить подлинность:<br><span class="url">{escape(data.verify_url)}</span></p></td>
</tr></table>
</section>
"""


def _body_html(template: CertificateTemplate, data: CertificateData) -> str:
    parts = []
    for text, name in _filled(template, data):
        if name in _EMPHASISED:
            parts.append(f'<span class="recipient">{escape(text)}</span>')
        else:
            parts.append(escape(text))
    # Line breaks survive through the CSS (white-space: pre-line), not through <br> tags.
    return "".join(parts)


def _body_class(template: CertificateTemplate, data: CertificateData) -> str:
    # A long event title and talk title together would run into the signatures at full size.
    return "body long" if len(render_body(template, data)) > _LONG_BODY else "body"


def _signatures_html(signatures: Iterable[Sequence[str]]) -> str:
    rows = "".join(
        f'<tr><td class="position">{escape(position)}</td><td class="line"></td>'
        f'<td class="name">{escape(name)}</td></tr>'
        for position, name in signatures
    )
    return f'<table class="signature-list">{rows}</table>' if rows else ""


def _qr_svg(url: str) -> str:
    # Medium error correction survives a crease or a stamp across the code. The SVG keeps the
    # standard four-module quiet zone: the caption printed right below would otherwise sit in it.
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=1, border=4, dark="#1d2433", omitsize=True, svgclass="qr")


_CSS = """
@page { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body {
  font-family: "Liberation Serif", "DejaVu Serif", serif;
  color: #1d2433;
}
.sheet {
  position: relative;
  width: 297mm;
  height: 210mm;
  box-sizing: border-box;
  padding: 24mm 30mm 0;
  overflow: hidden;
  text-align: center;
}
.sheet + .sheet { break-before: page; }
.frame {
  position: absolute;
  top: 8mm; right: 8mm; bottom: 8mm; left: 8mm;
  border: 2.4pt solid #1f3b63;
}
.frame.inner {
  top: 10.5mm; right: 10.5mm; bottom: 10.5mm; left: 10.5mm;
  border: 0.8pt solid #a8844a;
}
.corner {
  position: absolute;
  width: 16mm; height: 16mm;
  border: 0 solid #a8844a;
}
.corner.tl { top: 13mm; left: 13mm; border-top-width: 2pt; border-left-width: 2pt; }
.corner.tr { top: 13mm; right: 13mm; border-top-width: 2pt; border-right-width: 2pt; }
.corner.bl { bottom: 13mm; left: 13mm; border-bottom-width: 2pt; border-left-width: 2pt; }
.corner.br { bottom: 13mm; right: 13mm; border-bottom-width: 2pt; border-right-width: 2pt; }
.association {
  margin: 0;
  font-size: 12pt;
  letter-spacing: 0.04em;
  text-transform: uppercase;
  color: #1f3b63;
}
.title {
  margin: 11mm 0 0;
  font-size: 44pt;
  font-weight: bold;
  letter-spacing: 0.18em;
  /* Letter spacing also follows the last letter; the same on the left keeps the word centred. */
  padding-left: 0.18em;
  color: #1f3b63;
}
.subtitle {
  margin: 1mm 0 0;
  font-size: 22pt;
  font-style: italic;
  color: #a8844a;
}
.body {
  margin: 13mm 0 0;
  font-size: 16pt;
  line-height: 1.5;
  white-space: pre-line;
}
.body.long { margin-top: 9mm; font-size: 13.5pt; line-height: 1.4; }
.recipient { font-size: 21pt; font-weight: bold; }
.footer {
  position: absolute;
  left: 30mm; right: 30mm; bottom: 17mm;
  width: 237mm;
  border-collapse: collapse;
  font-size: 11pt;
}
.footer td { vertical-align: bottom; padding: 0; }
.footer .signatures { width: 130mm; text-align: left; }
.footer .place { text-align: center; font-size: 12pt; }
.footer .verify { width: 52mm; text-align: center; font-size: 7.5pt; color: #4a5468; }
.signature-list { border-collapse: collapse; }
.signature-list td { padding: 2.5mm 0 0; vertical-align: bottom; }
.signature-list .position { padding-right: 3mm; }
.signature-list .line { width: 32mm; border-bottom: 0.6pt solid #1d2433; }
.signature-list .name { padding-left: 3mm; white-space: nowrap; }
.register { margin: 5mm 0 0; font-size: 9pt; color: #4a5468; }
.qr { width: 30mm; height: 30mm; }
.verify p { margin: 0; }
.url { word-break: break-all; }
"""
