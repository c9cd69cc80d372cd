"""`make screenshots`: the demo built afresh, and PNGs of the main pages of every role at a
desktop (1366 px) and a phone (390 px) width, into var/screenshots/ (not committed)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.site_walk import ROLES, demo_site, log_in, main_pages

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def _settle(page) -> None:
    """Let map tiles arrive (from the internet, when there is one) — but not wait for ever."""
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)


def main(folder: Path) -> int:

    folder.mkdir(parents=True, exist_ok=True)
    saved = 0
    with demo_site(folder / "site") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        for role, email in ROLES.items():
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, locale="ru-RU")
                page = context.new_page()
                page.set_default_timeout(60_000)
                log_in(page, url, email)
                for stop in main_pages(page, url, role):
                    try:
                        page.goto(url + stop.path)
                        _settle(page)
                        page.screenshot(path=folder / f"{width}-{stop.slug}.png", full_page=True)
                    except PlaywrightError as error:  # one slow page does not stop the rest
                        print(f"{stop.path} ({width} px): {error.message.splitlines()[0]}")
                    else:
                        saved += 1
                context.close()
            print(f"{role}: готово", flush=True)
        browser.close()
    print(f"Снимков экрана: {saved}, в {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/screenshots")))
