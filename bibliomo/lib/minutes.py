"""Minutes of an association meeting («протокол заседания ММО») as a Word document.

The customary form: the number and date under a centred title, the chair and secretary, who
was present, absent and invited, the agenda, then for each item what was heard («СЛУШАЛИ»),
who spoke («ВЫСТУПИЛИ») and what was decided («РЕШИЛИ»), and the signatures. Parts with
nothing to say are left out rather than printed empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bibliomo.lib.names import organisation_genitive, signature_name
from bibliomo.lib.paper import Paper, Signature
from bibliomo.lib.ru import format_date, plural, typography

FONT_SIZE = 14  # the usual size of official Russian documents
SIGNATURE_LINE = "_" * 15
_SIGNATURE_TABS = (Cm(4), Cm(9))  # where the line and the name start
_INDENT = Cm(1.25)  # the customary first-line indent
# Numbering a person typed before a decision: «1.», «2)», «1.1.», «-», «•» — followed by a
# space or a letter, so that a decision opening with a date («10.11.2025 провести…») keeps it.
_TYPED_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[-–—•*])(?:\s+|(?=[^\W\d_]))")


@dataclass
class AgendaItem:
    title: str
    speaker: str = ""  # «Леонтьева Э.В., методист»
    heard: str = ""  # «Слушали»
    spoke: str = ""  # «Выступили»
    decided: str = ""  # «Решили»: one decision a line


@dataclass
class Minutes:
    association_name: str
    number: str  # «3»: the meeting's number within its academic year
    date: date
    place: str  # where the meeting was held: «МБОУ „СОШ № 1“, библиотека»
    chair: str  # председатель, «Т.Г. Никитенко»
    secretary: str
    present: list[str]
    absent: list[str]
    invited: list[str]
    agenda: list[AgendaItem]
    organisation: str = ""  # the organisation the document comes from, at its head
    association_genitive: str = ""  # «Муниципального методического объединения …»
    city: str = ""  # where the minutes were drawn up: «г. Серпухов»


def minutes_docx(minutes: Minutes) -> bytes:
    sheet = Paper(
        title=f"Протокол № {minutes.number} от {format_date(minutes.date)}",
        author=minutes.association_name or minutes.organisation or "Методическое объединение",
        size=FONT_SIZE,
    )
    document = sheet.document

    _add_title(document, minutes)
    _add_attendance(document, minutes)
    _add_agenda(document, minutes.agenda)
    for number, item in enumerate(minutes.agenda, start=1):
        _add_item(document, number, item)
    signatures = [
        Signature(role, signature_name(name))
        for role, name in (("Председатель", minutes.chair), ("Секретарь", minutes.secretary))
        if name.strip()
    ]
    sheet.signatures(signatures, before=30)
    return sheet.to_bytes()


# --- parts ----------------------------------------------------------------------------------


def _add_title(document: WordDocument, minutes: Minutes) -> None:
    """The organisation at the head, then «ПРОТОКОЛ», the date and number, the place."""
    # The organisation the minutes come from heads them: the methodological centre the
    # association belongs to, or the association itself when there is none.
    heading = minutes.organisation.strip() or minutes.association_name.strip()
    if heading:
        _centered(document, heading, bold=True)
    number = minutes.number.strip() or "___"  # a blank to fill in by hand
    title = _centered(document, "ПРОТОКОЛ", bold=True)
    title.paragraph_format.space_before = Pt(12)
    genitive = minutes.association_genitive.strip() or organisation_genitive(
        minutes.association_name.strip()
    )
    _centered(document, f"заседания {genitive}".strip())
    dated = _centered(document, f"{format_date(minutes.date)} № {number}")
    dated.paragraph_format.space_before = Pt(6)
    if minutes.city.strip():
        _centered(document, minutes.city.strip())


def _add_attendance(document: WordDocument, minutes: Minutes) -> None:
    first = True
    for label, text in (
        ("Место проведения", minutes.place.strip()),
        ("Председатель", minutes.chair.strip()),
        ("Секретарь", minutes.secretary.strip()),
        ("Присутствовали", _counted(minutes.present)),
        ("Отсутствовали", _counted(minutes.absent)),
        ("Приглашённые", _listed(minutes.invited)),
    ):
        if text:
            paragraph = _labelled(document, label, text)
            if first:
                paragraph.paragraph_format.space_before = Pt(12)
                first = False


def _add_agenda(document: WordDocument, agenda: Sequence[AgendaItem]) -> None:
    if not agenda:
        return
    heading = _justified(document.add_paragraph())
    heading.paragraph_format.space_before = Pt(12)
    heading.add_run("ПОВЕСТКА ДНЯ:").bold = True
    for number, item in enumerate(agenda, start=1):
        _justified(document.add_paragraph(f"{number}. {item.title.strip()}"))
        if item.speaker.strip():
            speaker = _justified(document.add_paragraph(f"Докладчик: {_sentence(item.speaker)}"))
            speaker.paragraph_format.left_indent = _INDENT


def _add_item(document: WordDocument, number: int, item: AgendaItem) -> None:
    heard = item.heard.strip() or item.title.strip()
    if item.speaker.strip():
        heard = f"{_sentence(item.speaker)} {heard}"
    paragraph = _labelled(document, f"{number}. СЛУШАЛИ", heard)
    paragraph.paragraph_format.space_before = Pt(12)
    if item.spoke.strip():
        _labelled(document, "ВЫСТУПИЛИ", item.spoke.strip())
    decisions = _decisions(item.decided)
    if len(decisions) == 1:
        _labelled(document, "РЕШИЛИ", decisions[0])
    elif decisions:
        _labelled(document, "РЕШИЛИ", "")
        for index, decision in enumerate(decisions, start=1):
            _justified(document.add_paragraph(f"{number}.{index}. {decision}"))


# --- text -----------------------------------------------------------------------------------


def _counted(names: Sequence[str]) -> str:
    """«18 человек (Иванова А.П., Петрова М.И., …)»; «» when nobody is listed."""
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return ""
    return f"{plural(len(names), 'человек', 'человека', 'человек')} ({', '.join(names)})"


def _listed(names: Sequence[str]) -> str:
    return ", ".join(name.strip() for name in names if name.strip())


def _sentence(text: str) -> str:
    """A full stop at the end, unless there is one already («Никитенко Т.Г.»)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _decisions(text: str) -> list[str]:
    """One decision a line; numbers the person typed are dropped, the document numbers them."""
    lines = (_TYPED_NUMBER.sub("", line, count=1).strip() for line in text.splitlines())
    return [line for line in lines if line]


# --- paragraphs -----------------------------------------------------------------------------


def _centered(document: WordDocument, text: str, *, bold: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True  # the heading stays with the text
    paragraph.add_run(typography(text)).bold = bold or None
    return paragraph


def _labelled(document: WordDocument, label: str, text: str) -> Paragraph:
    """«Председатель: Т.Г. Никитенко» with the label in bold."""
    paragraph = _justified(document.add_paragraph())
    paragraph.add_run(f"{label}:").bold = True
    if text:
        paragraph.add_run(f" {typography(text)}")  # a "\n" in the text becomes a line break
    return paragraph


def _justified(paragraph: Paragraph) -> Paragraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for run in paragraph.runs:
        run.text = typography(run.text)
    return paragraph
