"""The handbook built by each engine: MkDocs 1.6 (the `site` fixture), ProperDocs and Zensical.

Each successor's site is opened from file:// in Chromium, where a search for a Chinese word and for a
person's name must find their pages; `bcm render` is read as the plain files an engine builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import BrowserContext, Page
from pypdf import PdfReader

from bcmlib.cli import cli
from bcmlib.handbook.engines import ENGINES
from bcmlib.handbook.rendering import PythonTag, read_config
from bcmlib.handbook.segmenting import SEPARATOR, segment_search_index, segmenter
from bcmlib.loading.loader import load_plan
from tests.browser import CRISIS_PAGES, PHONE, browser, offline, open_page
from tests.handbook_site import ROOT, ZENSICAL_ENV, change_plan, copy_project

__all__ = ["browser", "offline"]


def _bcm(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bcmlib", *args]
    env = {**os.environ, **ZENSICAL_ENV}
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company's handbook built by ProperDocs, which runs the hook, without PDFs."""
    site = tmp_path_factory.mktemp("properdocs") / "site"
    result = _bcm("build", "--engine", "properdocs", "--no-pdf", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company's handbook rendered, built by Zensical, then finished with its PDFs."""
    site = tmp_path_factory.mktemp("zensical") / "site"
    result = _bcm("build", "--engine", "zensical", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def _open_search(page: Page) -> None:
    """On a phone, tap the header's search button, as a person does; a desktop shows the box itself."""
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():
        button.click()


def _material_search(page: Page, words: str) -> str:
    """Search with Material's box; the selector of the results' links."""
    _open_search(page)
    page.click("input.md-search__input")
    page.fill("input.md-search__input", words)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return ".md-search-result__link"


def _zensical_search(page: Page, words: str) -> str:
    """Search with Zensical's own box, a combobox whose results list it names in aria-controls."""
    _open_search(page)
    box = page.locator("input[role=combobox]")
    if not box.is_visible():
        page.keyboard.press("/")  # its shortcut on a desktop
    box.fill(words)
    page.keyboard.press("End")
    results = f"[id='{box.get_attribute('aria-controls')}'] a"
    page.wait_for_selector(results, timeout=15_000)
    return results


_ENGINES: dict[str, tuple[str, Callable[[Page, str], str]]] = {
    "properdocs": ("properdocs_site", _material_search),
    "zensical": ("zensical_site", _zensical_search),
}


@pytest.mark.parametrize("engine", sorted(_ENGINES))
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("出货", "processes.html"),
        ("王婧", "runbooks/people/wang-jing.html"),
        ("Charles", "runbooks/people/charles.html"),
    ],
)
def test_each_engine_s_site_finds_chinese_words_and_names_from_a_share(
    request: pytest.FixtureRequest, offline: BrowserContext, engine: str, words: str, expected: str
) -> None:
    fixture, search = _ENGINES[engine]
    site: Path = request.getfixturevalue(fixture)
    page = open_page(offline, site, "index.html")
    links: list[str] = page.eval_on_selector_all(search(page, words), "all => all.map(a => a.href)")
    assert (site / expected).as_uri() in [link.split("?")[0].split("#")[0] for link in links]


@pytest.mark.parametrize("engine", sorted(_ENGINES))
def test_each_engine_s_site_reads_on_a_phone_and_its_search_opens_a_runbook(
    request: pytest.FixtureRequest, offline: BrowserContext, engine: str
) -> None:
    fixture, search = _ENGINES[engine]
    site: Path = request.getfixturevalue(fixture)
    for name in CRISIS_PAGES:
        page = open_page(offline, site, name)
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        labels = page.eval_on_selector_all(
            ".md-typeset table tbody td", "cells => cells.map(cell => cell.dataset.label || '')"
        )
        assert all(labels), name  # every stacked cell says which column it is
        page.close()
    page = open_page(offline, site, "index.html")
    page.set_viewport_size(PHONE)
    first = page.locator(search(page, "王婧")).first
    first.click()  # tapped: her own runbook opens
    page.wait_for_url("**/runbooks/people/wang-jing.html*")
    assert "王婧" in page.locator("article h1").inner_text()


def test_zensical_site_has_every_page_the_calendar_and_the_pdfs_printed_from_its_pages(
    zensical_site: Path, site: Path
) -> None:
    mkdocs_pages = {path.relative_to(site) for path in site.rglob("*.html")}
    zensical_pages = {path.relative_to(zensical_site) for path in zensical_site.rglob("*.html")}
    assert mkdocs_pages <= zensical_pages
    assert (zensical_site / "drills.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    card = "".join(page.extract_text() for page in PdfReader(zensical_site / "wallet-card.pdf").pages)
    assert "王婧" in card
    binder = PdfReader(zensical_site / "handbook.pdf")
    text = "".join(page.extract_text() for page in binder.pages)
    # The content of the pages, not the theme around it: no search box, no skip link.
    assert "我是王婧" in text
    assert "跳转至" not in text
    # The 404 page works from a share: nothing starts at the server's root.
    assert 'href="/' not in (zensical_site / "404.html").read_text(encoding="utf-8")


def test_a_successor_s_pages_say_what_the_mkdocs_pages_say(properdocs_site: Path, site: Path) -> None:
    for name in ("processes.html", "runbooks/people/wang-jing.html", "contacts.html"):
        ours = (site / name).read_text(encoding="utf-8")
        theirs = (properdocs_site / name).read_text(encoding="utf-8")
        article = ours[ours.index("<article") : ours.index("</article>")]
        assert article == theirs[theirs.index("<article") : theirs.index("</article>")]


def test_render_writes_plain_files_and_a_config_without_the_hook(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = _bcm("render", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out / "mkdocs.yml") in result.stdout
    processes = (out / "docs" / "processes.md").read_text(encoding="utf-8")
    assert processes.startswith("---\nsearch:\n  boost:")
    assert "*[RTO]:" in processes  # the glossary's acronyms, on every page
    assert (out / "theme" / "main.html").is_file()
    assert (out / "docs" / "drills.ics").is_file()
    config = read_config(out / "mkdocs.yml")
    assert "hooks" not in config
    assert config["docs_dir"] == "docs"
    assert config["theme"]["custom_dir"] == "theme"
    assert config["extra"]["redact"] is False  # !ENV [BCM_REDACT, false], resolved
    slugify = next(item["toc"]["slugify"] for item in config["markdown_extensions"] if "toc" in item)
    assert isinstance(slugify, PythonTag)  # kept as written, for the engine to run
    assert slugify.value == {"kwds": {"case": "lower"}}
    search = next(item["search"] for item in config["plugins"] if isinstance(item, dict) and "search" in item)
    assert search["lang"] == ["zh"]
    assert Path(search["jieba_dict_user"]).parent == out
    # Built again by MkDocs without the hook, the rendered folder gives the same page.
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert built.returncode == 0, built.stderr
    assert "客户出货" in (out / "site" / "processes.html").read_text(encoding="utf-8")


def test_render_of_a_broken_plan_says_why_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(
        tmp_path / "project", lambda files: files["roles.yaml"]["roles"].append({"id": "x"})
    )
    out = tmp_path / "rendered"
    result = _bcm("render", "--out", str(out), "--config", str(project / "mkdocs.yml"), cwd=project)
    assert result.returncode == 1
    assert "roles.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_zensical_s_build_of_a_broken_plan_says_why_one_problem_a_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", None)
    (project / "plan" / "roles.yaml").write_text("roles: [\n", encoding="utf-8")
    site = tmp_path / "site"
    result = _bcm("build", "--engine", "zensical", "--no-pdf", "--site-dir", str(site), cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("bcm: plan/roles.yaml:2:1: L04")
    assert len(lines) == 2  # the problem, then the count: each on a line of its own
    assert "\\n" not in result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_not_installed_is_named_with_what_to_install(
    engine: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        "bcmlib.handbook.engines.find_spec", lambda name: None if name == engine else find_spec(name)
    )
    result = CliRunner().invoke(cli, ["build", "--engine", engine, "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 1
    extras = "handbook" if engine == "mkdocs" else "handbook,engines"
    assert f"bcm: 没有安装站点生成器 {engine}" in result.stderr
    assert f"pip install 'bcm-handbook[{extras}]'" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_hostile_company_name_stays_text_in_the_rendered_config(tmp_path: Path) -> None:
    hostile = 'X": !!python/object/apply:os.system ["touch pwned"] <b> {a: b}'

    def rename(files: dict[str, dict[str, Any]]) -> None:
        files["document.yaml"]["company"]["name"] = hostile

    project = copy_project(tmp_path / "project", None)
    change_plan(project / "plan", rename)
    out = tmp_path / "rendered"
    assert _bcm("render", "--out", str(out), cwd=project).returncode == 0
    config = read_config(out / "mkdocs.yml")
    assert isinstance(config["site_name"], str)
    assert "&lt;b&gt;" in config["site_name"]  # escaped once, as the hook escapes it for Material
    assert not (project / "pwned").exists()
    assert not (out / "pwned").exists()


def test_the_library_cuts_chinese_with_the_plan_s_names_whole() -> None:
    plan = load_plan(ROOT / "plan")
    segment = segmenter(plan)
    cut = segment("盛转红负责客户出货")
    assert "盛转红" in cut.split(SEPARATOR)
    assert cut.replace(SEPARATOR, "") == "盛转红负责客户出货"
    # Text an engine cut before is cut anew from the characters as written.
    assert segment(f"盛{SEPARATOR}转红负责客户出货") == cut
    assert segment("Charles 119") == "Charles 119"
    # A Latin name beside Chinese is a word of its own, as a query types it.
    assert segment("我是Charles：出事时").split(SEPARATOR)[2] == "Charles："


def test_the_search_index_and_its_offline_copy_are_cut(tmp_path: Path) -> None:
    index = {
        "config": {"lang": ["zh"]},
        "docs": [{"location": "a.html", "title": "客户出货", "text": "盛转红负责"}],
    }
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    (tmp_path / "search" / "search_index.js").write_text(
        f"var __index = {json.dumps(index)};", encoding="utf-8"
    )
    written = segment_search_index(tmp_path, segmenter(load_plan(ROOT / "plan")))
    assert sorted(path.name for path in written) == ["search_index.js", "search_index.json"]
    script = (tmp_path / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {")
    assert script.endswith("};")
    as_json = (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8")
    for text in (script[len("var __index = ") : -1], as_json):
        docs = json.loads(text)["docs"]
        assert docs[0]["text"].split(SEPARATOR) == ["盛转红", "负责"]
        assert SEPARATOR in docs[0]["title"]


def test_versions_published_with_zensical_keep_their_selector_from_a_share(
    tmp_path: Path, offline: BrowserContext
) -> None:
    repository = copy_project(tmp_path / "repository")
    git = ["git", "-c", "user.name=BCM Coordinator", "-c", "user.email=bcm@example.com"]

    def commit(message: str) -> None:
        for step in (["add", "--all"], ["commit", "--quiet", "--message", message]):
            subprocess.run([*git, *step], cwd=repository, check=True, capture_output=True)

    def publish() -> None:
        command = [sys.executable, "-m", "bcmlib", "publish", "--engine", "zensical", "--to", str(share)]
        env = {**os.environ, **ZENSICAL_ENV, "BCM_PDF": "false", "GIT_AUTHOR_NAME": "BCM"}
        env |= {"GIT_COMMITTER_NAME": "BCM"}
        env |= {"GIT_AUTHOR_EMAIL": "bcm@example.com", "GIT_COMMITTER_EMAIL": "bcm@example.com"}
        result = subprocess.run(command, cwd=repository, capture_output=True, text=True, check=False, env=env)
        assert result.returncode == 0, result.stderr

    def next_version(files: dict[str, dict[str, Any]]) -> None:
        revisions = files["document.yaml"]["document"]["revisions"]
        revisions.append({"version": "v3", "date": "2026-11-20", "summary": "出货 RTO 缩短"})

    share = tmp_path / "share"
    subprocess.run([*git, "init", "--quiet", "--initial-branch", "main"], cwd=repository, check=True)
    commit("Plan v2")
    publish()
    change_plan(repository / "plan", next_version)
    commit("Plan v3")
    publish()
    versions = json.loads((share / "versions.json").read_text(encoding="utf-8"))
    assert [(entry["version"], entry["aliases"]) for entry in versions] == [("v3", ["latest"]), ("v2", [])]
    latest = open_page(offline, share / "latest", "processes.html")
    current = latest.locator(".md-version__current")
    current.wait_for()
    assert current.inner_text().startswith("v3（2026-11-20）")
    latest.hover(".md-version")
    latest.click(".md-version__list >> text=v2（2026-04-29）")
    latest.wait_for_url("**/v2/processes.html")
    assert latest.locator("[data-md-component=outdated]").is_visible()
