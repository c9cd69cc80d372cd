"""The exchange and order journey, as the issue names it: the methodist builds the plan, sees
the trade-off and publishes; the sending and the receiving librarian agree, ship and receive;
both holdings change; the act prints; the order for next year is computed, reviewed and
exported."""

import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services as textbook_services
from bibliomo.textbooks.models import Holding
from tests.factories import MATHS_5, RUSSIAN_5, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accepted(cast, campaign):
    """School A has Russian to spare and lacks maths; school B the other way round."""
    stock = {
        cast.school_a: ((RUSSIAN_5, 140), (MATHS_5, 70)),
        cast.school_b: ((RUSSIAN_5, 60), (MATHS_5, 130)),
    }
    for school, librarian in ((cast.school_a, cast.librarian_a), (cast.school_b, cast.librarian_b)):
        submission = campaign.submissions.get(school=school)
        textbook_services.submission_save(
            librarian,
            submission,
            enrolment=[EnrolmentRow(4, 110, 4), EnrolmentRow(5, 100, 4)],
            lines=[LineRow(5, RUSSIAN_5.code, 100), LineRow(5, MATHS_5.code, 100)],
            holdings=[HoldingRow(entry.code, 2023, copies) for entry, copies in stock[school]],
        )
        textbook_services.submission_submit(librarian, submission)
        textbook_services.submission_decide(cast.methodist, submission, True)
    return campaign


def _usable(school, entry) -> int:
    return sum(h.usable for h in Holding.objects.filter(school=school, entry__code=entry.code))


def test_plan_publish_ship_receive_act_and_order(cast, live_server, page, accepted):
    # The methodist builds the plan from the accepted monitoring and calculates it.
    log_in(page, live_server, cast.methodist.email)
    page.get_by_role("link", name="Обмен и заказ").click()
    page.get_by_role("link", name="Новый план обмена").click()
    page.get_by_label("По данным мониторинга").select_option(
        label="Мониторинг 2024/2025 (2024/2025)"
    )
    page.get_by_label("Название").fill("Обмен 2024/2025")
    page.get_by_label("время на расчёт, с").fill("2")
    page.get_by_role("button", name="Создать план").click()
    expect(page.get_by_role("heading", name="Обмен 2024/2025")).to_be_visible()
    page.get_by_role("button", name="Рассчитать план").click()
    page.get_by_role("link", name="Открыть результат").click()
    # The trade-off and the comparison with doing it by hand.
    expect(
        page.get_by_role("heading", name="Сколько можно перевезти за меньшее число поездок")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Сравнение со способами «вручную»")).to_be_visible()
    expect(page.get_by_role("img", name="Школы и перевозки на схеме")).to_be_visible()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("План опубликован")).to_be_visible()
    page.get_by_role("link", name="По получающим школам").click()
    expect(page.get_by_role("link", name="№ 1")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    # The sending librarian (school A sends Russian to B) agrees.
    log_in(page, live_server, cast.librarian_a.email)
    page.get_by_role("link", name="Обмен и заказ").click()
    page.get_by_role("row", name=re.compile("мы → МБОУ «Гимназия № 5»")).get_by_role("link").click()
    page.get_by_role("button", name="Согласовать отправку").click()
    expect(page.get_by_text("Отправка согласована.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, cast.librarian_b.email)
    page.get_by_role("link", name="Обмен и заказ").click()
    page.get_by_role("row", name=re.compile("МБОУ «СОШ № 1» → мы")).get_by_role("link").click()
    page.get_by_role("button", name="Согласовать получение").click()
    expect(page.get_by_text("Получение согласовано.")).to_be_visible()
    shipment_url = page.url
    page.get_by_role("button", name="Выйти").click()

    # School A ships 30 copies of Russian and prints the act.
    before_a, before_b = _usable(cast.school_a, RUSSIAN_5), _usable(cast.school_b, RUSSIAN_5)
    log_in(page, live_server, cast.librarian_a.email)
    page.goto(shipment_url)
    shipped = page.get_by_label(f"Отправлено: {RUSSIAN_5.code}")
    planned = int(shipped.input_value())
    assert planned > 0
    page.get_by_role("button", name="Отметить отправку").click()
    expect(page.get_by_text("Отправка отмечена.")).to_be_visible()
    with page.expect_download() as act:
        page.get_by_role("link", name="Акт (Word)").click()
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(Path(act.value.path()).read_bytes())).paragraphs
    )
    assert "Акт приёма-передачи учебников во временное пользование" in text
    # «№» is joined to its number by a no-break space (the paper rules).
    assert "Гимназия №\u00a05" in text
    page.get_by_role("button", name="Выйти").click()

    # School B receives two copies fewer than were sent; both holdings change.
    log_in(page, live_server, cast.librarian_b.email)
    page.goto(shipment_url)
    page.get_by_label(f"Получено: {RUSSIAN_5.code}").fill(str(planned - 2))
    page.get_by_role("button", name="Отметить получение").click()
    expect(page.get_by_text("фонды обеих школ обновлены")).to_be_visible()
    expect(page.get_by_text(f"{RUSSIAN_5.code}: не дошло 2 экз.", exact=True)).to_be_visible()
    assert _usable(cast.school_a, RUSSIAN_5) == before_a - planned
    assert _usable(cast.school_b, RUSSIAN_5) == before_b + planned - 2
    page.get_by_role("button", name="Выйти").click()

    # The order for next year: computed, reviewed by school A, accepted, exported.
    log_in(page, live_server, cast.methodist.email)
    page.get_by_role("link", name="Обмен и заказ").click()
    page.get_by_role("link", name="Рассчитать заказ").click()
    page.get_by_label("По данным мониторинга").select_option(
        label="Мониторинг 2024/2025 (2024/2025)"
    )
    page.get_by_label("Школы проверяют до").fill("2025-03-01")
    page.get_by_role("button", name="Рассчитать").click()
    page.get_by_role("link", name="Открыть результат").click()
    expect(
        page.get_by_role("heading", name="Заказ учебников на 2025/2026 учебный год")
    ).to_be_visible()
    order_url = page.url
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, cast.librarian_a.email)
    page.get_by_role("link", name="Обмен и заказ").click()
    page.get_by_role("link", name="Заказ учебников на 2025/2026 учебный год").click()
    expect(page.get_by_role("columnheader", name="Прогноз")).to_be_visible()
    page.get_by_role("button", name="Сдать заказ").click()
    expect(page.get_by_text("Заказ сдан методисту.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, cast.methodist.email)
    page.goto(order_url)
    page.get_by_role("link", name="МБОУ «СОШ № 1»").click()
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_text("Решение сохранено.")).to_be_visible()
    page.goto(order_url)
    with page.expect_download() as consolidated:
        page.get_by_role("link", name="Сводный заказ (Excel)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(consolidated.value.path()).read_bytes())).active
    assert sheet["A1"].value == "Сводный заказ учебников на 2025/2026 учебный год"
    # School B has not submitted: consolidation is refused with its name.
    page.get_by_role("button", name="Сформировать сводный заказ").click()
    expect(page.get_by_text("Не приняты заказы школ: МБОУ «Гимназия № 5».")).to_be_visible()
