"""The monitoring journey, as the issue names it: a librarian downloads her template, fills it
(here with openpyxl, as Excel would), uploads it, sees her errors, fixes them, submits; the
methodist accepts, opens the municipal summary, drills down, exports the regional form."""

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.factories import MATHS_5, RUSSIAN_5, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(template: bytes, pupils: str, copies: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template))

    def first_empty(sheet, column=1):
        row = 1
        while sheet.cell(row=row, column=column).value not in (None, ""):
            row += 1
        return row

    enrolment = book["Контингент"]
    row = first_empty(enrolment)
    enrolment.cell(row=row, column=1, value=5)
    enrolment.cell(row=row, column=3, value=pupils)
    enrolment.cell(row=row, column=4, value=2)
    lines = book["УМК"]
    for code in (RUSSIAN_5.code, MATHS_5.code):
        row = first_empty(lines)
        lines.cell(row=row, column=1, value=5)
        lines.cell(row=row, column=2, value=code)
        lines.cell(row=row, column=4, value=pupils)
    holdings = book["Фонд"]
    for code, count in ((RUSSIAN_5.code, copies), (MATHS_5.code, "40")):
        row = first_empty(holdings)
        holdings.cell(row=row, column=1, value=code)
        holdings.cell(row=row, column=3, value=2023)
        holdings.cell(row=row, column=4, value=count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_template_to_summary(cast, live_server, page, campaign, tmp_path):
    log_in(page, live_server, "lib.a@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Учебники").click()
    page.get_by_role("link", name="Мониторинг 2024/2025 (2024/2025)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать шаблон с данными школы").click()
    template = Path(download.value.path()).read_bytes()

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(_fill(template, "50", "-3"))
    page.locator("#id_file").set_input_files(str(broken))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_text("Ошибки в файле (ничего не сохранено):")).to_be_visible()
    expect(page.get_by_text("Лист «Фонд»").first).to_be_visible()

    fixed = tmp_path / "fixed.xlsx"
    fixed.write_bytes(_fill(template, "50", "55"))
    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_text("Данные из файла загружены.")).to_be_visible()
    page.get_by_role("button", name="Сдать отчёт").click()
    expect(page.get_by_text("Отчёт сдан методисту.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="МБОУ «СОШ № 1»").click()
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_text("Отчёт принят.")).to_be_visible()
    page.goto(f"{live_server.url}/app/textbooks/summary/")
    expect(page.get_by_role("heading", name="По предметам")).to_be_visible()
    # The school table's link (the school × subject table below links to the same page).
    page.get_by_role("table").get_by_role("link", name="МБОУ «СОШ № 1»").first.click()
    expect(page.get_by_text(MATHS_5.code)).to_be_visible()
    page.go_back()
    with page.expect_download() as regional:
        page.get_by_role("link", name="Региональная форма").click()
    assert regional.value.suggested_filename == "regional-form-2024.xlsx"
