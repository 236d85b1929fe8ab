"""The handbook on a phone at night: 390 px wide with no sideways scrolling, and a dark palette that
follows the system setting, with a toggle."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser import CRISIS_PAGES, PHONE, open_page


@pytest.mark.parametrize("name", CRISIS_PAGES)
def test_tables_stack_on_a_phone_without_sideways_scrolling(
    offline: BrowserContext, site: Path, name: str
) -> None:
    page = open_page(offline, site, name)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    widths = page.eval_on_selector_all(
        ".md-typeset table", "tables => tables.map(t => [t.scrollWidth, t.parentElement.clientWidth])"
    )
    assert all(scroll <= client + 1 for scroll, client in widths), widths
    labelled = page.eval_on_selector_all(
        ".md-typeset table tbody td", "cells => cells.filter(c => c.dataset.label).length"
    )
    cells = page.locator(".md-typeset table tbody td").count()
    assert labelled == cells  # every stacked cell says which column it is


def _scheme_becomes(page: Page, scheme: str) -> None:
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'", timeout=5000)


def test_the_palette_follows_the_system_and_toggles(offline: BrowserContext, site: Path) -> None:
    page = offline.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto((site / "index.html").as_uri())
    _scheme_becomes(page, "slate")  # a phone set to dark at night gets the dark palette
    assert page.get_attribute("#__palette_1", "aria-label") == "切换到浅色"
    page.click("label.md-header__button[for^='__palette']:not([hidden])")
    _scheme_becomes(page, "default")
    assert page.get_attribute("#__palette_0", "aria-label") == "切换到深色"


def test_the_404_page_works_from_a_share(offline: BrowserContext, site: Path) -> None:
    page = open_page(offline, site, "404.html")
    page.set_viewport_size(PHONE)
    assert "404" in page.locator("article").inner_text()
    rooted = page.eval_on_selector_all(
        "[href], [src]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))"
    )
    assert not [link for link in rooted if link.startswith("/") and not link.startswith("//")]
    # Every page and asset it links to, resolved as the browser does, is a file of the site.
    targets = page.eval_on_selector_all(
        "a[href^='.'], script[src^='.'], link[href^='.']", "els => els.map(e => e.href || e.src)"
    )
    files = {Path(unquote(urlparse(target).path)) for target in targets}
    assert files
    assert all(file.is_file() for file in files), [file for file in files if not file.is_file()]
