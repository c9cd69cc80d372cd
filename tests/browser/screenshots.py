"""`make screenshots`: the demo built afresh, and PNGs of the main pages of every role at a
desktop (1366 px) and a phone (390 px) width, into var/screenshots/ (not committed)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.site_walk import ROLES, demo_site, log_in, main_pages

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def main(folder: Path) -> int:
    from playwright.sync_api import sync_playwright

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
                log_in(page, url, email)
                for stop in main_pages(page, url, role):
                    page.goto(url + stop.path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=folder / f"{width}-{stop.slug}.png", full_page=True)
                    saved += 1
                context.close()
            print(f"{role}: готово", flush=True)
        browser.close()
    print(f"Снимков экрана: {saved}, в {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/screenshots")))
