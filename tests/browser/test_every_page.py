"""Every main page of the demo, for every role: it fits a phone (390 px) and axe-core finds
no serious or critical accessibility violation on it.

The session's demo (tests/demo_snapshot.py) is loaded once for the module into its own SQLite
file and served by its own `runserver`: the tests only read the pages, so they share one site
instead of pytest-django's live_server, which empties the database after every test. The module
runs on one pytest worker (`make test` hands out whole files), so the site and each role's survey
are made once.
"""

import hashlib
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from tests.browser.site_walk import ROLES, demo_site, log_in, main_pages

# django_db: the session's demo is built in (and read from) the test database. The pages come
# from the demo site's own SQLite file whatever that database is (own_sqlite_site).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.own_sqlite_site,
    pytest.mark.slow,
]

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Map tiles come from the internet; a test never waits for it (the map's fallback shows).
OUTSIDE = "https://tile.openstreetmap.org/**"


class Site:
    def __init__(self, url: str):
        self.url = url


def _migrated(folder: Path, django_db_blocker) -> Path | None:
    """A copy of this worker's SQLite test database, which the migrations made (the site
    replaces every row in it by the demo's): the site need not run them again."""
    if connection.vendor != "sqlite":
        return None
    copy = folder / "migrated.sqlite3"
    with django_db_blocker.unblock(), closing(sqlite3.connect(copy)) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    return copy


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_snapshot, django_db_blocker):
    folder = tmp_path_factory.mktemp("demo-site")
    with demo_site(folder, demo_snapshot.path, _migrated(folder, django_db_blocker)) as url:
        yield Site(url)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "));
}"""


def _session(browser, server, role, viewport, init_script=None):
    context = browser.new_context(viewport=viewport, locale="ru-RU")
    if init_script is not None:
        context.add_init_script(path=str(init_script))
    context.route(OUTSIDE, lambda route: route.abort())
    page = context.new_page()
    # The demo's biggest pages under a loaded CI machine take a while; nothing here is timed.
    page.set_default_timeout(30_000)
    log_in(page, server.url, ROLES[role])
    return context, page


# What the page's Content-Security-Policy refused (a script, a style, an image …).
CSP_WATCH = """window.refused = [];
document.addEventListener("securitypolicyviolation",
  e => window.refused.push(e.violatedDirective + ": " + (e.blockedURI || "inline")));"""


# The page's markup with what can tell two renderings of one template apart left out: every
# element with its attributes and their values (links, sources, form values, dates, nonces,
# the CSRF token and htmx settings without theirs) and whether it holds text of its own.
# Two pages of one shape are one case for axe-core: same markup, same stylesheets, the same
# findings (a head's plan list is the methodist's, cell for cell).
SHAPE = """() => {
  const loose = n => ["href", "src", "action", "value", "datetime", "nonce", "content"]
    .includes(n) || n.startsWith("data-") || n.startsWith("hx-");
  const parts = [];
  for (const e of document.querySelectorAll("*")) {
    const attributes = [...e.attributes]
      .map(a => loose(a.name) ? a.name : a.name + "=" + a.value).sort().join(" ");
    const text = [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()) ? "T" : "";
    parts.push(e.tagName + "[" + attributes + "]" + text + e.childElementCount);
  }
  return parts.join("|");
}"""


@pytest.fixture(scope="module")
def survey(browser, demo_server):
    """Per role, once: its main pages (found through its own menu) opened on a phone, with the
    page width and what axe-core finds there. axe-core is given to every document of the
    browser context before the page's own scripts (an init script, which the site's CSP does
    not apply to: the pages run under their real policy), instead of being sent to each page.
    A page of a shape already checked (SHAPE; most of the head's pages are the methodist's)
    takes that check's findings instead of running axe-core again."""
    found = {}
    findings: dict[str, list[str]] = {}  # the shape's digest → what axe-core found there

    def _of(role):
        if role not in found:
            context, page = _session(browser, demo_server, role, PHONE, init_script=AXE)
            context.add_init_script(CSP_WATCH)
            widths, violations, refused = {}, [], []

            def look(stop):
                widths[stop.path] = page.evaluate("document.documentElement.scrollWidth")
                shape = hashlib.sha256(page.evaluate(SHAPE).encode()).hexdigest()
                if shape not in findings:
                    findings[shape] = page.evaluate(AXE_RUN)
                violations.extend(f"{stop.path}: {line}" for line in findings[shape])
                refused.extend(f"{stop.path}: {line}" for line in page.evaluate("window.refused"))

            main_pages(page, demo_server.url, role, look)
            context.close()
            found[role] = {"widths": widths, "violations": violations, "refused": refused}
        return found[role]

    return _of


@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_page_fits_a_phone(role, survey):
    widths = survey(role)["widths"]
    assert len(widths) >= 2, f"the walk of {role} found no pages"
    too_wide = [f"{path}: {width}px" for path, width in widths.items() if width > PHONE["width"]]
    assert not too_wide, f"{role}: pages scroll sideways on a phone: {too_wide}"


@pytest.mark.parametrize("role", list(ROLES))
def test_axe_finds_no_serious_violation_on_the_main_pages(role, survey):
    violations = survey(role)["violations"]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("role", list(ROLES))
def test_the_main_pages_keep_their_content_security_policy(role, survey):
    """The pages run under the policy they are served with, and it refuses nothing they use."""
    refused = survey(role)["refused"]
    assert not refused, "\n".join(refused)


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


def _tile():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (256, 256), (228, 232, 220)).save(buffer, "PNG")
    return buffer.getvalue()


def _map_session(browser, server, tiles: bool):
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    tile = _tile()
    if tiles:  # the tile server stands in for OpenStreetMap: any tile is a plain square
        context.route(OUTSIDE, lambda route: route.fulfill(body=tile, content_type="image/png"))
    else:
        context.route(OUTSIDE, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, server.url, ROLES["methodist"])
    return context, page


def test_the_provision_map_shows_coloured_schools_with_a_legend_and_popups(browser, demo_server):
    from playwright.sync_api import expect

    context, page = _map_session(browser, demo_server, tiles=True)
    page.goto(demo_server.url + "/app/textbooks/summary/")
    box = page.locator("#summary-map")
    expect(box).to_have_class("school-map school-map--live")
    expect(box.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    expect(box.locator(".school-map__legend")).to_contain_text("ниже 85%")
    # The page loads the points apart (summary/map.json): as many markers as points.
    points = page.evaluate(
        "fetch(document.getElementById('summary-map').dataset.pointsUrl)"
        ".then(r => r.json()).then(d => d.points.length)"
    )
    markers = box.locator("path.leaflet-interactive")
    expect(markers).to_have_count(points)
    markers.first.dispatch_event("click")
    expect(box.locator(".leaflet-popup-content")).to_contain_text("Обеспеченность")
    expect(box.locator(".leaflet-popup-content a")).to_have_text("Открыть")
    context.close()


def test_the_exchange_scheme_draws_arrows_with_copies(browser, demo_server):
    from playwright.sync_api import expect

    context, page = _map_session(browser, demo_server, tiles=True)
    page.goto(demo_server.url + "/app/exchange/")
    plans = page.eval_on_selector_all(
        "main a[href^='/app/exchange/plans/']", "links => links.map(a => a.getAttribute('href'))"
    )
    page.goto(
        demo_server.url + next(p for p in plans if re.fullmatch(r"/app/exchange/plans/\d+/", p))
    )
    box = page.locator("#scheme-map")
    expect(box).to_have_class("school-map school-map--live")
    edges = page.evaluate("JSON.parse(document.getElementById('scheme-map-edges').text)")
    assert edges
    expect(box.locator(".school-map__copies")).to_have_count(len(edges))
    expect(box.locator(".school-map__copies").first).to_have_text(f"{edges[0]['copies']}")
    context.close()


def test_without_tiles_the_drawing_stays(browser, demo_server):
    from playwright.sync_api import expect

    context, page = _map_session(browser, demo_server, tiles=False)
    page.goto(demo_server.url + "/app/textbooks/summary/")
    box = page.locator("#summary-map")
    expect(box).to_have_class("school-map")
    expect(box.locator(".school-map__fallback img")).to_be_visible()  # summary/map.svg
    expect(box.locator(".school-map__canvas")).to_have_count(0)
    context.close()


def test_the_order_table_moves_with_the_keyboard_and_saves_at_once(browser, demo_server):
    from playwright.sync_api import expect

    context, page = _session(browser, demo_server, "librarian", {"width": 1366, "height": 900})
    page.goto(demo_server.url + "/app/exchange/")
    links = page.eval_on_selector_all(
        "main a[href*='/school-orders/']", "links => links.map(a => a.getAttribute('href'))"
    )
    page.goto(demo_server.url + links[0])
    grid = page.locator("table[data-grid]")
    copies = grid.locator("input[type=number]")
    notes = grid.locator("input[name^=note-]")
    copies.nth(0).focus()
    page.keyboard.press("ArrowDown")
    expect(copies.nth(1)).to_be_focused()
    page.keyboard.press("Enter")  # moves on, does not submit
    expect(copies.nth(2)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(copies.nth(1)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(notes.nth(1)).to_be_focused()
    page.keyboard.press("ArrowLeft")  # inside an empty text field: at its edge, so it moves
    expect(copies.nth(1)).to_be_focused()

    # One bad line: nothing is saved and the message names the line.
    first = copies.nth(0).input_value()
    copies.nth(0).fill(str(int(first) + 3))
    notes.nth(0).fill("Резерв на новый класс")
    copies.nth(1).fill(str(int(copies.nth(1).input_value()) + 2))
    notes.nth(1).fill("")
    page.get_by_role("button", name="Сохранить заказ").first.click()
    expect(page.locator(".message--error")).to_contain_text("Ничего не сохранено")
    expect(copies.nth(0)).to_have_value(first)
    copies.nth(0).fill(str(int(first) + 3))
    notes.nth(0).fill("Резерв на новый класс")
    page.get_by_role("button", name="Сохранить заказ").last.click()
    expect(page.locator(".message--success")).to_have_text("Сохранено: 1 строка.")
    expect(copies.nth(0)).to_have_value(str(int(first) + 3))
    context.close()


def test_attendance_marks_move_with_the_arrow_keys(browser, demo_server):
    from playwright.sync_api import expect

    context, page = _session(browser, demo_server, "methodist", {"width": 1366, "height": 900})
    page.goto(demo_server.url + "/app/events/")
    events = page.eval_on_selector_all(
        "main a[href^='/app/events/']", "links => links.map(a => a.getAttribute('href'))"
    )
    for href in (h for h in events if re.fullmatch(r"/app/events/\d+/", h)):
        page.goto(demo_server.url + href + "participants/")
        if page.locator("table[data-grid] select").count() >= 2:
            break
    marks = page.locator("table[data-grid] select")
    marks.nth(0).focus()
    page.keyboard.press("ArrowDown")
    expect(marks.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(marks.nth(0)).to_be_focused()
    context.close()
