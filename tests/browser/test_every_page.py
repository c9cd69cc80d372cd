"""Every main page of the demo, for every role: it fits a phone (390 px) and axe-core finds
no serious or critical accessibility violation on it.

The demo is built once for the module (it takes half a minute) into its own SQLite file and
served by its own `runserver`: the tests only read the pages, so they share one site instead
of pytest-django's live_server, which empties the database after every test.
"""

from pathlib import Path

import pytest

from tests.browser.site_walk import ROLES, demo_site, log_in, main_pages

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Map tiles come from the internet; a test never waits for it (the map's fallback shows).
OUTSIDE = "https://tile.openstreetmap.org/**"


class Site:
    def __init__(self, url: str):
        self.url = url


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with demo_site(tmp_path_factory.mktemp("demo-site")) as url:
        yield Site(url)


@pytest.fixture(scope="module")
def walks(browser, demo_server):
    """The main pages of each role, found once (through the role's own menu)."""
    found = {}
    for role, email in ROLES.items():
        context = browser.new_context(viewport=DESKTOP, locale="ru-RU")
        page = context.new_page()
        log_in(page, demo_server.url, email)
        found[role] = main_pages(page, demo_server.url, role)
        context.close()
    return found


def _session(browser, server, role, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="ru-RU", **options)
    context.route(OUTSIDE, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server.url, ROLES[role])
    return context, page


@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_page_fits_a_phone(role, browser, demo_server, walks):
    stops = walks[role]
    assert len(stops) >= 2, f"the walk of {role} found no pages"
    context, page = _session(browser, demo_server, role, PHONE)
    too_wide = []
    for stop in stops:
        page.goto(demo_server.url + stop.path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{stop.path}: {width}px")
    context.close()
    assert not too_wide, f"{role}: pages scroll sideways on a phone: {too_wide}"


def test_the_menu_opens_from_a_button_on_a_phone(browser, demo_server):
    context, page = _session(browser, demo_server, "methodist", PHONE)
    menu = page.get_by_role("navigation", name="Разделы")
    button = page.get_by_role("button", name="Меню")
    assert menu.is_hidden()
    button.click()
    assert menu.get_by_role("link", name="Документы").is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    button.click()
    assert menu.is_hidden()
    context.close()


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "));
}"""


@pytest.mark.parametrize("role", list(ROLES))
def test_axe_finds_no_serious_violation_on_the_main_pages(role, browser, demo_server, walks):
    # axe is added to the page by Playwright as an inline script, which the site's CSP forbids.
    context, page = _session(browser, demo_server, role, DESKTOP, bypass_csp=True)
    found = []
    for stop in walks[role]:
        page.goto(demo_server.url + stop.path)
        page.add_script_tag(path=str(AXE))
        found += [f"{stop.path}: {line}" for line in page.evaluate(AXE_RUN)]
    context.close()
    assert not found, "\n".join(found)
