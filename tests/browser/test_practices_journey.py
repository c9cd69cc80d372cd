"""The bank of practices, as the issue names the journey: a librarian shares a practice, the
methodist publishes it on the portal, another school marks «Внедрили у нас», the author gets
a letter and the card — in the bank and on the portal — shows where the practice lives on."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from bibliomo.practices.models import Practice
from tests.factories import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_then_implemented_elsewhere(cast, live_server, page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    log_in(page, live_server, "lib.a@test.ru")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Банк практик").click()
    page.get_by_role("link", name="Поделиться практикой").click()
    page.locator("#id_title").fill("Квест «Тайна старой библиотеки»")
    page.locator("#id_grades").fill("5 классы")
    page.locator("#id_form").select_option("quest")
    page.locator("#id_goal").fill("Познакомить пятиклассников с библиотекой.")
    page.locator("#id_description").fill("Команды проходят шесть станций по библиотеке.")
    page.get_by_label("популяризация чтения").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Практика сохранена.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "metodist@test.ru")
    page.goto(f"{live_server.url}/app/practices/")
    page.get_by_role("link", name="Квест «Тайна старой библиотеки»").click()
    page.get_by_role("button", name="Опубликовать на портале").click()
    expect(page.get_by_text("Практика опубликована на портале.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    log_in(page, live_server, "lib.b@test.ru")
    page.goto(f"{live_server.url}/app/practices/")
    page.get_by_role("link", name="Квест «Тайна старой библиотеки»").click()
    page.get_by_role("link", name="Внедрили у нас").click()
    page.get_by_label("Как прошло (коротко)").fill("Провели в 5 «А», дети просят ещё.")
    page.get_by_role("button", name="Отметить внедрение").click()
    expect(page.get_by_text("Отмечено: практика внедрена в вашей школе.")).to_be_visible()
    lives_on = page.get_by_role("region", name="Где практика живёт дальше")
    expect(lives_on).to_contain_text("Внедрили: 1 школа")
    expect(lives_on).to_contain_text("МБОУ «Гимназия № 5»")
    expect(page.get_by_role("link", name="Внедрили у нас")).to_have_count(0)

    author_letters = [m for m in mail.outbox if m.to == ["lib.a@test.ru"]]
    assert len(author_letters) == 1
    assert "Тайна старой библиотеки" in author_letters[0].subject

    page.get_by_role("button", name="Выйти").click()
    practice = Practice.objects.get()
    page.goto(f"{live_server.url}/practices/{practice.pk}/")
    expect(page.get_by_role("heading", name="Где практика живёт дальше")).to_be_visible()
    expect(page.get_by_text("МБОУ «Гимназия № 5»")).to_be_visible()
    expect(page.get_by_text("Иванова")).to_have_count(0)
