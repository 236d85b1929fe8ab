"""A plan whose every free-text field carries a payload, built and published in two versions.

Every page of the published share is opened from file:// in Chromium, its links, menu entries,
abbreviations and version selector hovered, the selector and search used: no payload runs, nothing is
requested from outside the share, and no PDF holds a file of the build host. The corpus is
`tests/hostile.py`; the payloads are aimed at the contexts plan text lands in, not at one field.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pypdf
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Page

from tests.handbook_site import ZENSICAL_ENV, change_plan, copy_project
from tests.hostile import MARKER, SECRET, corpus, poison, widen

_CATCH = """
window.__hits = [];
window.__xss = function (n) { window.__hits.push(n); };
window.alert = window.confirm = window.prompt = function () { window.__hits.push('dialog'); };
"""
"""Run before any script of a page: a payload that runs records itself instead of acting."""
_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


def _publish(repository: Path, share: Path, *, pdf: bool) -> None:
    command = [sys.executable, "-m", "bcmlib", "publish", "--to", str(share)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BCM_PDF": str(pdf).lower()}
    done = subprocess.run(command, cwd=repository, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr


def _next_version(files: dict[str, dict[str, Any]]) -> None:
    revisions = files["document.yaml"]["document"]["revisions"]
    revisions.append({"version": "v3", "date": "2026-11-20", "summary": f"第三版 {corpus()[1]}"})


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hostile plan published as v2, then as v3, to one share."""
    SECRET.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text y="20">{MARKER}</text></svg>',
        encoding="utf-8",
    )
    folder = tmp_path_factory.mktemp("hostile")
    counted: list[int] = []
    repository = copy_project(folder / "repo", lambda files: counted.append(poison(widen(files))))
    assert counted[0] > 400  # every free-text value of the company's plan
    _git(repository, "init", "--quiet", "--initial-branch", "main")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "--all")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "v2")
    _git(repository, "tag", "v2")
    target = folder / "share"
    # The older version without PDFs, to keep the test short: the newer one prints every PDF.
    _publish(repository, target, pdf=False)
    change_plan(repository / "plan", _next_version)
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "v3")
    _git(repository, "tag", "v3")
    _publish(repository, target, pdf=True)
    yield target
    SECRET.unlink(missing_ok=True)


def _pages(share: Path) -> list[Path]:
    """Every page of the share but the `latest` copy, which is byte for byte the newest version."""
    return sorted(page for page in share.rglob("*.html") if "latest" not in page.relative_to(share).parts)


def _open(context: BrowserContext, page_file: Path) -> Page:
    page = context.new_page()
    page.add_init_script(_CATCH)
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    if 'http-equiv="refresh"' in page_file.read_text(encoding="utf-8"):
        # The share's start page moves on to the latest version: walk that page, once it has loaded.
        page.wait_for_url(lambda url: url != page_file.as_uri())
        page.wait_for_load_state("load")
    return page


_HOVER = """selector => {
  for (const element of document.querySelectorAll(selector)) {
    for (const type of ["pointerover", "pointerenter", "mouseover", "mouseenter", "mousemove"])
      element.dispatchEvent(new PointerEvent(type, { bubbles: true, view: window }));
    element.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
  }
}"""
"""Every hover and focus event a listener could answer, on every element at once: a real pointer
hover per element takes a tenth of a second, and a runbook has hundreds of links."""


def _hover_all(page: Page, selector: str) -> None:
    page.evaluate(_HOVER, selector)
    for element in page.locator(".md-version, nav.md-nav--primary a").all()[:3]:
        if element.is_visible():
            element.hover(force=True, timeout=2_000)  # and the real pointer, where a person starts


def test_no_link_or_source_in_the_share_has_a_scheme_that_runs_or_reads(share: Path) -> None:
    found = set()
    for page_file in [*_pages(share), *share.rglob("*.svg")]:
        soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if name.startswith("on") or (_SCHEMES.match(text) and name in ("href", "src", "xlink:href")):
                    found.add((page_file.name, tag.name, name, text[:60]))
            if tag.name in ("image", "iframe", "object", "embed"):
                found.add((page_file.name, tag.name, "", ""))
    assert found == set()


def test_every_page_opened_and_hovered_runs_no_payload(offline: BrowserContext, share: Path) -> None:
    pages = _pages(share)
    assert len(pages) > 60  # both versions and the start page
    ran: dict[str, list[Any]] = {}
    for page_file in pages:
        page = _open(offline, page_file)
        page.wait_for_timeout(50)  # Material's own scripts render the menu and the selector
        # The older version is the same plan, and is loaded only; every element of the newer is hovered,
        # the boxes and arrows of its diagrams among them.
        if "v2" not in page_file.relative_to(share).parts:
            _hover_all(page, "nav a, abbr, [title], .md-version, article a, .bcm-diagram g")
        if hits := page.evaluate("window.__hits"):
            ran[str(page_file.relative_to(share))] = hits
        page.close()
    assert ran == {}


def test_the_version_selector_and_search_show_plan_text_as_text(offline: BrowserContext, share: Path) -> None:
    page = _open(offline, share / "v3" / "index.html")
    page.locator(".md-version__current").wait_for()
    page.hover(".md-version")
    entries = page.locator(".md-version__list a").all_inner_texts()
    assert [entry.split("（")[0] for entry in entries] == ["v3", "v2"]
    page.click(".md-version__list >> text=v2")
    page.wait_for_url("**/v2/index.html")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__hits") == []
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "onerror")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    _hover_all(page, ".md-search-result__link")
    assert page.evaluate("window.__hits") == []
    page.close()


def test_no_pdf_holds_a_file_of_the_build_host(share: Path) -> None:
    pdfs = sorted(share.rglob("*.pdf"))
    assert len(pdfs) > 40
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        text = "".join(sheet.extract_text() for sheet in reader.pages)
        assert MARKER not in text, pdf
        assert "onerror" in text or pdf.name != "handbook.pdf"  # the payloads are there, as text


def test_a_version_deployed_before_names_were_checked_is_dropped_not_fatal(
    share: Path, tmp_path: Path
) -> None:
    # A share published by an older release may hold a version named as markup or as a file of the
    # start page: publishing again must still work, and neither the selector nor the start page lists it.
    repository = share.parent / "repo"
    worktree = tmp_path / "pages"
    _git(repository, "worktree", "add", "--quiet", str(worktree), "gh-pages")
    listing = json.loads((worktree / "versions.json").read_text(encoding="utf-8"))
    for bad in ('"><svg onload=window.__xss(20)>', "index.html", "versions.js"):
        listing.append({"version": bad, "title": bad, "aliases": []})
    (worktree / "versions.json").write_text(json.dumps(listing), encoding="utf-8")
    (worktree / '"><svg onload=window.__xss(20)>').mkdir()
    (worktree / '"><svg onload=window.__xss(20)>' / "index.html").write_text("<p>old</p>", encoding="utf-8")
    _git(worktree, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "--all")
    _git(worktree, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "old")
    target = tmp_path / "share"
    done = subprocess.run(
        [sys.executable, "-m", "bcmlib", "publish", "--no-deploy", "--to", str(target)],
        cwd=repository,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    start = (target / "index.html").read_text(encoding="utf-8")
    script = (target / "versions.js").read_text(encoding="utf-8")
    for bad in ("svg onload", "index.html/", "versions.js/"):
        assert bad not in start
        assert bad not in script
    assert "v3/index.html" in start


def test_the_drill_calendar_of_the_hostile_plan_is_written_and_reads_back_as_typed(share: Path) -> None:
    # What `bcm check` lets through, the calendar writes: each event's text escaped for iCalendar.
    repository = share.parent / "repo"
    ics = share.parent / "drills.ics"
    command = [sys.executable, "-m", "bcmlib", "calendar", "--plan", "plan", "--unannounced", "-o", str(ics)]
    done = subprocess.run(command, cwd=repository, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert events
    texts = " ".join(str(event.get("SUMMARY")) + str(event.get("DESCRIPTION")) for event in events)
    assert any(payload in texts for payload in corpus())


def test_the_hostile_plan_built_by_zensical_runs_no_payload_on_load_hover_or_search(
    offline: BrowserContext, share: Path, tmp_path: Path
) -> None:
    # Zensical builds the plain files `bcm render` writes with templates and a search of its own.
    repository, site = share.parent / "repo", tmp_path / "zensical"
    command = [sys.executable, "-m", "bcmlib", "build", "--engine", "zensical", "--site-dir", str(site)]
    env = {**os.environ, **ZENSICAL_ENV}
    done = subprocess.run(
        [*command, "--no-pdf"], cwd=repository, capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    ran: dict[str, list[Any]] = {}
    for page_file in pages:
        page = _open(offline, page_file)
        _hover_all(page, "nav a, abbr, [title], article a, .bcm-diagram g")
        if hits := page.evaluate("window.__hits"):
            ran[str(page_file.relative_to(site))] = hits
        page.close()
    assert ran == {}
    page = _open(offline, site / "index.html")
    page.keyboard.press("/")
    box = page.locator("input[role=combobox]")
    box.fill("onerror")
    page.keyboard.press("End")
    results = f"[id='{box.get_attribute('aria-controls')}'] a"
    page.wait_for_selector(results, timeout=15_000)
    _hover_all(page, results)
    assert page.evaluate("window.__hits") == []
