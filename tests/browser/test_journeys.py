import re

import pytest
from playwright.sync_api import expect

from tests.factories import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_methodist_logs_in_opens_a_school_card_and_logs_out(cast, live_server, page):
    log_in(page, live_server, "metodist@test.ru")
    expect(page.get_by_role("heading", name=re.compile("Здравствуйте, Элла"))).to_be_visible()
    expect(page.get_by_role("heading", name="Требует внимания")).to_be_visible()
    # The project's stylesheet and htmx are served (a page without them still "works").
    topbar = page.locator(".topbar")
    expect(topbar).to_have_css("background-color", "rgb(23, 74, 109)")
    assert page.evaluate("typeof window.htmx") == "object"

    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Школы").click()
    expect(page.get_by_role("heading", name="Школы объединения")).to_be_visible()
    page.get_by_role("link", name="МБОУ «Гимназия № 5»").click()
    expect(page.get_by_role("heading", name="МБОУ «Гимназия № 5»")).to_be_visible()
    expect(page.get_by_text("Петрова Ольга Ивановна")).to_be_visible()
    expect(page.get_by_role("heading", name="История изменений")).to_be_visible()

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("heading", name="Вход в рабочее место")).to_be_visible()
    page.goto(f"{live_server.url}/app/")
    expect(page).to_have_url(re.compile(r"/app/account/login/\?next="))


def test_librarian_sees_her_school_and_no_administration(cast, live_server, page):
    log_in(page, live_server, "lib.a@test.ru")
    expect(page.get_by_role("heading", name="Моя школа")).to_be_visible()
    expect(page.get_by_role("heading", name="Требует внимания")).to_have_count(0)
    page.goto(f"{live_server.url}/app/people/")
    expect(page.get_by_role("link", name="Пригласить")).to_have_count(0)
    response = page.goto(f"{live_server.url}/app/schools/{cast.school_b.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Доступ запрещён")).to_be_visible()


def test_director_exports_the_directory_and_watches_the_progress(cast, live_server, page):
    log_in(page, live_server, "director@test.ru")
    page.goto(f"{live_server.url}/app/schools/")
    page.get_by_role("button", name="Выгрузить в Excel").click()
    expect(
        page.get_by_role("heading", name="Выгрузка справочника школ и библиотекарей")
    ).to_be_visible()
    expect(page.locator("#job-progress")).to_contain_text("Готово")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Скачать")).click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_school_card_is_usable_on_a_phone(cast, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="ru-RU")
    page = context.new_page()
    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/schools/{cast.school_a.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    context.close()
