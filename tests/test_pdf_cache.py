"""The PDF cache: a rebuild prints only the PDFs whose print document changed, and never serves a bad one.

Printed from the small plan of conftest.MINIMAL, its pages' content made by Python-Markdown (MkDocs' own
Markdown engine) so no site needs building; the last test builds the real site twice through the hook.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pypdf
import pytest
import yaml

from bcmlib.handbook.build import ADMIN_BINDER, BINDER, prepare_handbook, print_jobs
from bcmlib.handbook.printing import PrintedPdf, PrintJob, pdf_cache, print_pdfs, wait_for_background
from tests.conftest import MINIMAL, TODAY
from tests.handbook_site import ROOT, build

PERSON = "runbooks/people/ann"
"""The page the one-page edit changes: a runbook printed on its own and in the crisis binder."""


def _jobs(
    plan: Path, site: Path, *, redact: bool = False, change: Callable[[dict[str, str]], None] | None = None
) -> list[PrintJob]:
    handbook = prepare_handbook(plan, TODAY, redact=redact)
    contents = {
        page.path: markdown.markdown(page.markdown, extensions=["tables", "attr_list", "md_in_html"])
        for page in handbook.pages
    }
    if change is not None:
        change(contents)
    return print_jobs(handbook, contents, site)


def _text(pdf: Path) -> str:
    return "".join("".join(sheet.extract_text().split()) for sheet in pypdf.PdfReader(pdf).pages)


def _names(printed: list[PrintedPdf], site: Path, *, reused: bool) -> set[str]:
    return {pdf.pdf.relative_to(site).as_posix() for pdf in printed if pdf.reused == reused}


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(yaml.safe_dump(MINIMAL, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory, plan: Path) -> tuple[Path, Path]:
    """A site and its cache after a first build, with nothing in the cache before."""
    folder = tmp_path_factory.mktemp("first")
    printed = print_pdfs(_jobs(plan, folder / "site"), cache=folder / "cache")
    assert len(printed) == 13
    assert not any(pdf.reused for pdf in printed)
    return folder / "site", folder / "cache"


@pytest.fixture
def cache(first: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the first build's cache, for one test to change."""
    return Path(shutil.copytree(first[1], tmp_path / "cache"))


def _entries(cache: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}


def test_a_rebuild_without_a_change_prints_nothing_and_writes_the_same_pdfs(
    first: tuple[Path, Path], cache: Path, plan: Path, tmp_path: Path
) -> None:
    before = _entries(cache)
    printed = print_pdfs(_jobs(plan, tmp_path / "site"), cache=cache)
    assert [pdf.reused for pdf in printed] == [True] * 13
    for pdf in printed:
        name = pdf.pdf.relative_to(tmp_path / "site")
        assert pdf.pdf.read_bytes() == (first[0] / name).read_bytes(), name
        assert len(pypdf.PdfReader(pdf.pdf).pages) == pdf.pages >= 1, name
    assert _entries(cache) == before  # nothing written, nothing thrown away


def test_a_one_page_edit_prints_that_page_and_the_binder_holding_it(
    cache: Path, plan: Path, tmp_path: Path
) -> None:
    def edit(contents: dict[str, str]) -> None:
        contents[f"{PERSON}.md"] += "<p>改过的一句话</p>"

    site = tmp_path / "site"
    printed = print_pdfs(_jobs(plan, site, change=edit), cache=cache)
    assert _names(printed, site, reused=False) == {f"{PERSON}.pdf", BINDER}
    assert ADMIN_BINDER in _names(printed, site, reused=True)
    for name in (f"{PERSON}.pdf", BINDER):
        assert "改过的一句话" in _text(site / name), name
    # The cache holds this build's PDFs only: the two old ones gave way to the new.
    assert len(list(cache.iterdir())) == 13
    again = print_pdfs(_jobs(plan, tmp_path / "again", change=edit), cache=cache)
    assert all(pdf.reused for pdf in again)


def _added(text: str) -> Callable[[dict[str, str]], None]:
    def edit(contents: dict[str, str]) -> None:
        contents[f"{PERSON}.md"] += f"<p>{text}</p>"

    return edit


def test_behind_a_preview_the_pdfs_reused_come_at_once_and_the_edited_ones_when_printed(
    cache: Path, plan: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    reused = print_pdfs(_jobs(plan, site, change=_added("改过的一句话")), cache=cache, background=True)
    assert len(reused) == 11
    assert all(pdf.reused and pdf.pdf.is_file() for pdf in reused)
    wait_for_background()
    for name in (f"{PERSON}.pdf", BINDER):
        assert "改过的一句话" in _text(site / name), name
    assert len(list(site.rglob("*.pdf"))) == len(list(cache.iterdir())) == 13


def test_an_edit_undone_is_not_overwritten_by_the_pdfs_still_printing_for_the_edit(
    cache: Path, plan: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    print_pdfs(_jobs(plan, site, change=_added("撤销前的改动")), cache=cache, background=True)
    # The next build, the edit undone: its PDFs are all in the cache, written at once. The binder and
    # runbook printing for the edit behind it must not land over them, whenever they are done.
    print_pdfs(_jobs(plan, site), cache=cache, background=True)
    wait_for_background()
    for name in (f"{PERSON}.pdf", BINDER):
        assert "撤销前的改动" not in _text(site / name), name
        assert "Ann" in _text(site / name)


def _entry_of(cache: Path, pdf: Path) -> Path:
    """The cache entry that holds `pdf`."""
    content = pdf.read_bytes()
    [entry] = [path for path in cache.iterdir() if path.read_bytes().endswith(content)]
    return entry


def test_a_damaged_entry_is_printed_again_not_served(
    first: tuple[Path, Path], cache: Path, plan: Path, tmp_path: Path
) -> None:
    site, _ = first
    damaged: dict[str, Callable[[bytes], bytes]] = {
        f"{PERSON}.pdf": lambda kept: kept[: len(kept) // 2],  # cut short, as by a full disk
        "wallet-card.pdf": lambda kept: kept[:-300] + bytes([kept[-300] ^ 1]) + kept[-299:],  # one bit
        "runbooks/roles/role-0.pdf": lambda kept: b"",
        BINDER: lambda kept: b"%PDF-1.7\n" + kept,  # not our first line: another kind of file
    }
    for name, damage in damaged.items():
        entry = _entry_of(cache, site / name)
        entry.write_bytes(damage(entry.read_bytes()))
    printed = print_pdfs(_jobs(plan, tmp_path / "site"), cache=cache)
    assert _names(printed, tmp_path / "site", reused=False) == set(damaged)
    for name in damaged:
        reprinted = tmp_path / "site" / name
        assert len(pypdf.PdfReader(reprinted).pages) >= 1, name
        assert _text(reprinted) == _text(site / name), name
    # Mended: the next build reuses them.
    assert all(pdf.reused for pdf in print_pdfs(_jobs(plan, tmp_path / "again"), cache=cache))


def test_a_redacted_edition_is_never_given_a_pdf_with_the_personal_numbers(
    first: tuple[Path, Path], cache: Path, plan: Path, tmp_path: Path
) -> None:
    # The same cache folder for both editions, the worst a setting can do.
    full = {job.pdf.name: job.html for job in _jobs(plan, tmp_path / "full")}
    site = tmp_path / "redacted"
    jobs = _jobs(plan, site, redact=True)
    printed = print_pdfs(jobs, cache=cache)
    numbers = [
        contact["value"].replace(" ", "") for person in MINIMAL["people"] for contact in person["contacts"]
    ]
    assert [number for number in numbers if number in _text(first[0] / f"{PERSON}.pdf")]  # the full one's
    for job, pdf in zip(jobs, printed, strict=True):
        text = _text(pdf.pdf)
        assert not [number for number in numbers if number in text], pdf.pdf
        # Reused only where the redacted document is the full one: a page with no personal number.
        assert pdf.reused == (full[job.pdf.name] == job.html), pdf.pdf
    assert {pdf.pdf.relative_to(site).as_posix() for pdf in printed if not pdf.reused} >= {
        f"{PERSON}.pdf",
        "wallet-card.pdf",
        BINDER,
    }


def test_the_cache_folder_is_the_user_s_or_the_one_set_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    default = pdf_cache(None, tmp_path / "project", "edition")
    assert default is not None
    assert default.parent == tmp_path / "xdg" / "bcm-handbook" / "pdf"
    assert pdf_cache("", tmp_path, "edition") == default
    assert pdf_cache(".cache/pdf", tmp_path / "project", "edition") == (
        tmp_path / "project" / ".cache" / "pdf" / default.name
    )
    assert (
        pdf_cache(str(tmp_path / "elsewhere"), tmp_path, "edition") == tmp_path / "elsewhere" / default.name
    )
    # Each edition keeps its own PDFs, so building one does not throw away the other's.
    assert pdf_cache(None, tmp_path, "redacted") != default
    for off in (False, "false", "False", "no", "off", "0"):
        assert pdf_cache(off, tmp_path, "edition") is None


def test_the_hook_reuses_the_pdfs_of_the_previous_build(plan: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"BCM_PLAN": str(plan), "BCM_PDF": "true", "BCM_PDF_CACHE": str(cache)}
    result = build(ROOT, tmp_path / "one", **env)
    assert result.returncode == 0, result.stderr
    [edition] = list(cache.iterdir())
    assert stat.S_IMODE(edition.stat().st_mode) == 0o700  # the plan's personal data: the owner's only
    entries = _entries(edition)
    pdfs = sorted(path.relative_to(tmp_path / "one") for path in (tmp_path / "one").rglob("*.pdf"))
    assert len(entries) == len(pdfs) == 13
    assert {stat.S_IMODE(path.stat().st_mode) for path in edition.iterdir()} == {0o600}
    # The site's PDFs are as readable as its pages: the published site is read from a share.
    page_mode = stat.S_IMODE((tmp_path / "one" / "index.html").stat().st_mode)
    assert {stat.S_IMODE((tmp_path / "one" / pdf).stat().st_mode) for pdf in pdfs} == {page_mode}
    assert [path for path in (tmp_path / "one").rglob("*") if path.name.endswith(".entry")] == []
    result = build(ROOT, tmp_path / "two", **env)
    assert result.returncode == 0, result.stderr
    assert _entries(edition) == entries  # none printed again, none thrown away
    for name in pdfs:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_a_cache_folder_that_cannot_be_made_prints_without_one(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the folder should be", encoding="utf-8")
    [card] = [job for job in _jobs(plan, tmp_path / "site") if job.pdf.name == "wallet-card.pdf"]
    [printed] = print_pdfs([card], cache=tmp_path / "taken" / "cache")
    assert not printed.reused
    assert len(pypdf.PdfReader(printed.pdf).pages) == printed.pages >= 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_mkdocs_serve_reloads_without_waiting_for_the_pdfs_which_follow(plan: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BCM_PLAN": str(plan), "BCM_PDF": "true"}
    env["BCM_PDF_CACHE"] = str(tmp_path / "cache")  # empty: every PDF is printed
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(ROOT / "mkdocs.yml"),
        "-a",
        f"127.0.0.1:{port}",
    ]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while "Printed 13 PDFs behind the preview" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
        text = log.read_text()
        # The server was up, the page ready to reload, before the PDFs were printed.
        assert text.index("Serving on") < text.index("Printed 13 PDFs behind the preview"), text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{BINDER}") as response:
            binder = tmp_path / "binder.pdf"
            binder.write_bytes(response.read())
        assert "Ann" in _text(binder)
    finally:
        server.terminate()
        server.wait(timeout=30)
