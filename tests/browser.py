"""A real headless Chromium for the web page: Debian's ``chromium`` driven by Playwright.

Nothing is downloaded: Playwright is pointed at the system browser (``make test`` installs it;
``MAALGRAPH_CHROMIUM`` names another). The flags keep it off the network: no background
requests, no updates, no sync; the sandbox is off because the tests may run as root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps"]  # fmt: skip


def chromium_path() -> str:
    path = (
        os.environ.get("MAALGRAPH_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError(
            "no Chromium: run `make test` (it installs Debian's chromium) or set MAALGRAPH_CHROMIUM"
        )
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()
