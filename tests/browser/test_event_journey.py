"""The events journey, as the issue names it: a librarian registers, gets the e-mail with an
.ics, is marked attended, downloads her certificate, whose verification link opens the public
page; the methodist prints the sign-in sheet and the minutes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bibliomo.events.models import Event
from tests.factories import log_in, make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_attend_certificate_verify_and_print(cast, live_server, page, settings):
    settings.SITE_URL = live_server.url
    seminar = make_event(cast, title="Алгоритм заказа учебной литературы", capacity=20)
    meeting = make_event(cast, kind="meeting", title="Заседание ММО № 3", days=8)

    log_in(page, live_server, "lib.a@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мероприятия").click()
    page.get_by_role("link", name="Алгоритм заказа учебной литературы").click()
    page.get_by_role("button", name="Записаться").click()
    expect(page.get_by_text("Вы записаны.")).to_be_visible()
    letter = next(m for m in mail.outbox if m.to == ["lib.a@test.ru"])
    assert letter.subject == "Вы записаны: Алгоритм заказа учебной литературы"
    name, ics, _ = letter.attachments[0]
    assert name == "event.ics" and "BEGIN:VEVENT" in (ics if isinstance(ics, str) else ics.decode())
    page.get_by_role("button", name="Выйти").click()

    # A week later: the seminar and the meeting have taken place.
    for event in (seminar, meeting):
        start = timezone.now() - timedelta(days=1)
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=2)
        )

    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/events/{seminar.pk}/participants/")
    page.get_by_label("Посещение: Иванова А.С.").select_option("attended")
    page.get_by_role("button", name="Сохранить посещение").click()
    expect(page.get_by_text("Посещение сохранено (изменений: 1)")).to_be_visible()
    with page.expect_download() as sheet:
        page.get_by_role("link", name="Лист регистрации (PDF)").click()
    assert sheet.value.suggested_filename == f"signin-{seminar.pk}.pdf"
    page.get_by_role("link", name="Сертификаты").click()
    page.get_by_role("button", name="Выдать сертификаты присутствовавшим").click()
    expect(page.get_by_text("Выдано новых сертификатов: 1.")).to_be_visible()

    page.goto(f"{live_server.url}/app/events/{meeting.pk}/minutes/")
    page.get_by_label("Номер протокола").fill("3")
    page.get_by_label("Председатель").fill("Никитенко Т.Г.")
    page.get_by_label("Секретарь").fill("Леонтьева Э.В.")
    page.locator("#id_items-0-title").fill("О заказе учебников на следующий год")
    page.locator("#id_items-0-decided").fill("Подать заявки до 1 февраля.")
    page.get_by_role("button", name="Сохранить протокол").click()
    with page.expect_download() as minutes:
        page.get_by_role("link", name="Скачать протокол (Word)").click()
    assert minutes.value.suggested_filename.endswith(".docx")
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "lib.a@test.ru")
    page.goto(f"{live_server.url}/app/events/my/")
    expect(page.get_by_text("Посещено: 1 мероприятие, 2 ак. ч.")).to_be_visible()
    with page.expect_download() as certificate:
        page.get_by_role("link", name=re.compile(r"№ \d{4}-")).click()
    pdf_text = PdfReader(certificate.value.path()).pages[0].extract_text()
    assert "Ивановой Анне Сергеевне" in pdf_text
    verify_url = re.search(r"(http://\S+/verify/\S+/)", pdf_text.replace("\n", "")).group(1)

    page.goto(verify_url)
    expect(page.get_by_role("heading", name="Сертификат подлинный")).to_be_visible()
    expect(page.get_by_text("Иванова Анна Сергеевна")).to_be_visible()
