"""The plan and its execution report as files: Word (.docx) and PDF."""

from __future__ import annotations

import io
from datetime import date

import docx
from django.template.loader import render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bibliomo.lib import ru
from bibliomo.lib.documents import html_to_pdf, setup_a4
from bibliomo.plans.models import PlanActivity, WorkPlan
from bibliomo.plans.selectors import SectionExecution, plan_to_document, status_note
from bibliomo.plans.writing import write_plan_docx


def plan_filename(plan: WorkPlan, extension: str) -> str:
    return f"plan-{plan.academic_year}-{plan.academic_year + 1}.{extension}"


def plan_docx(plan: WorkPlan, *, with_status: bool = False) -> bytes:
    document = plan_to_document(plan, with_status=with_status)
    return write_plan_docx(document, with_status_column=with_status)


def plan_pdf(plan: WorkPlan) -> bytes:
    document = plan_to_document(plan)
    html = render_to_string(
        "plans/print.html",
        {"plan": plan, "document": document, "approval_year": _approval_year(plan)},
    )
    return html_to_pdf(html)


def _approval_year(plan: WorkPlan) -> int:
    return plan.approval_year or plan.academic_year


def report_docx(plan: WorkPlan, report: list[SectionExecution], today: date) -> bytes:
    document = docx.Document()
    setup_a4(document)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(
        f"Отчёт о выполнении плана работы на {plan.academic_year_label} учебный год"
    )
    run.bold = True
    document.add_paragraph(f"{plan.association.name}. По состоянию на {ru.format_date(today)}.")

    totals = {"done": 0, "moved": 0, "cancelled": 0, "overdue": 0, "planned": 0}
    for row in report:
        for key in totals:
            totals[key] += getattr(row, key)
    total = sum(len(row.activities) for row in report)
    document.add_paragraph(
        f"Всего {ru.plural(total, 'мероприятие', 'мероприятия', 'мероприятий')}: "
        f"выполнено — {totals['done']}, перенесено — {totals['moved']}, "
        f"отменено — {totals['cancelled']}, просрочено — {totals['overdue']}, "
        f"впереди — {totals['planned']}."
    )
    for row in report:
        title = document.add_paragraph()
        title.add_run(row.title).bold = True
        document.add_paragraph(
            f"Выполнено — {row.done}, перенесено — {row.moved}, отменено — {row.cancelled}, "
            f"просрочено — {row.overdue}."
        )
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Мероприятие", "Сроки", "Выполнение"), strict=True
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for activity in row.activities:
            cells = table.add_row().cells
            cells[0].text = activity.content
            cells[1].text = activity.timing_text
            cells[2].text = _execution_text(activity)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _execution_text(activity: PlanActivity) -> str:
    if getattr(activity, "overdue", False):
        return "Просрочено: не отмечено как выполненное"
    return status_note(activity) or "Запланировано"
