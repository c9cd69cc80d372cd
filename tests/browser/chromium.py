"""Where Debian's Chromium is and how it is started, for the browser tests and the screenshots."""

import os

CHROMIUM = os.environ.get("BIBLIOMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
