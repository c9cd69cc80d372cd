"""Every error page a person can meet, in the browser with DEBUG off: Russian, in the site's
style (the stylesheet loaded, the top bar drawn), no debugging text."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _styled_russian(page, response, status, heading):
    assert response.status == status, (status, response.url)
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".topbar")).to_have_css("background-color", "rgb(23, 74, 109)")
    body = page.content()
    for debug in ("DEBUG", "Traceback", "отладочном", "Forbidden", "CSRF verification"):
        assert debug not in body, (status, debug)


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/app/")


def test_error_pages(cast, live_server, page, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.error_urls"
    settings.MAIL_LINKS_PER_CLIENT = 1
    url = live_server.url

    # CSRF: a form sent after its token was lost (cookie gone, e.g. another window).
    page.goto(f"{url}{reverse('login')}")
    page.context.clear_cookies()
    page.locator("input[name=csrfmiddlewaretoken]").evaluate("input => { input.value = 'x' }")
    page.get_by_label("E-mail").fill("lib.a@test.ru")
    page.get_by_label("Пароль").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Войти").click()
    _styled_russian(page, answer.value, 403, "Форма устарела")

    _styled_russian(page, page.goto(f"{url}/test-errors/400/"), 400, "Неверный запрос")
    _styled_russian(page, page.goto(f"{url}/test-errors/500/"), 500, "Ошибка сервера")
    _styled_russian(page, page.goto(f"{url}/no-such-page/"), 404, "Страница не найдена")
    _styled_russian(
        page,
        page.goto(f"{url}{reverse('invitation_accept', args=['spent'])}"),
        410,
        "Приглашение недействительно",
    )

    # 429: the second reset letter from this client within the hour.
    for _ in range(2):
        page.goto(f"{url}{reverse('password_reset')}")
        page.locator("input[name=email]").fill("lib.a@test.ru")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Отправить ссылку").click()
    _styled_russian(page, answer.value, 429, "Слишком много запросов")

    _log_in(page, live_server, "lib.a@test.ru")
    edit_b = reverse("directory:school_edit", args=[cast.school_b.pk])
    _styled_russian(page, page.goto(f"{url}{edit_b}"), 403, "Доступ запрещён")
    _styled_russian(
        page, page.goto(f"{url}{reverse('directory:export')}"), 405, "Действие недоступно"
    )
