"""The library and portal journey, as the issue names it: the methodist uploads an order with
its PDF, then a later version, marks an older act repealed; a librarian finds it by another
word form from its text; a post goes through review to the portal, shows in the RSS feed, and
a visitor reads it without logging in."""

import re

import pytest
from playwright.sync_api import expect

from bibliomo.documents import services
from bibliomo.documents.models import Document
from tests.factories import DOCUMENT_FIELDS, docx_bytes, log_in, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_library_search_and_a_post_to_the_portal(cast, live_server, page, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    old = services.document_create(
        cast.methodist,
        cast.association,
        **{**DOCUMENT_FIELDS, "title": "Старый перечень учебников", "number": "254"},
    )
    first = tmp_path / "prikaz-858.pdf"
    first.write_bytes(
        pdf_bytes("Учебники, исключённые из перечня, используются до предельного срока.")
    )
    second = tmp_path / "prikaz-858-2024.docx"
    second.write_bytes(docx_bytes("Редакция 2024 года: уточнены сроки использования учебников."))

    log_in(page, live_server, "metodist@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Документы").click()
    page.get_by_role("link", name="Добавить документ").click()
    page.locator("#id_title").fill("Об утверждении федерального перечня учебников")
    page.locator("#id_kind").select_option("order")
    page.locator("#id_category").select_option("federal")
    page.locator("#id_issuer").fill("Минпросвещения России")
    page.locator("#id_number").fill("858")
    page.locator("#id_audience").select_option("members")
    page.locator("#id_file").set_input_files(str(first))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Документ добавлен в библиотеку.")).to_be_visible()
    page.get_by_label("Новая версия файла").set_input_files(str(second))
    page.get_by_label("Что изменилось").fill("Изменения 2024 года")
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_text("Новая версия загружена; прежние сохранены.")).to_be_visible()
    assert Document.objects.get(number="858").versions.count() == 2

    page.goto(f"{live_server.url}{old.get_absolute_url()}")
    page.get_by_label("Утратил силу с").fill("2022-09-21")
    page.get_by_role("button", name="Отметить утратившим силу").click()
    expect(page.get_by_text("Документ отмечен как утративший силу.")).to_be_visible()
    expect(page.get_by_text("Утратил силу с 21.09.2022.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "lib.a@test.ru")
    page.goto(f"{live_server.url}/app/documents/?q=использования+учебника")
    result = page.get_by_role("link", name="Об утверждении федерального перечня учебников")
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "head@test.ru")
    page.goto(f"{live_server.url}/app/portal/new/")
    page.locator("#id_title").fill("Вышла новая редакция перечня учебников")
    page.locator("#id_body").fill("## Что изменилось\n\n- сроки использования\n- новые учебники")
    page.get_by_role("button", name="Сохранить и посмотреть").click()
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Новость отправлена методисту на проверку.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/portal/")
    page.get_by_role("link", name="Вышла новая редакция перечня учебников").click()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Новость опубликована")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    rss = page.request.get(f"{live_server.url}/news/rss/").text()
    assert "Вышла новая редакция перечня учебников" in rss
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Вышла новая редакция перечня учебников").click()
    expect(page.get_by_role("heading", name="Что изменилось")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/news/\d+/$"))
