"""The year as one story, in a browser: the methodist reads what was done for each line of the
2024/2025 plan, writes the conclusions of the year's analysis and submits it; the director
approves it from her home page; it goes to Word; rolling the plan over takes its tasks."""

import re

import pytest
from playwright.sync_api import expect

from bibliomo.plans.models import WorkPlan
from bibliomo.reviews.models import Review
from tests.conftest import PASSWORD
from tests.reviews.builders import approved_plan, held_event, line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Провести семинар «Алгоритм заказа учебной литературы» в декабре 2025/2026 учебного года"


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/app/account/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name=re.compile("Здравствуйте"))).to_be_visible()


def _menu(page, name):
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name=name).click()


def test_the_year_from_plan_to_analysis_to_next_years_plan(cast, live_server, page):
    plan = approved_plan(cast)
    held_event(
        cast,
        (2024, 12, 18),
        title="Ярмарка библиотечных идей",
        kind="ideas_fair",
        activities=[line(plan, "Ярмарка библиотечных идей")],
        people=[cast.librarian_a, cast.librarian_b],
    )
    held_event(
        cast,
        (2025, 1, 22),
        title="Алгоритм заказа учебной литературы",
        activities=[line(plan, "Алгоритм заказа")],
        people=[cast.librarian_a],
    )

    # The plan shows what was done for each line.
    _log_in(page, live_server, "metodist@test.ru")
    _menu(page, "План работы")
    page.get_by_role("link", name=re.compile(r"2024\/2025")).first.click()
    facts = page.get_by_role("list", name="Что сделано по строке")
    expect(facts.filter(has_text="Ярмарка библиотечных идей")).to_have_count(1)
    expect(facts.filter(has_text="22.01.2025")).to_contain_text("1 участник")

    # The analysis: assembled from the data, conclusions typed, submitted.
    _menu(page, "Анализ года")
    page.get_by_label("Учебный год").fill("2024/2025")
    page.get_by_role("button", name="Составить анализ").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Анализ работы ММО за 2024\/2025"))
    ).to_be_visible()
    events = page.locator("#section-events")
    expect(events).to_contain_text("Проведено 2 мероприятия")
    expect(events.get_by_role("link", name="2 мероприятия")).to_be_visible()  # figures link
    page.get_by_role("link", name="Изменить выводы и задачи").click()
    page.get_by_label("Выводы: Мероприятия").fill("Ярмарка идей собрала обе школы.")
    page.get_by_label(re.compile("Задачи на следующий учебный год")).fill(
        f"{TASK}\nРазвивать наставничество"
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Выводы и задачи сохранены.")).to_be_visible()
    expect(events).to_contain_text("Ярмарка идей собрала обе школы.")
    page.get_by_role("button", name="Передать на утверждение").click()
    expect(page.get_by_text("Анализ передан директору на утверждение.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    # The director approves it from her home page and takes it to Word.
    _log_in(page, live_server, "director@test.ru")
    waiting = page.locator("section", has=page.get_by_role("heading", name="На утверждении"))
    waiting.get_by_role("link", name="Анализ работы ММО за 2024/2025 учебный год").click()
    page.get_by_role("button", name="Утвердить").click()
    expect(page.get_by_text("Анализ утверждён.")).to_be_visible()
    assert Review.objects.get().status == Review.Status.APPROVED
    with page.expect_download() as word:
        page.get_by_role("link", name="Word", exact=True).click()
    assert word.value.suggested_filename == "analysis-2024-2025.docx"
    page.get_by_role("button", name="Выйти").click()

    # Rolling the plan over puts the analysis's tasks into next year's draft.
    _log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("button", name="Создать план на следующий год").click()
    expect(page.get_by_role("heading", name=re.compile(r"2025\/2026"))).to_be_visible()
    shifted = TASK.replace("2025/2026", "2026/2027")
    expect(page.get_by_text(shifted)).to_be_visible()
    draft = WorkPlan.objects.get(academic_year=2025)
    assert draft.tasks == [shifted, "Развивать наставничество"]
