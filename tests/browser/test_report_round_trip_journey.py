"""A school with two buildings downloads its own template, uploads it unchanged, submits; the
methodist accepts. Then the lost update: a template downloaded before a web edit asks before
it overwrites."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from bibliomo.directory import services as directory_services
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services
from tests.factories import MATHS_5, RUSSIAN_5, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_buildings(cast, campaign):
    """School A gains a second building; its pupils are counted for the school as a whole,
    as the demo's schools with several buildings have them."""
    directory_services.building_create(
        None,
        cast.school_a,
        name="Корпус на Ленина",
        address="г. Серпухов, ул. Ленина, д. 5",
        latitude=Decimal("54.92"),
        longitude=Decimal("37.41"),
        is_main=False,
    )
    submission = campaign.submissions.get(school=cast.school_a)
    services.submission_save(
        cast.librarian_a,
        submission,
        enrolment=[EnrolmentRow(5, 50, 2)],
        lines=[LineRow(5, RUSSIAN_5.code, 50), LineRow(5, MATHS_5.code, 50)],
        holdings=[HoldingRow(RUSSIAN_5.code, 2023, 52), HoldingRow(MATHS_5.code, 2022, 48)],
    )
    return submission


def _download(page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать шаблон с данными школы").click()
    return Path(download.value.path()).read_bytes()


def _upload(page, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Загрузить", exact=True).click()


def test_a_school_with_two_buildings_round_trips_its_template(
    cast, live_server, page, campaign, two_buildings, tmp_path
):
    log_in(page, live_server, "lib.a@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/reports/{two_buildings.pk}/")
    template = _download(page)

    _upload(page, tmp_path / "как есть.xlsx", template)
    expect(page.get_by_text("Файл загружен: данные в нём те же, что в Bibliomo.")).to_be_visible()
    page.get_by_role("link", name="заполнить").first.click()
    expect(page.locator("input[name$='-pupils'][value='50']")).to_have_count(1)
    page.go_back()

    # A colleague corrects the enrolment in the web form; the old file must not undo it quietly.
    page.goto(f"{live_server.url}/app/textbooks/reports/{two_buildings.pk}/enrolment/")
    page.locator("input[name$='-pupils'][value='50']").fill("51")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    _upload(page, tmp_path / "старый.xlsx", template)
    expect(page.get_by_text("Загрузить файл поверх более новых данных?")).to_be_visible()
    expect(page.get_by_text("Контингент: 5 класс: было 51 обуч., 2 кл.")).to_be_visible()
    page.get_by_role("button", name="Отменить загрузку").click()
    expect(page.get_by_text("Загрузка отменена, данные не изменены.")).to_be_visible()

    page.get_by_role("button", name="Сдать отчёт").click()
    expect(page.get_by_text("Отчёт сдан методисту.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/textbooks/reports/{two_buildings.pk}/")
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_text("Отчёт принят.")).to_be_visible()
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook["Контингент"]["B3"].value is None  # the whole school, not a building
