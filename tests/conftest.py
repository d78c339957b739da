from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (which cannot download a browser here)."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, CHROMIUM_ARGS

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def minimal_path() -> Path:
    """A small valid dataset that does not change when the curated data does."""
    return TESTS / "data" / "minimal.yaml"


@pytest.fixture
def real_path() -> Path:
    return ROOT / "data" / "stargate.yaml"


@pytest.fixture
def pages(browser):
    """The browser for one test: what it opens is closed when it ends, failed or not."""
    from .browser import Pages

    opened = Pages(browser)
    yield opened
    opened.close()
