"""The transfer act (акт приёма-передачи учебников во временное пользование), Word and PDF."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from bibliomo.directory.models import School
from bibliomo.directory.selectors import school_library_signatories
from bibliomo.exchange.models import HoldingMove, Shipment
from bibliomo.lib import names, paper, ru
from bibliomo.lib.documents import html_to_pdf
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
class Party:
    """One side of the act: the school, its director and its librarians."""

    full_name: str
    short_name: str
    director: str  # «Сергеев Алексей Николаевич» or «Сергеев А.Н.», as typed in the directory
    director_genitive: str  # «Сергеева А.Н.»: the person's correction, or the declension
    librarians: list[tuple[str, str]]  # (position, «И.О. Фамилия»)

    @property
    def director_signature(self) -> str:
        return names.signature_name(self.director) if self.director.strip() else ""


@dataclass(frozen=True)
class Act:
    number: str
    day: date | None  # the day the books leave; blank on an act printed before that
    place: str
    source: Party
    target: Party
    lines: list[ActLine]
    copies: int
    return_date: date
    academic_year: int
    association_name: str

    @property
    def copies_text(self) -> str:
        return ru.plural_form(self.copies, "экземпляр", "экземпляра", "экземпляров")

    @property
    def day_text(self) -> str:
        """«02.12.2026», or a blank to fill in by hand when the books have not left yet."""
        if self.day is not None:
            return ru.format_date(self.day)
        return f"«___» ____________ {self.academic_year} г."


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


def _party(school: School) -> Party:
    return Party(
        full_name=school.full_name,
        short_name=school.short_name,
        director=school.director,
        director_genitive=names.short_name_in_case(
            school.director, "genitive", corrected=school.director_genitive
        ),
        librarians=[
            (position, names.signature_name(person.full_name))
            for position, person in school_library_signatories(school)
        ],
    )


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
    association = plan.association
    return Act(
        number=f"{shipment.number}/{plan.academic_year}",
        # The act is dated the day the books leave; before that the date is written by hand,
        # never today's, which may lie after the return date of an old plan.
        day=shipment.shipped_on,
        place=_place(association),
        source=_party(shipment.source),
        target=_party(shipment.target),
        lines=lines,
        copies=sum(line.copies for line in lines),
        return_date=shipment.return_date,
        academic_year=plan.academic_year,
        association_name=association.name,
    )


def _place(association) -> str:
    if not association.municipality_id:
        return ""
    return ru.document_place(association.municipality.name)


def filename(shipment: Shipment, extension: str) -> str:
    return f"act-{shipment.plan.academic_year}-{shipment.number}.{extension}"


def preamble(act: Act) -> str:
    blank = "________________"
    return ru.typography(
        f"{act.source.full_name} (передающая сторона) в лице директора "
        f"{act.source.director_genitive or blank} передаёт, а {act.target.full_name} "
        f"(принимающая сторона) в лице директора {act.target.director_genitive or blank} "
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


def book_text(line: ActLine) -> str:
    """«Харрис Э. Английский язык» — the authors, then the title, one full stop between."""
    return ru.join_sentences(line.authors, line.title)


def signature_rows(party: Party) -> list[tuple[str, str]]:
    """(position, «И.О. Фамилия») lines for one side of the act."""
    rows = [(f"Директор {party.short_name}", party.director_signature)]
    rows.extend(party.librarians or [("Педагог-библиотекарь", "")])
    return rows


COLUMNS = [
    paper.Column("№", 0.8, paper.CENTER),
    paper.Column("Код в перечне", 2.6, paper.CENTER),
    paper.Column("Автор(ы), название", 7.0),
    paper.Column("Класс", 1.4, paper.CENTER),
    paper.Column("Год поступления", 2.8, paper.CENTER),
    paper.Column("Экз.", 1.2, paper.CENTER),
]


def docx_bytes(shipment: Shipment) -> bytes:
    act = build(shipment)
    document = paper.Paper(title=f"{TITLE} № {act.number}", author=act.association_name)
    document.title(f"{TITLE} № {act.number}", size=13, after=6)
    document.table(
        [paper.Column("", 1), paper.Column("", 1, paper.RIGHT_ALIGN)],
        [(act.place, act.day_text)],
        borders=False,
        header=False,
    )
    document.paragraph(preamble(act), align=paper.JUSTIFY, before=8, after=6)
    rows = [
        (str(line.number), line.code, book_text(line), line.grades, line.years, str(line.copies))
        for line in act.lines
    ]
    rows.append(("", "", "Итого", "", "", str(act.copies)))
    document.table(COLUMNS, rows, size=10.5, bold_rows=[len(rows) - 1])
    for text in closing(act):
        document.paragraph(text, align=paper.JUSTIFY, before=6)
    _two_party_signatures(document, act)
    return document.to_bytes()


def _two_party_signatures(document: paper.Paper, act: Act) -> None:
    """«Передал» and «Принял» side by side, kept together and with the closing paragraph."""
    document.keep_last_with_next()
    document.paragraph(before=12, keep_with_next=True)
    columns = [paper.Column("", 1), paper.Column("", 1)]
    cells = []
    for label, party in (("Передал:", act.source), ("Принял:", act.target)):
        lines = [label]
        for position, name in signature_rows(party):
            lines += ["", position, f"{paper.SIGNATURE_LINE} {name or paper.SIGNATURE_LINE}"]
            if position.startswith("Директор"):
                lines.append("М. П.")
        cells.append("\n".join(lines))
    table = document.table(columns, [cells], borders=False, header=False)
    document.keep_table_together(table)
    for cell in table.rows[0].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True


def pdf_bytes(shipment: Shipment) -> bytes:
    act = build(shipment)
    html = render_to_string(
        "exchange/act_print.html",
        {
            "act": act,
            "title": TITLE,
            "preamble": preamble(act),
            "closing": closing(act),
            "columns": [column.title for column in COLUMNS],
            "lines": [(line, ru.typography(book_text(line))) for line in act.lines],
            "sides": [
                ("Передал:", signature_rows(act.source)),
                ("Принял:", signature_rows(act.target)),
            ],
            "signature_line": paper.SIGNATURE_LINE,
        },
    )
    return html_to_pdf(html)
