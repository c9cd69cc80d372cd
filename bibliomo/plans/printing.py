"""The plan, its months and its execution report as files: Word (.docx) and PDF."""

from __future__ import annotations

import dataclasses
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from bibliomo.directory.selectors import association_signatories
from bibliomo.lib import names, paper, ru
from bibliomo.lib.documents import html_to_pdf
from bibliomo.plans import facts
from bibliomo.plans.models import WorkPlan
from bibliomo.plans.selectors import (
    SectionExecution,
    execution_text,
    execution_totals,
    plan_by_month,
    plan_to_document,
)
from bibliomo.plans.writing import write_plan_docx


def plan_filename(plan: WorkPlan, extension: str) -> str:
    return f"plan-{plan.academic_year}-{plan.academic_year + 1}.{extension}"


def months_filename(plan: WorkPlan, extension: str) -> str:
    return f"plan-{plan.academic_year}-{plan.academic_year + 1}-months.{extension}"


def plan_docx(plan: WorkPlan, *, with_status: bool = False) -> bytes:
    document = plan_to_document(plan, with_status=with_status)
    # One date under «УТВЕРЖДАЮ» in every copy: the PDF prints the same `approval_day`.
    approval = dataclasses.replace(document.approval, approved_on=plan.approval_day)
    document = dataclasses.replace(document, approval=approval)
    return write_plan_docx(document, with_status_column=with_status, author=plan.association.name)


def plan_pdf(plan: WorkPlan) -> bytes:
    document = plan_to_document(plan)
    html = render_to_string(
        "plans/print.html",
        {"plan": plan, "document": document, "approval_year": _approval_year(plan)},
    )
    return html_to_pdf(html)


def _approval_year(plan: WorkPlan) -> int:
    return plan.approval_year or plan.academic_year


def _signatures(plan: WorkPlan) -> list[paper.Signature]:
    return [
        paper.Signature(title, names.signature_name(person.full_name))
        for title, person in association_signatories(plan.association)
    ]


# --- the execution report --------------------------------------------------------------------

REPORT_COLUMNS = [
    paper.Column("Мероприятие", 8.5),
    paper.Column("Сроки", 3.0),
    paper.Column("Выполнение", 5.5),
]


def totals_sentence(report: list[SectionExecution]) -> str:
    """«Всего 17 мероприятий: выполнено — 15, …» — the parts add up to the whole."""
    totals = execution_totals(report)
    total = sum(row.total for row in report)
    return (
        f"Всего {ru.plural(total, 'мероприятие', 'мероприятия', 'мероприятий')}: "
        f"выполнено — {totals['done']}, перенесено — {totals['moved']}, "
        f"отменено — {totals['cancelled']}, просрочено — {totals['overdue']}, "
        f"впереди — {totals['planned']}."
    )


def execution_cell(activity) -> str:
    """The «Выполнение» cell: the person's note, then what the records of the year say."""
    quoted = [f"{fact.sentence.rstrip('.')}." for fact in getattr(activity, "facts", [])]
    return "\n".join([execution_text(activity), *quoted])


def report_docx(plan: WorkPlan, report: list[SectionExecution], today: date) -> bytes:
    title = f"Отчёт о выполнении плана работы на {plan.academic_year_label} учебный год"
    document = paper.Paper(title=title, author=plan.association.name)
    document.title(plan.association.name, after=0)
    document.title(title, f"по состоянию на {ru.format_date(today)}")
    document.paragraph(totals_sentence(report), align=paper.JUSTIFY, after=6)
    facts.attach_facts(plan)  # the report's activities are the plan's own
    for row in report:
        document.paragraph(row.title, bold=True, before=10, keep_with_next=True)
        document.paragraph(
            f"Выполнено — {row.done}, перенесено — {row.moved}, отменено — {row.cancelled}, "
            f"просрочено — {row.overdue}, впереди — {row.planned}.",
            after=4,
            keep_with_next=True,
        )
        document.table(
            REPORT_COLUMNS,
            [(a.content, a.timing_text, execution_cell(a)) for a in row.activities],
            size=11,
        )
    document.paragraph(f"Дата составления: {ru.format_date(today)}", before=12)
    document.signatures(_signatures(plan))
    return document.to_bytes()


# --- the year by month -----------------------------------------------------------------------

MONTH_COLUMNS = [
    paper.Column("Мероприятие", 8.0),
    paper.Column("Сроки", 2.8),
    paper.Column("Ответственный", 3.6),
    paper.Column("Отметка", 3.0),
]


def _month_rows(plan: WorkPlan) -> list[tuple[str, list, list]]:
    """(heading, activities planned, events held) for each month, then the rest of the year."""
    months, throughout, unplaced = plan_by_month(plan)
    groups: list[tuple[str, list, list]] = [(c.label, c.activities, c.held) for c in months]
    groups.append(("В течение года", throughout, []))
    if unplaced:
        groups.append(("Срок не распознан", unplaced, []))
    return groups


def held_line(event) -> tuple[str, str, str, str]:
    """A row «Проведено» of the month tables: what was held, when, who organised it."""
    organisers = ", ".join(p.short_name for p in event.organisers.all())
    return (
        ru.capfirst(event.named),
        event.dates_text,
        organisers,
        "Проведено",
    )


def _status_text(activity) -> str:
    return ru.capfirst(activity.get_status_display())


def months_docx(plan: WorkPlan) -> bytes:
    """«По месяцам» as a Word paper: a table with a heading row for each month."""
    title = f"План работы на {plan.academic_year_label} учебный год по месяцам"
    document = paper.Paper(title=title, author=plan.association.name, size=12)
    document.title(plan.association.name, after=0)
    document.title(title)
    table = document.table(MONTH_COLUMNS, [], size=11)
    for label, activities, held in _month_rows(plan):
        document.merged_row(table, label)
        if not activities and not held:
            row = paper.add_row(table)
            cell = row.cells[0].merge(row.cells[-1])
            document.run(cell.paragraphs[0], "Нет мероприятий.", size=11)
            continue
        rows = [
            (
                activity.content,
                activity.effective_timing.text or activity.timing_text,
                activity.responsible_text,
                _status_text(activity),
            )
            for activity in activities
        ]
        if activities:
            _month_part(document, table, "Запланировано", rows)
        if held:
            _month_part(document, table, "Проведено", [held_line(e) for e in held])
    document.paragraph(f"Дата составления: {ru.format_date(timezone.localdate())}", before=12)
    document.signatures(_signatures(plan))
    return document.to_bytes()


def _month_part(document: paper.Paper, table, heading: str, rows: list[tuple]) -> None:
    row = paper.add_row(table)
    cell = row.cells[0].merge(row.cells[-1])
    document.run(cell.paragraphs[0], heading, bold=True, size=11)
    cell.paragraphs[0].paragraph_format.keep_with_next = True
    for values in rows:
        row = paper.add_row(table)
        for cell, text in zip(row.cells, values, strict=True):
            document.run(cell.paragraphs[0], text, size=11)


def months_pdf(plan: WorkPlan) -> bytes:
    html = render_to_string(
        "plans/by_month_print.html",
        {
            "plan": plan,
            "groups": [
                (
                    label,
                    [(a, _status_text(a)) for a in activities],
                    [held_line(e) for e in held],
                )
                for label, activities, held in _month_rows(plan)
            ],
            "signatures": _signatures(plan),
            "signature_line": paper.SIGNATURE_LINE,
        },
    )
    return html_to_pdf(html)
