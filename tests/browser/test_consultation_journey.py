"""The consultation desk journey the issue names: a librarian asks with a file, the methodist
answers linking a library document, the librarian marks the answer that solved it, the
methodist publishes it without names to the base of answers, and another school's librarian
finds it by the documents' one search box (and cannot open the original question)."""

import re

import pytest
from playwright.sync_api import expect

from bibliomo.consultations.models import FaqEntry, Question
from bibliomo.documents import services as document_services
from tests.factories import log_in, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Выйти").click()


def test_ask_answer_solve_publish_and_find(cast, live_server, page, tmp_path):
    document_services.document_create(
        cast.methodist,
        cast.association,
        title="Списание учебников: основания и оформление актов",
        kind="recommendation",
        category="methodical",
        audience="members",
    )
    scan = tmp_path / "акт.png"
    scan.write_bytes(png_bytes())

    # School B's librarian asks.
    log_in(page, live_server, "lib.b@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Консультации").click()
    page.get_by_role("link", name="Задать вопрос").click()
    page.get_by_label("Тема").select_option("write_off")
    page.get_by_label("Вопрос кратко").fill("Как списать учебники с истёкшим сроком?")
    page.get_by_label("Подробно").fill("В фонде 40 учебников истории, срок истёк. Как оформить?")
    page.get_by_label("Файлы").set_input_files(str(scan))
    page.get_by_role("button", name="Отправить вопрос").click()
    expect(page.get_by_text("Вопрос отправлен методисту")).to_be_visible()
    expect(page.get_by_role("link", name="акт.png")).to_be_visible()
    question = Question.objects.get()
    _log_out(page)

    # The methodist answers with a link to the library.
    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/consultations/")
    page.get_by_role("link", name="Как списать учебники с истёкшим сроком?").click()
    page.get_by_role("textbox", name="Ответ").fill(
        "Петрова О.И., составьте акт списания по причине срока."
    )
    page.get_by_label("Документы библиотеки").select_option(
        label="Списание учебников: основания и оформление актов"
    )
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_text("Ответ отправлен.")).to_be_visible()
    _log_out(page)

    # She marks it solved.
    log_in(page, live_server, "lib.b@test.ru")
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    expect(
        page.get_by_role("link", name=re.compile("Списание учебников: основания"))
    ).to_be_visible()
    page.get_by_role("button", name="Это решило мой вопрос").click()
    expect(page.get_by_text("этот ответ решил вопрос")).to_be_visible()
    _log_out(page)

    # The methodist publishes it without names.
    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    page.get_by_role("link", name="Опубликовать обезличенно в базе ответов").click()
    answer = page.get_by_role("textbox", name="Ответ")
    expect(answer).not_to_have_value(re.compile("Петрова"))
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Опубликовано в базе ответов")).to_be_visible()
    entry = FaqEntry.objects.get()
    _log_out(page)

    # School A's librarian finds it by the documents' one search box; the question stays private.
    log_in(page, live_server, "lib.a@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Документы").click()
    page.get_by_label("Поиск по документам и базе ответов").fill("списание учебника")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_role("heading", name="В базе ответов: 1 ответ")).to_be_visible()
    page.get_by_role("link", name=entry.title).click()
    expect(page.get_by_role("heading", name=entry.title)).to_be_visible()
    expect(page.get_by_text("Петрова")).to_have_count(0)
    response = page.goto(f"{live_server.url}{question.get_absolute_url()}")
    assert response.status == 404
