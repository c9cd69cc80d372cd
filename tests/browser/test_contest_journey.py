"""The contest journey, from the announcement to the diplomas: the methodist creates a contest
from its regulation's terms and announces it (portal and e-mail), a librarian submits an entry,
a juror scores it blind, the methodist records the place, publishes the results and issues the
diplomas, the librarian downloads hers and its QR link verifies it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bibliomo.contests.models import Contest, Entry
from tests.conftest import PASSWORD, consented

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, person):
    consented(person)
    page.goto(f"{live_server.url}/app/account/login/")
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def _sign_out(page):
    page.get_by_role("button", name="Выйти").click()


def test_announcement_entry_blind_judging_results_and_diploma(
    cast, live_server, page, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    today = timezone.localdate()

    _sign_in(page, live_server, cast.methodist)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Конкурсы").click()
    page.get_by_role("link", name="Новый конкурс").click()
    page.locator("#id_title").fill("Лучший библиотечный урок")
    page.locator("#id_audience").select_option("librarians")
    page.locator("#id_applications_open").fill(today.isoformat())
    page.locator("#id_applications_close").fill((today + timedelta(days=10)).isoformat())
    page.locator("#id_judging_until").fill((today + timedelta(days=20)).isoformat())
    page.locator("#id_results_on").fill((today + timedelta(days=25)).isoformat())
    page.locator("#id_blind").check()
    page.locator("#id_categories").fill("Урок в начальной школе")
    page.locator("#id_criteria").fill(
        "Раскрытие темы | 10 | 2 | 0 — не раскрыта; 10 — раскрыта полностью\nОформление | 5 | 1"
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Конкурс сохранён.")).to_be_visible()
    page.get_by_role("button", name="Объявить").click()
    expect(page.get_by_text("Конкурс объявлен")).to_be_visible()
    assert any("Лучший библиотечный урок" in m.subject for m in mail.outbox)
    contest = Contest.objects.get()
    _sign_out(page)

    # The public portal announces it.
    page.goto(f"{live_server.url}/contests/")
    page.get_by_role("link", name="Лучший библиотечный урок").click()
    expect(page.get_by_text("Раскрытие темы — до 10 баллов")).to_be_visible()

    # A librarian submits her entry with a file.
    entry_file = tmp_path / "Иванова — урок.pdf"
    entry_file.write_bytes(b"%PDF-1.4 lesson")
    _sign_in(page, live_server, cast.librarian_a)
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/")
    page.get_by_role("link", name="Подать заявку").click()
    page.locator("#id_category").select_option(label="Урок в начальной школе")
    page.locator("#id_title").fill("Урок «Книга и я»")
    page.locator("#id_authors").fill("Иванова Анна Сергеевна")
    page.locator("#id_file").set_input_files(str(entry_file))
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.get_by_text("Заявка подана.")).to_be_visible()
    _sign_out(page)

    # The methodist seats a juror from another school and hands out the entries.
    _sign_in(page, live_server, cast.methodist)
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/jurors/")
    page.locator("#id_person").select_option(label=str(cast.librarian_b))
    page.get_by_role("button", name="Добавить").click()
    page.get_by_role("button", name="Распределить работы").click()
    expect(page.get_by_text("Назначено новых оценок: 1.")).to_be_visible()
    _sign_out(page)

    # The juror sees the number only, and scores.
    _sign_in(page, live_server, cast.librarian_b)
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/jury/")
    page.get_by_role("link", name="Работа № 1").click()
    expect(page.get_by_text("Иванова")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="скачать работу").click()
    assert download.value.suggested_filename == "Работа 1.pdf"
    page.get_by_label(re.compile("^Раскрытие темы")).select_option("9")
    page.get_by_label(re.compile("^Оформление")).select_option("4")
    page.get_by_role("button", name="Сдать оценку").click()
    expect(page.get_by_text("Оценка «Работа № 1» сохранена.")).to_be_visible()
    _sign_out(page)

    # Applications close; the methodist records the place, publishes, issues diplomas.
    _sign_in(page, live_server, cast.methodist)
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/")
    page.get_by_role("button", name="Закрыть приём заявок").click()
    page.get_by_role("link", name="Результаты и решения").click()
    # 9·2 + 4·1 = 22: the juror's sum and the result (one juror)
    expect(page.get_by_role("cell", name="22,00")).to_have_count(2)
    page.get_by_label("Место", exact=True).select_option("1")
    page.get_by_role("button", name="ОК").click()
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/")
    page.get_by_role("button", name="Опубликовать итоги").click()
    expect(page.get_by_text("Итоги опубликованы")).to_be_visible()
    page.get_by_role("link", name="Дипломы и сертификаты").click()
    page.get_by_role("button", name="Выдать дипломы и сертификаты").click()
    expect(page.get_by_text("Выдано дипломов и сертификатов: 2.")).to_be_visible()
    _sign_out(page)
    assert Entry.objects.get().place == 1

    # The librarian downloads her diploma; its QR link verifies it.
    _sign_in(page, live_server, cast.librarian_a)
    page.goto(f"{live_server.url}/app/contests/{contest.pk}/")
    with page.expect_download() as diploma:
        page.get_by_role("link", name="диплом победителя (PDF)").click()
    text = PdfReader(diploma.value.path()).pages[0].extract_text()
    assert "Иванова Анна Сергеевна" in text
    verify_url = re.search(r"(http://\S+/verify/\S+/)", text.replace("\n", "")).group(1)
    page.goto(verify_url)
    expect(page.get_by_role("heading", name="Диплом подлинный")).to_be_visible()
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    expect(page.get_by_role("cell", name="Иванова Анна Сергеевна")).to_be_visible()
