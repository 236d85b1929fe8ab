"""The handbook in English: `theme.language: en` in mkdocs.yml builds every page, PDF and setting in English.

Two real builds, each once for the module. The example company's plan in English, with its PDFs: its
own words stay Chinese, so every Chinese character or full-width mark left on a page must be the plan's.
And a small plan written in English (tests/fixtures/english), whose handbook holds no Chinese character
at all. Its wallet card is compared with tests/golden/wallet-card.en.html; after a deliberate change to
the card, rewrite that file with `BCM_UPDATE_GOLDEN=1 pytest tests/test_handbook_english.py -k golden`
and review its diff before committing it. The commands' English messages, `bcm publish`'s start page
and an incident's status page are held to the same rule.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.i18n import LANGUAGES, _catalogue, translate
from tests.conftest import PLAN_DIR
from tests.handbook_site import ROOT, build, page

ENGLISH_PLAN = Path(__file__).parent / "fixtures" / "english"
GOLDEN = Path(__file__).parent / "golden"
CHINESE = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""A Han character (or a Kangxi radical, as a PDF font may give one back), or a CJK or full-width mark."""
SITE_NAME = "Business continuity handbook"
_BLOCKS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "div", "summary", "figcaption")
"""The elements whose text ends where the next one's begins, as a reader sees it."""


def english_project(folder: Path, plan: Path, language: str = "en") -> Path:
    """A mkdocs.yml in `folder` that inherits this repository's, in `language`, reading the plan at `plan`.

    Paths in an inherited file are read from the inheriting one's folder, so the hand-written pages'
    folder and the hook are named by their place in this repository.
    """
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(r"^docs_dir:\s*(\S+)\s*$", config, flags=re.MULTILINE)
    settings = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_name": SITE_NAME,
        "docs_dir": str(ROOT / (found.group(1) if found else "docs")),
        "hooks": [str(ROOT / "hooks" / "handbook.py")],
        "watch": [],
        "theme": {"language": language},
        "extra": {"plan": str(plan.resolve())},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example company's handbook built in English, with its PDFs."""
    project = english_project(tmp_path_factory.mktemp("english") / "project", PLAN_DIR)
    site = project.parent / "site"
    result = build(project, site, BCM_PDF="true")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def english_plan_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook of the small plan written in English, built in English (no PDFs: the other has them)."""
    project = english_project(tmp_path_factory.mktemp("english-plan") / "project", ENGLISH_PLAN)
    site = project.parent / "site"
    result = build(project, site, BCM_PDF="false")
    assert result.returncode == 0, result.stderr
    return site


def _strings(node: Any) -> Iterator[str]:
    """Every string in a plan file's data, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _squeezed(text: str) -> str:
    """`text` without whitespace: a page or a PDF breaks and spaces the plan's words as its layout needs."""
    return "".join(text.split())


def _plan_words() -> list[str]:
    """The example plan's Chinese strings without whitespace, longest first: none is cut by a shorter one."""
    words = {
        _squeezed(text)
        for path in PLAN_DIR.glob("*.yaml")
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        if CHINESE.search(text)
    }
    return sorted(words, key=len, reverse=True)


def _not_the_plans(text: str, words: list[str]) -> list[str]:
    """The Chinese left in `text` once the plan's own words are taken out, each with what surrounds it."""
    left = _squeezed(text)
    for word in words:
        # Each word leaves a mark behind, so the pieces around it never join into a new Chinese run.
        left = left.replace(word, "\0")
    return re.findall(rf"[^\0]{{0,20}}{CHINESE.pattern}+[^\0]{{0,20}}", left)


def test_english_pages_say_in_chinese_only_the_plans_own_words(english_site: Path) -> None:
    words = _plan_words()
    problems = {}
    for path in sorted(english_site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.html is not None
        assert soup.html.get("lang") == "en", path
        # Text of two elements side by side (table cells, a diagram's labels) is kept apart, so no plan
        # word is taken to run across both.
        for element in soup.find_all([*_BLOCKS, "text"]):
            element.append("\0")
        # What a reader sees: the page itself, the header and menus around it, and the footer.
        shown = [soup.find(tag) for tag in ("article", "header", "nav", "footer")]
        left = [hit for part in shown if part is not None for hit in _not_the_plans(part.get_text(), words)]
        if left:
            problems[path.relative_to(english_site).as_posix()] = left
    assert problems == {}


def test_english_search_splits_english_words(english_site: Path) -> None:
    index = json.loads((english_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"]
    assert index["config"]["separator"] == translate("handbook.search.separator", "en")
    assert not CHINESE.search(index["config"]["separator"])


def test_english_binder_prints_in_english(english_site: Path) -> None:
    sheets = [sheet.extract_text() for sheet in pypdf.PdfReader(english_site / "handbook.pdf").pages]
    cover = _squeezed(sheets[0])
    assert _squeezed(translate("handbook.print.contents", "en")) in cover
    assert _squeezed(translate("handbook.print.contents", "zh")) not in cover
    assert _not_the_plans("".join(sheets), _plan_words()) == []
    card = _squeezed(pypdf.PdfReader(english_site / "wallet-card.pdf").pages[0].extract_text())
    assert _squeezed(translate("handbook.card.title", "en")) in card


def test_a_plan_written_in_english_builds_a_handbook_without_a_chinese_character(
    english_plan_site: Path,
) -> None:
    problems = {}
    for path in sorted(english_plan_site.rglob("*")):
        # Pages, the search index, the drill calendar and the sitemap: Material's own bundles aside.
        if path.suffix in {".html", ".json", ".ics", ".xml"} and "assets" not in path.parts:
            found = CHINESE.findall(path.read_text(encoding="utf-8"))
            if found:
                problems[path.relative_to(english_plan_site).as_posix()] = "".join(found[:40])
    assert problems == {}
    assert (english_plan_site / "drills.ics").is_file()
    assert (english_plan_site / "404.html").is_file()


def test_golden_wallet_card(english_plan_site: Path) -> None:
    article = page(english_plan_site, "wallet-card.html").find("article")
    assert article is not None
    rendered = article.prettify()
    golden = GOLDEN / "wallet-card.en.html"
    if os.environ.get("BCM_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
        pytest.skip(f"{golden} rewritten: review its diff before committing it")
    assert rendered == golden.read_text(encoding="utf-8")


def test_an_unknown_language_stops_the_build_and_says_which_there_are(tmp_path: Path) -> None:
    project = english_project(tmp_path / "project", ENGLISH_PLAN, language="de")
    result = build(project, tmp_path / "site", BCM_PDF="false")
    assert result.returncode != 0
    said = result.stdout + result.stderr
    for lang in LANGUAGES:
        assert translate("handbook.build.language", lang, language="de", known=LANGUAGES) in said
    assert "Traceback" not in said


def test_publish_writes_the_start_page_in_the_handbook_s_language(tmp_path: Path) -> None:
    repository = english_project(tmp_path / "repository", ENGLISH_PLAN)

    def git(*args: str) -> None:
        who = ["-c", "user.name=BCM Coordinator", "-c", "user.email=bcm@example.com"]
        subprocess.run(["git", *who, *args], cwd=repository, check=True, capture_output=True)

    # A branch as mike leaves it after one deployment, so publishing needs no build.
    git("init", "--quiet", "--initial-branch", "gh-pages")
    (repository / "v1").mkdir()
    (repository / "v1" / "index.html").write_text("<title>v1</title>", encoding="utf-8")
    versions = [{"version": "v1", "title": "v1 (2026-01-05)", "aliases": ["latest"]}]
    (repository / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    git("add", "v1", "versions.json")
    git("commit", "--quiet", "--message", "Deployed v1")
    share = tmp_path / "share"
    args = ["publish", "--no-deploy", "--to", str(share), "--config", str(repository / "mkdocs.yml")]
    result = CliRunner().invoke(cli, [*args, "--plan", str(ENGLISH_PLAN)])
    assert result.exit_code == 0, result.output
    start = (share / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in start
    assert translate("handbook.version.open", "en") in start
    assert not CHINESE.search(start)


def test_english_findings_carry_english_punctuation() -> None:
    def check(lang: str) -> str:
        args = ["check", str(ENGLISH_PLAN), "--as-of", "2027-06-01", "--lang", lang]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return result.stdout

    english = check("en")
    assert "(owner: Incident lead (Ann Baker))" in english
    assert not CHINESE.search(english)
    # The same finding in Chinese keeps its own marks.
    assert "（负责：Incident lead（Ann Baker））" in check("zh")
    coverage = CliRunner().invoke(cli, ["coverage", "--plan", str(ENGLISH_PLAN), "--lang", "en"])
    assert coverage.exit_code == 0, coverage.output
    assert not CHINESE.search(coverage.stdout)


@pytest.mark.parametrize(
    "args",
    [
        # Late enough that every dated finding is overdue and every waiver has expired.
        ["check", str(PLAN_DIR), "--as-of", "2028-01-01"],
        ["coverage", "--plan", str(PLAN_DIR)],
    ],
)
def test_english_messages_about_the_example_plan_say_in_chinese_only_its_words(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert result.stdout
    assert _not_the_plans(result.stdout + result.stderr, _plan_words()) == []


def test_an_incident_s_status_page_in_english_says_in_chinese_only_the_plans_words(tmp_path: Path) -> None:
    log = str(tmp_path / "incident.jsonl")
    common = ["--log", log, "--plan", str(PLAN_DIR), "--lang", "en"]
    opened = ["incident", "open", "--level", "2", "--by", "kc", "--hit", "customer-shipping"]
    for args in [
        [*opened, "--as-of", "2026-12-01T12:00:00+08:00"],
        ["incident", "fire", "assess", "--by", "robert", "--as-of", "2026-12-01T12:05:00+08:00"],
    ]:
        assert CliRunner().invoke(cli, [*args, *common]).exit_code == 0
    status = ["incident", "status", "--format", "html", "--as-of", "2026-12-01T12:10:00+08:00"]
    result = CliRunner().invoke(cli, [*status, *common])
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(result.stdout, "html.parser")
    assert soup.html is not None
    assert soup.html.get("lang") == "en"
    assert _not_the_plans(soup.get_text(), _plan_words()) == []


def test_english_catalogue_is_english() -> None:
    # One character may stand as an example of what a plan may write (a level named 红); two in a row
    # are Chinese words left untranslated, and a full-width mark is Chinese punctuation.
    untranslated = re.compile(rf"{CHINESE.pattern}{{2}}|[\u3000-\u303f\uff00-\uffef]")
    chinese = {key: text for key, text in _catalogue("en").items() if untranslated.search(text)}
    assert chinese == {}
