"""Target 4: a first visit in Chromium, until the page can be used.

"Usable" means the catalogue's "Add to cart" buttons are on the page: they
are drawn from state that ``CatalogState.load`` sends over the Reflex
socket, so the socket is connected and an event has made the round trip.
Every visit is in a new browser context: an empty cache, as on a first visit.
"""

from __future__ import annotations

import time

from tests.e2e.machine import CHROMIUM_ARGS, browser_executable

USABLE = "button[id^='add-']:not([disabled])"
VISIT_TIMEOUT_MS = 60_000


class Browser:
    """One Chromium for the whole run; a fresh context per visit."""

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        chromium = self._playwright.chromium
        executable = browser_executable(chromium.executable_path)
        if executable is None:
            self._playwright.stop()
            raise RuntimeError("no Chromium: see tests/e2e/conftest.py for how to get one")
        self.browser = chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        return self

    def first_visit(self, url: str) -> float:
        """Seconds from navigation to a usable page, with an empty cache."""
        context = self.browser.new_context()
        try:
            page = context.new_page()
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector(USABLE, timeout=VISIT_TIMEOUT_MS)
            return time.perf_counter() - started
        finally:
            context.close()

    def __exit__(self, *exc_info: object) -> None:
        self.browser.close()
        self._playwright.stop()
