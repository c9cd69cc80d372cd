"""The year's analysis as a paper: Word (through `lib.paper`) and PDF (WeasyPrint), one shape.

The shape methodical services use: «УТВЕРЖДАЮ» with the director's position and name, the
title, numbered sections each with its figures, tables and «Выводы», «Задачи на следующий
учебный год», the date and the signatures of the head and the methodist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from docx.shared import Cm

from bibliomo.directory.models import Role
from bibliomo.directory.selectors import association_signatories, people_with_roles
from bibliomo.lib import names, paper, ru
from bibliomo.lib.documents import html_to_pdf
from bibliomo.reviews.models import Review
from bibliomo.reviews.sections import Section
from bibliomo.reviews.selectors import review_sections


@dataclass
class Approval:
    position: str
    name: str
    date_line: str


def filename(review: Review, extension: str) -> str:
    return f"analysis-{review.academic_year}-{review.academic_year + 1}.{extension}"


def title_lines(review: Review) -> list[str]:
    """«Анализ работы муниципального методического объединения … за 2024/2025 учебный год»."""
    name = names.organisation_genitive(review.association.name)
    if len(name) > 1 and name[1].islower():  # «Муниципального» inside a sentence, «ММО» as is
        name = name[0].lower() + name[1:]
    return [f"Анализ работы {name}", f"за {review.academic_year_label} учебный год"]


def approval(review: Review) -> Approval:
    from bibliomo.plans.models import WorkPlan

    plan = WorkPlan.objects.filter(
        association=review.association, academic_year=review.academic_year
    ).first()
    position = (plan.approval_position if plan else "") or "директор МОУ ДПО УМЦ"
    name = plan.approval_name if plan else ""
    if not name:
        director = people_with_roles(review.association, [Role.DIRECTOR]).first()
        name = names.signature_name(director.full_name) if director else ""
    if review.is_approved and review.approved_at:
        day = timezone.localdate(review.approved_at)
        line = f"«{day:%d}» {ru.month_name(day.month, 'genitive')} {day.year} г."
    else:
        line = f"«___» ________ {review.academic_year + 1} г."
    return Approval(position, name, line)


def signatures(review: Review) -> list[paper.Signature]:
    return [
        paper.Signature(title, names.signature_name(person.full_name))
        for title, person in association_signatories(review.association)
    ]


def _day(review: Review):
    return timezone.localdate(review.approved_at) if review.approved_at else timezone.localdate()


def _text(cells) -> str:
    return "".join(cell.text for cell in cells)


def review_docx(review: Review, sections: list[Section] | None = None) -> bytes:
    sections = review_sections(review) if sections is None else sections
    title = " ".join(title_lines(review))
    document = paper.Paper(title=title, author=review.association.name)
    grant = approval(review)
    left = Cm(10)
    for stamp in (
        "УТВЕРЖДАЮ",
        grant.position,
        f"{paper.SIGNATURE_LINE} {grant.name}".rstrip(),
        grant.date_line,
    ):
        document.paragraph(stamp, left_indent=left, keep_with_next=True)
    document.paragraph(after=12)
    document.title(*title_lines(review))
    for number, section in enumerate(sections, 1):
        document.paragraph(
            f"{number}. {section.title}", bold=True, before=12, after=6, keep_with_next=True
        )
        for line in section.lines:
            document.paragraph(_text(line), align=paper.JUSTIFY, first_line=Cm(1.25), after=4)
        for table in section.tables:
            if table.title:
                document.paragraph(table.title, before=4, after=2, keep_with_next=True)
            columns = [
                paper.Column(
                    title,
                    3.0 if index == 0 or len(table.columns) < 4 else 1.5,
                    paper.RIGHT_ALIGN if index in table.numeric else paper.LEFT_ALIGN,
                )
                for index, title in enumerate(table.columns)
            ]
            if len(columns) > 1:
                columns[1] = paper.Column(
                    columns[1].title,
                    4.0 if columns[1].align == paper.LEFT_ALIGN else 1.5,
                    columns[1].align,
                )
            document.table(columns, [[c.text for c in row] for row in table.rows], size=10)
        conclusion = review.conclusions.get(section.key, "")
        paragraph = document.paragraph(align=paper.JUSTIFY, before=6, after=4)
        document.run(paragraph, "Выводы: ", bold=True)
        document.run(paragraph, conclusion or "_" * 40)
    document.paragraph(
        "Задачи на следующий учебный год", bold=True, before=12, after=6, keep_with_next=True
    )
    for index, task in enumerate(review.next_tasks, 1):
        document.paragraph(f"{index}. {task}", align=paper.JUSTIFY, left_indent=Cm(0.6), after=2)
    document.paragraph(f"Дата составления: {ru.format_date(_day(review))}", before=12)
    document.signatures(signatures(review))
    return document.to_bytes()


def review_pdf(review: Review, sections: list[Section] | None = None) -> bytes:
    sections = review_sections(review) if sections is None else sections
    html = render_to_string(
        "reviews/print.html",
        {
            "review": review,
            "title_lines": title_lines(review),
            "approval": approval(review),
            "sections": [(s, review.conclusions.get(s.key, "")) for s in sections],
            "signatures": signatures(review),
            "signature_line": paper.SIGNATURE_LINE,
            "day": _day(review),
        },
    )
    return html_to_pdf(html)
