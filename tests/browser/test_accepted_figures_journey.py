"""A school with two buildings hands in its report by its own template, the methodist accepts
it, and the figures she signed stay what they were after the school uploads the next year's
report with a fund that has changed."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from bibliomo.directory import services as directory_services
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services
from tests.conftest import PASSWORD
from tests.textbooks.fixtures import MATHS_5, RUSSIAN_5

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/app/account/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()


def _download(page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать шаблон с данными школы").click()
    return Path(download.value.path()).read_bytes()


def _upload(page, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Загрузить", exact=True).click()


def _more_maths(template: bytes) -> bytes:
    """The template with the maths copies of the fund raised from 48 to 120."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Фонд"]
    for row in sheet.iter_rows():
        if any(cell.value == MATHS_5.code for cell in row):
            next(cell for cell in row if cell.value == 48).value = 120
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _school_row(page, live_server, school, year="2024/2025"):
    page.goto(f"{live_server.url}/app/textbooks/summary/?year={year}")
    row = page.locator("table").first.locator("tr", has_text=school.short_name)
    return row.inner_text()


def test_accepted_figures_stay_after_the_next_years_upload(
    cast, live_server, page, campaign, tmp_path
):
    directory_services.building_create(
        None,
        cast.school_a,
        name="Корпус на Ленина",
        address="г. Серпухов, ул. Ленина, д. 5",
        latitude=Decimal("54.92"),
        longitude=Decimal("37.41"),
        is_main=False,
    )
    report = campaign.submissions.get(school=cast.school_a)
    services.submission_save(
        cast.librarian_a,
        report,
        enrolment=[EnrolmentRow(5, 50, 2)],
        lines=[LineRow(5, RUSSIAN_5.code, 50), LineRow(5, MATHS_5.code, 50)],
        holdings=[HoldingRow(RUSSIAN_5.code, 2023, 52), HoldingRow(MATHS_5.code, 2022, 48)],
    )

    # The librarian: her own template back unchanged, then the report handed in.
    _log_in(page, live_server, "lib.a@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/reports/{report.pk}/")
    _upload(page, tmp_path / "как есть.xlsx", _download(page))
    expect(page.get_by_text("Файл загружен: данные в нём те же, что в Bibliomo.")).to_be_visible()
    page.get_by_role("button", name="Сдать отчёт").click()
    expect(page.get_by_text("Отчёт сдан методисту.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    # The methodist accepts and reads the school's line of the summary: 98 of 100, 98%.
    _log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/reports/{report.pk}/")
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_text("Отчёт принят.")).to_be_visible()
    accepted = _school_row(page, live_server, cast.school_a)
    assert "98,0%" in accepted and "100" in accepted
    later = services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2026/2027",
        academic_year=2026,
        as_of=date(2026, 9, 15),
        deadline=date(2026, 9, 30),
    )
    page.get_by_role("button", name="Выйти").click()

    # A year on, the school uploads its next report: the fund now has 120 maths textbooks.
    next_report = later.submissions.get(school=cast.school_a)
    _log_in(page, live_server, "lib.a@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/reports/{next_report.pk}/")
    _upload(page, tmp_path / "2026.xlsx", _more_maths(_download(page)))
    expect(page.get_by_text("Данные из файла загружены")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    # The summary of 2024/2025 still says what the methodist accepted; the report too.
    _log_in(page, live_server, "metodist@test.ru")
    assert _school_row(page, live_server, cast.school_a) == accepted
    page.goto(f"{live_server.url}/app/textbooks/reports/{report.pk}/")
    expect(page.get_by_text("Принят", exact=False).first).to_be_visible()
    # The three years' chart shows the accepted year.
    page.goto(f"{live_server.url}/app/textbooks/summary/?year=2026/2027")
    expect(page.get_by_text("2024/2025: 98,0%")).to_be_visible()
