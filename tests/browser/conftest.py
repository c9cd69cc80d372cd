"""Real-browser journeys: Playwright for Python driving Debian's Chromium, headless."""

import os
import shutil
import threading

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class _OneAtATime:
    """A WSGI application that handles one request at a time, its response read and closed
    before the next begins."""

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()  # Django's request_finished, under the lock too


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's server, one request at a time on SQLite. There the test database lives
    in memory and every thread of the server shares the test's one connection, whose
    transaction state (autocommit, the atomic block) Django keeps without a lock: two requests
    at once (a page and its htmx poll) could leave it outside autocommit for every later test
    of the worker (seen in CI on 02.12.2026: on_commit() refused with TransactionManagementError
    in five journeys in a row)."""
    if live_server.thread.connections_override:
        server = live_server.thread.httpd
        server.set_app(_OneAtATime(server.get_app()))
    return live_server
