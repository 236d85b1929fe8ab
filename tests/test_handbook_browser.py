"""The built handbook in headless Chromium, opened from file:// with every outside request blocked.

This is how staff read it from a NAS share with no server and no internet: pages open, search finds
Chinese words and Latin names, diagrams draw, plan text stays text, and a runbook prints on A4.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from bcmlib import load_plan
from tests.browser import open_page
from tests.conftest import PLAN_DIR
from tests.handbook_site import build, copy_project

_PLAN = load_plan(PLAN_DIR)
_RUNBOOKS = [
    *[(person.name, f"runbooks/people/{person.id}.html") for person in _PLAN.people],
    *[(role.name, f"runbooks/roles/{role.id}.html") for role in _PLAN.roles],
]


def _search(page: Page, words: str) -> list[str]:
    page.click("input.md-search__input")
    # The whole query at once, then a key for Material's keyup listener: typed letter by letter, the
    # results of the first character (出 finds 出事 everywhere) could be read before the last.
    page.fill("input.md-search__input", words)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(link => link.href)")
    return [re.sub(r"^file://.*?/site\d*/|[?#].*$", "", link) for link in links]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("出货", "processes.html"),
        ("备援", "organisation.html"),
        ("演练", "exercises.html"),
        ("总指挥", "runbooks/roles/bcm-commander.html"),
        ("王婧", "runbooks/people/wang-jing.html"),
        ("Charles", "runbooks/people/charles.html"),
        ("KC", "runbooks/people/kc.html"),
    ],
)
def test_search_finds_chinese_words_and_latin_names_offline(
    offline: BrowserContext, site: Path, words: str, expected: str
) -> None:
    page = open_page(offline, site, "index.html")
    assert expected in _search(page, words)


@pytest.mark.parametrize(("name", "runbook"), _RUNBOOKS, ids=[name for name, _ in _RUNBOOKS])
def test_every_person_and_role_finds_their_runbook_first(
    offline: BrowserContext, site: Path, name: str, runbook: str
) -> None:
    page = open_page(offline, site, "index.html")
    assert _search(page, name)[0] == runbook


def test_search_results_copy_without_zero_width_spaces(offline: BrowserContext, site: Path) -> None:
    # The index keeps them: they split Chinese into words for the browser.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("\u200b" in doc["text"] for doc in index["docs"])
    for words in ("盛转红", "备援", "出货", "RTO"):
        page = open_page(offline, site, "index.html")
        _search(page, words)
        shown = page.locator(".md-search-result").inner_text()
        assert words.lower() in shown.lower()
        assert "\u200b" not in shown, words


def test_navigation_works_from_file(offline: BrowserContext, site: Path) -> None:
    page = open_page(offline, site, "index.html")
    page.click("nav.md-nav--primary >> text=恢复顺序")
    page.wait_for_load_state("load")
    assert page.url.endswith("processes.html")
    assert page.locator("article h1").inner_text() == "关键业务与恢复顺序"


def test_the_workflow_diagram_is_drawn_on_screen_and_on_paper(offline: BrowserContext, site: Path) -> None:
    page = open_page(offline, site, "incident-flow.html")
    diagram = page.locator("figure.bcm-diagram svg")
    assert "确认危机与级别" in (diagram.text_content() or "")  # the plan's own state names, as text
    box = diagram.bounding_box()
    assert box is not None
    assert box["height"] > 100
    article = page.locator("article").bounding_box()
    assert article is not None
    assert box["width"] <= article["width"] + 1  # scaled to the page, never cut off at its edge
    page.emulate_media(media="print")
    printed = diagram.bounding_box()
    assert printed is not None
    assert printed["height"] > 100  # the drawn diagram is on the printed page too


def test_every_runbook_prints_on_one_or_two_a4_pages(offline: BrowserContext, site: Path) -> None:
    for runbook in sorted((site / "runbooks").rglob("*.html")):
        page = open_page(offline, site, str(runbook.relative_to(site)))
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-search']
                .map(selector => getComputedStyle(document.querySelector(selector)).display)"""
        )
        assert hidden == ["none"] * 4
        pdf = page.pdf(prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, (runbook.name, pages)
        page.close()


def _poison(files: dict[str, dict[str, Any]]) -> None:
    files["people.yaml"]["people"][0]["name"] = "<script>window.pwned=1</script>"
    files["roles.yaml"]["roles"][0]["duties"] = ["[x](javascript:window.pwned=2)"]
    files["processes.yaml"]["processes"][0]["fallback"] = "<img src=x onerror=window.pwned=3>"


def test_plan_text_with_markup_renders_as_text_in_the_browser(
    offline: BrowserContext, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert build(copy_project(tmp_path / "project", _poison), site).returncode == 0
    dialogs: list[str] = []
    for name in ("organisation.html", "processes.html", "runbooks/roles/bcm-commander.html"):
        page = open_page(offline, site, name)
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        for link in page.locator("article a").all():
            assert not (link.get_attribute("href") or "").startswith("javascript:")
        assert page.evaluate("window.pwned") is None
        assert page.locator("article img").count() == 0
    organisation = open_page(offline, site, "organisation.html").locator("article").inner_text()
    assert "<script>window.pwned=1</script>" in organisation
    assert "[x](javascript:window.pwned=2)" in organisation
    assert dialogs == []
