"""The transfer act (акт приёма-передачи учебников во временное пользование), Word and PDF."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import docx
from django.template.loader import render_to_string
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bibliomo.exchange.models import HoldingMove, Shipment
from bibliomo.lib import ru
from bibliomo.lib.documents import html_to_pdf, setup_a4
from bibliomo.textbooks.models import Holding

TITLE = "Акт приёма-передачи учебников во временное пользование"


@dataclass(frozen=True)
class ActLine:
    number: int
    code: str
    title: str
    authors: str
    grades: str
    years: str  # years of purchase of the copies
    copies: int


@dataclass(frozen=True)
class Act:
    number: str
    day: date
    place: str
    source_name: str
    source_director: str
    target_name: str
    target_director: str
    lines: list[ActLine]
    copies: int
    return_date: date
    academic_year: int

    @property
    def copies_text(self) -> str:
        return ru.plural_form(self.copies, "экземпляр", "экземпляра", "экземпляров")


def _years(shipment: Shipment, entry_id: int, copies: int, moved: dict) -> str:
    """Years of purchase: as moved, or as the sender's newest usable copies would go."""
    years = moved.get(entry_id)
    if not years:
        years, left = set(), copies
        holdings = Holding.objects.filter(school_id=shipment.source_id, entry_id=entry_id)
        for row in holdings.order_by("-purchase_year"):
            if left <= 0:
                break
            if row.usable:
                years.add(row.purchase_year)
                left -= row.usable
    return ", ".join(str(y) for y in sorted(years))


def build(shipment: Shipment) -> Act:
    moved: dict[int, set[int]] = defaultdict(set)
    for move in shipment.moves.filter(direction=HoldingMove.Direction.OUT):
        moved[move.entry_id].add(move.purchase_year)
    lines = []
    for number, line in enumerate(shipment.lines.select_related("entry"), start=1):
        copies = line.shipped if line.shipped is not None else line.copies
        lines.append(
            ActLine(
                number,
                line.entry.code,
                line.entry.title,
                line.entry.authors,
                line.entry.grades,
                _years(shipment, line.entry_id, copies, moved),
                copies,
            )
        )
    plan = shipment.plan
    return Act(
        number=f"{shipment.number}/{plan.academic_year}",
        day=shipment.shipped_on or timezone.localdate(),
        place=plan.association.municipality.name if plan.association.municipality_id else "",
        source_name=shipment.source.full_name,
        source_director=shipment.source.director,
        target_name=shipment.target.full_name,
        target_director=shipment.target.director,
        lines=lines,
        copies=sum(line.copies for line in lines),
        return_date=shipment.return_date,
        academic_year=plan.academic_year,
    )


def filename(shipment: Shipment, extension: str) -> str:
    return f"act-{shipment.plan.academic_year}-{shipment.number}.{extension}"


def preamble(act: Act) -> str:
    return (
        f"{act.source_name} (передающая сторона), в лице директора "
        f"{act.source_director or '________________'}, передаёт, а {act.target_name} "
        f"(принимающая сторона), в лице директора {act.target_director or '________________'}, "
        f"принимает во временное пользование на {ru.format_academic_year(act.academic_year)} "
        "учебный год следующие учебники:"
    )


def closing(act: Act) -> list[str]:
    return [
        f"Всего передано {act.copies} {act.copies_text}.",
        f"Принимающая сторона обязуется вернуть учебники в срок до "
        f"{ru.format_date(act.return_date)} в том же количестве и состоянии с учётом "
        "естественного износа; утерянные или испорченные учебники возмещаются равноценными.",
        "Акт составлен в двух экземплярах, по одному для каждой стороны.",
    ]


COLUMNS = ["№", "Код в перечне", "Автор(ы), название", "Класс", "Год поступления", "Экз."]


def docx_bytes(shipment: Shipment) -> bytes:
    act = build(shipment)
    document = docx.Document()
    setup_a4(document)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(f"{TITLE} № {act.number}")
    run.bold = True
    run.font.size = Pt(13)
    place = document.add_paragraph(f"{act.place}\t\t\t\t\t\t{ru.format_date(act.day)}")
    place.paragraph_format.space_after = Pt(8)
    document.add_paragraph(preamble(act)).paragraph_format.space_after = Pt(6)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for line in act.lines:
        cells = table.add_row().cells
        values = [
            str(line.number),
            line.code,
            f"{line.authors}. {line.title}" if line.authors else line.title,
            line.grades,
            line.years,
            str(line.copies),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    total = table.add_row().cells
    total[2].text = "Итого"
    total[5].text = str(act.copies)
    for text in closing(act):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.space_before = Pt(6)
    signatures = document.add_table(rows=2, cols=2)
    signatures.rows[0].cells[0].text = "Передал:"
    signatures.rows[0].cells[1].text = "Принял:"
    signatures.rows[1].cells[0].text = (
        f"Директор\n{act.source_name}\n\n_____________ / {act.source_director or '____________'}\n"
        "М. П.\n\nПедагог-библиотекарь _____________"
    )
    signatures.rows[1].cells[1].text = (
        f"Директор\n{act.target_name}\n\n_____________ / {act.target_director or '____________'}\n"
        "М. П.\n\nПедагог-библиотекарь _____________"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(shipment: Shipment) -> bytes:
    act = build(shipment)
    html = render_to_string(
        "exchange/act_print.html",
        {
            "act": act,
            "title": TITLE,
            "preamble": preamble(act),
            "closing": closing(act),
            "columns": COLUMNS,
        },
    )
    return html_to_pdf(html)
