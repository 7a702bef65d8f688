"""Browser fixtures: Debian chromium driven by PyPI playwright (never `playwright install`)."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO
from tests.ui_support import BROWSER_ARGS, CHROMIUM, running_app

SHOTS = REPO / "test-output" / "e2e"
LOCAL_SCHEMES = ("data", "blob", "about")


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in ("127.0.0.1", "localhost", "::1")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: run `make browser` (Debian chromium) first")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("e2e")) as server:
        yield server


class Page:
    """A browser page that records every request and any script side effect of an XSS attempt."""

    def __init__(self, browser, tmp_path: Path):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.set_default_timeout(30_000)
        self.tmp_path = tmp_path

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    def xss_fired(self) -> bool:
        return bool(self.dialogs) or bool(self.page.evaluate("() => window.__xss !== undefined"))


@pytest.fixture
def page(browser, tmp_path):
    p = Page(browser, tmp_path)
    yield p
    p.context.close()
