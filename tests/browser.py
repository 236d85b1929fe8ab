"""Headless Debian Chromium for the tests, with a context that fails any request off the file system."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, sync_playwright

PHONE: ViewportSize = {"width": 390, "height": 844}
"""A phone held upright: the screen a person in a crisis reads the handbook on."""
CRISIS_PAGES = [
    "index.html",
    "crisis-levels.html",
    "organisation.html",
    "processes.html",
    "runbooks/people/sheng-zhuanhong.html",
    "runbooks/roles/bcm-commander.html",
]
"""The pages a person reaches in a crisis, with the widest tables of the handbook among them."""

# Debian's Chromium, started as this machine needs it headless (no sandbox as root, no background calls).
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium is not None, "Debian's chromium is not installed: run `make browser`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def offline(browser: Browser) -> Iterator[BrowserContext]:
    """A browser context where any request that is not for a local file fails the test."""
    outside: list[str] = []

    def route(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context()
    context.route("**/*", route)
    yield context
    context.close()
    assert outside == []


def open_page(context: BrowserContext, site: Path, name: str) -> Page:
    """Open a page of a built site from file://; a script error on it fails the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / name).as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    return page
