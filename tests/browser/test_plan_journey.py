"""The work plan's main journey, as the issue names it: upload, check, save, edit a timing,
submit; the director approves; anyone prints the official form in Word and PDF."""

import re

import pytest
from playwright.sync_api import expect

from bibliomo.plans.models import PlanActivity, WorkPlan
from tests.factories import log_in
from tests.plans.user_plan import WORD_SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_from_upload_to_approval_and_print(cast, live_server, page, browser):
    log_in(page, live_server, "metodist@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="План работы").click()
    page.get_by_role("link", name="Загрузить план из файла").click()
    page.get_by_label("Файл плана").set_input_files(str(WORD_SAMPLE))
    page.get_by_role("button", name="Разобрать файл").click()

    expect(page.get_by_role("heading", name="Проверьте, как понят план")).to_be_visible()
    expect(page.get_by_text("5 задач, 4 раздела, 17 мероприятий, 2 подписи")).to_be_visible()
    page.get_by_role("button", name="Сохранить план").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"План работы на 2024\/2025"))
    ).to_be_visible()

    # Edit the timing of the ideas fair in place: the page does not reload.
    page.evaluate("window.__same_page = true")
    page.get_by_role("link", name=re.compile("Изменить: Ярмарка библиотечных идей")).click()
    timing = page.get_by_label("Сроки")
    expect(timing).to_have_value("декабрь")
    timing.fill("ноябрь–декабрь")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#plan-table")).to_contain_text("ноябрь–декабрь")
    assert page.evaluate("window.__same_page") is True
    fair = PlanActivity.objects.get(content__startswith="Ярмарка")
    assert fair.timing.months == [11, 12]

    page.get_by_role("button", name="Передать на утверждение").click()
    expect(page.get_by_text("План передан директору на утверждение.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "director@test.ru")
    page.get_by_role("link", name="План работы на 2024/2025 учебный год").click()
    page.get_by_role("button", name="Утвердить").click()
    expect(page.get_by_text("План утверждён.")).to_be_visible()
    assert WorkPlan.objects.get().status == WorkPlan.Status.APPROVED

    with page.expect_download() as word:
        page.get_by_role("link", name="Word", exact=True).click()
    assert word.value.suggested_filename == "plan-2024-2025.docx"
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert pdf.value.suggested_filename == "plan-2024-2025.pdf"
