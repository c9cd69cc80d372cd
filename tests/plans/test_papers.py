"""The plan's papers: one approval date, the report's figures adding up, «По месяцам» files."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from bibliomo.plans import printing, selectors, services
from bibliomo.plans.models import PlanActivity
from tests.lib.paper_rules import assert_clean_text, assert_paper_layout, docx_all_text

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _activity(plan, phrase) -> PlanActivity:
    return PlanActivity.objects.get(section__plan=plan, content__contains=phrase)


def _fresh(plan):
    return selectors.plans_with_content().get(pk=plan.pk)


# --- the execution report --------------------------------------------------------------------


def test_a_moved_activity_later_held_counts_once_as_done_and_keeps_its_move(cast, approved_plan):
    seminar = _activity(approved_plan, "Алгоритм заказа")
    services.activity_mark(
        cast.methodist, seminar, "moved", moved_to_text="январь", reason="ждали приказа"
    )
    services.activity_mark(cast.methodist, seminar, "done", report="Проведён 20.01.2025.")
    seminar.refresh_from_db()
    assert seminar.moved_to_text == "январь"  # the move stays on record

    plan = _fresh(approved_plan)
    rows = selectors.execution_report(plan, date(2025, 6, 1))
    total = sum(len(row.activities) for row in rows)
    assert sum(row.total for row in rows) == total  # every activity counted exactly once
    assert sum(row.moved for row in rows) == 0
    held = next(a for row in rows for a in row.activities if a.pk == seminar.pk)
    assert held.outcome == "done"
    assert selectors.execution_text(held) == (
        "Перенесено на январь. Выполнено. Проведён 20.01.2025."
    )


def test_a_moved_activity_past_its_new_timing_is_overdue_not_also_moved(cast, approved_plan):
    seminar = _activity(approved_plan, "Алгоритм заказа")
    services.activity_mark(
        cast.methodist, seminar, "moved", moved_to_text="январь", reason="ждали приказа"
    )
    plan = _fresh(approved_plan)
    rows = selectors.execution_report(plan, date(2025, 6, 1))
    assert sum(row.total for row in rows) == sum(len(row.activities) for row in rows)
    assert sum(row.moved for row in rows) == 0
    held = next(a for row in rows for a in row.activities if a.pk == seminar.pk)
    assert held.outcome == "overdue"
    # The Word cell shows the move, as the web report does.
    assert "перенесено на январь" in selectors.execution_text(held)
    content = printing.report_docx(plan, rows, date(2025, 6, 1))
    assert "Просрочено: перенесено на январь (ждали приказа)" in docx_all_text(content)
    # Before the new timing is over it is moved, and only moved.
    early = selectors.execution_report(_fresh(approved_plan), date(2025, 1, 10))
    assert sum(row.moved for row in early) == 1
    assert sum(row.total for row in early) == sum(len(row.activities) for row in early)


def test_the_report_sentence_adds_up(cast, approved_plan):
    services.activity_mark(cast.methodist, _activity(approved_plan, "Ярмарка"), "done", report="ok")
    rows = selectors.execution_report(_fresh(approved_plan), date(2025, 6, 1))
    sentence = printing.totals_sentence(rows)
    figures = [int(part.split("— ")[1].rstrip(".")) for part in sentence.split(":")[1].split(",")]
    assert sentence.startswith("Всего 17 мероприятий:")
    assert sum(figures) == 17


def test_the_report_in_word_keeps_the_paper_rules_with_date_and_signatures(
    cast, login, approved_plan
):
    response = login(cast.director).get(
        reverse("plans:report", args=[approved_plan.pk]), {"format": "docx"}
    )
    assert response.status_code == 200
    assert_paper_layout(response.content)
    text = docx_all_text(response.content)
    assert "Дата составления:" in text
    assert "Руководитель ММО" in text and "Т.Г. Никитенко" in text
    assert "Методист-куратор" in text and "Э.В. Леонтьева" in text
    assert_clean_text(text)


def test_the_web_report_shows_the_move_of_a_held_activity(cast, login, approved_plan):
    seminar = _activity(approved_plan, "Алгоритм заказа")
    services.activity_mark(cast.methodist, seminar, "moved", moved_to_text="январь", reason="x")
    services.activity_mark(cast.methodist, seminar, "done", report="Проведён.")
    page = login(cast.director).get(reverse("plans:report", args=[approved_plan.pk]))
    assert "перенесено на январь" in page.content.decode()


# --- the work plan ---------------------------------------------------------------------------


def test_the_word_plan_and_the_pdf_print_the_same_approval_date(cast, approved_plan):
    plan = _fresh(approved_plan)
    line = plan.approval_date_line
    assert "___" not in line  # approved: a real date
    text = docx_all_text(printing.plan_docx(plan))
    assert line in text
    html = printing.render_to_string(
        "plans/print.html", {"plan": plan, "document": selectors.plan_to_document(plan)}
    )
    assert line in html


def test_the_word_plan_keeps_the_paper_rules(cast, approved_plan):
    content = printing.plan_docx(_fresh(approved_plan))
    assert_paper_layout(content, tables_with_header=1)
    import docx

    properties = docx.Document(io.BytesIO(content)).core_properties
    assert properties.author == cast.association.name


# --- «По месяцам» ----------------------------------------------------------------------------


def test_by_month_in_word_and_pdf(cast, login, approved_plan):
    client = login(cast.librarian_a)
    page = client.get(reverse("plans:by_month", args=[approved_plan.pk])).content.decode()
    word_url = reverse("plans:by_month_export", args=[approved_plan.pk, "docx"])
    pdf_url = reverse("plans:by_month_export", args=[approved_plan.pk, "pdf"])
    assert word_url in page and pdf_url in page
    word = client.get(word_url)
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert "plan-2024-2025-months.docx" in word["Content-Disposition"]
    assert_paper_layout(word.content, tables_with_header=1)
    text = docx_all_text(word.content)
    assert "Сентябрь" in text and "Декабрь" in text and "В течение года" in text
    assert "Семинар «Алгоритм заказа учебной литературы»" in text
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_by_month_files_are_not_for_another_association(cast, login, approved_plan):
    url = reverse("plans:by_month_export", args=[approved_plan.pk, "docx"])
    assert login(cast.outsider).get(url).status_code in (403, 404)


def test_by_month_unknown_kind_is_404(cast, login, approved_plan):
    url = reverse("plans:by_month_export", args=[approved_plan.pk, "exe"])
    assert login(cast.director).get(url).status_code == 404
