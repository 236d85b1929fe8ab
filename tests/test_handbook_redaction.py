"""A redacted handbook publishes no personal contact channel, in any file of the site, in any form.

The plan gives every person a personal mobile, mailbox and WeChat id, and the baseline version the
changes page compares with gives them others; the site built with `BCM_REDACT=true` is searched for each
value as written, without spaces, as digits, URL-encoded, HTML- and JSON-escaped, in every file it
holds: pages, search index, scripts, PDFs as text, the calendar, sitemaps. The same plan built without
redaction holds every value, so the search is shown to find what it looks for.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

import pypdf
import pytest

from bcmlib import load_plan, validate
from bcmlib.handbook.context.monitoring import group_findings
from bcmlib.handbook.rendering import read_config
from bcmlib.i18n import translate
from tests.conftest import WritePlan
from tests.handbook_site import ROOT, build, change_plan, copy_project, page, rows

OFFICE_LINE = "021-5555-0100"
"""Wang Jing's office line, not personal: every edition shows it."""


def _channels(number: int, person: str, *, old: bool) -> list[dict[str, Any]]:
    """Invented personal channels of the `number`th person; `old` ones for the baseline version."""
    mobile = f"+86 137 5555 66{number:02d}" if old else f"+86 139 1234 56{number:02d}"
    prefix = "leak-old" if old else "leak"
    return [
        # Verified long ago, so CON001 reports it on the plan-health page and the dashboard.
        {"channel": "mobile", "value": mobile, "personal": True, "verified_on": "2025-01-15"},
        {"channel": "email", "value": f"{prefix}-{person}@example.org", "personal": True},
        {"channel": "wechat", "value": f"{prefix}wx-{person}", "personal": True},
    ]


def _personal(*, old: bool) -> Callable[[dict[str, dict[str, Any]]], None]:
    def change(files: dict[str, dict[str, Any]]) -> None:
        people = files["people.yaml"]
        for number, person in enumerate(people["people"]):
            person["contacts"] = [*person.get("contacts", []), *_channels(number, person["id"], old=old)]
            if person["id"] == "wang-jing":
                person["contacts"].append({"channel": "landline", "value": OFFICE_LINE, "personal": False})
        people["emergency_contacts"]["verify_every"] = "6mo"

    return change


def _secrets(plan: Path) -> list[str]:
    return [c.value for person in load_plan(plan).people for c in person.contacts if c.personal]


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook project with personal channels, and its baseline version in `baseline/`."""
    folder = tmp_path_factory.mktemp("redaction")
    shutil.copytree(ROOT / "plan", folder / "baseline")
    change_plan(folder / "baseline", _personal(old=True))
    return copy_project(folder / "project", _personal(old=False))


@pytest.fixture(scope="session")
def secrets(project: Path) -> list[str]:
    """Every personal channel's value, of this version and of the baseline."""
    values = [*_secrets(project / "plan"), *_secrets(project.parent / "baseline")]
    assert len(values) == 60
    return values


def _site(project: Path, folder: Path, *, redact: bool) -> Path:
    baseline = str(project.parent / "baseline")
    result = build(project, folder, BCM_REDACT=str(redact).lower(), BCM_BASELINE=baseline)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def redacted_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(project, tmp_path_factory.mktemp("redacted"), redact=True)


@pytest.fixture(scope="session")
def full_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(project, tmp_path_factory.mktemp("full"), redact=False)


def _text(path: Path) -> str:
    """A file of the site as text: a PDF's text, a gzipped file unpacked, anything else decoded."""
    if path.suffix == ".pdf":
        return "\n".join(sheet.extract_text() for sheet in pypdf.PdfReader(path).pages)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _readings(text: str) -> list[str]:
    """The text as written, with entities and URL escapes undone, and each of those without spaces.

    Without spaces, a number matches however a page, a `tel:` link or a PDF's layout spaced it.
    """
    # Backslashes out: Markdown source escapes `+`, `-`, `.` and `@` (`leak\\-kc\\@example\\.org`).
    undone = [text, html.unescape(text), unquote(text), unquote_plus(text), text.replace("\\", "")]
    return [*undone, *("".join(reading.split()) for reading in undone)]


def _forms(value: str) -> set[str]:
    """The ways a value can be written into a file: as is, escaped for a URL, HTML or JSON, or as digits."""
    forms = {value, quote(value), quote(value, safe=""), quote_plus(value), html.escape(value)}
    forms.add(json.dumps(value)[1:-1])
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:  # a phone number: dialled as digits, with or without the country code
        forms |= {digits, digits.removeprefix("86")}
    return forms


def _hits(site: Path, values: list[str]) -> dict[str, list[str]]:
    """Each value, and the files of the site (by path) that hold it in some form."""
    found: dict[str, list[str]] = {value: [] for value in values}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        readings = _readings(_text(path))
        for value in values:
            if any(form in reading for form in _forms(value) for reading in readings):
                found[value].append(path.relative_to(site).as_posix())
    return found


def test_the_full_build_publishes_every_personal_channel(full_site: Path, secrets: list[str]) -> None:
    hits = _hits(full_site, secrets)
    assert [value for value, files in hits.items() if not files] == []
    # Each kind of file the redacted build is searched in does hold the values here.
    where = {name for files in hits.values() for name in files}
    assert {"handbook.pdf", "handbook-admin.pdf", "changes.html", "search/search_index.json"} <= where


def test_a_redacted_build_publishes_no_personal_channel(redacted_site: Path, secrets: list[str]) -> None:
    assert {value: files for value, files in _hits(redacted_site, secrets).items() if files} == {}
    # Searched where a leak was found before, and in the files a site may add.
    for name in ["sitemap.xml", "sitemap.xml.gz", "drills.ics", "search/search_index.json"]:
        assert (redacted_site / name).is_file(), name
    assert OFFICE_LINE in _text(redacted_site / "contacts.html")  # the office line is for everyone


def _rendered(project: Path, out: Path, *, redact: bool) -> Path:
    """The handbook of `project` written as plain files by `bcm render`, for an engine without hooks."""
    command = [sys.executable, "-m", "bcmlib", "render", "--out", str(out), *(["--redact"] if redact else [])]
    env = {**os.environ, "BCM_BASELINE": str(project.parent / "baseline")}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


def test_bcm_render_redacts_every_file_it_writes(project: Path, secrets: list[str], tmp_path: Path) -> None:
    # The rendered folder (pages, calendar, mkdocs.yml, the search dictionary) is what a successor
    # engine publishes: redacted, it holds no personal channel; rendered in full, it holds every one.
    full = _hits(_rendered(project, tmp_path / "full", redact=False), secrets)
    assert [value for value, files in full.items() if not files] == []
    assert "docs/changes.md" in {name for files in full.values() for name in files}
    redacted = _rendered(project, tmp_path / "redacted", redact=True)
    assert {value: files for value, files in _hits(redacted, secrets).items() if files} == {}
    assert read_config(redacted / "mkdocs.yml")["extra"]["redact"] is True
    assert OFFICE_LINE in _text(redacted / "docs" / "contacts.md")


def test_a_redacted_build_says_the_phone_is_left_out_not_missing(redacted_site: Path) -> None:
    # Everyone has a personal mobile in the plan, so no page may say the plan has no phone.
    missing, left_out = (translate(f"handbook.people.{key}") for key in ("no_phone", "phone_withheld"))
    pages = [_text(path) for path in redacted_site.rglob("*.html")]
    assert not [text for text in pages if missing in text]
    assert left_out in _text(redacted_site / "wallet-card.html")
    # The findings are the plan's: it has a phone for every commander, so CON002 does not fire.
    assert "CON002" not in [row[0] for row in rows(page(redacted_site, "plan-health.html"))]


def test_no_finding_quotes_a_contact_value(project: Path) -> None:
    plan = load_plan(project / "plan")
    values = [contact.value for person in plan.people for contact in person.contacts]
    report = validate(plan, today=date(2026, 12, 1))
    assert "CON001" in {finding.code for finding in report}
    for finding in report:
        for lang in ("zh", "en"):
            assert not [value for value in values if value in finding.message(lang)], finding.code


def test_the_dashboard_ages_a_left_out_channel_in_the_plan_it_was_found_in(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    # Every person's only channel is a personal mobile never verified: due 6 months after the first
    # revision, which the dashboard ages gaps from, so it is older than the current version says.
    plan_data["document"]["revisions"].append({"version": "v2", "date": "2026-06-01", "summary": "改版"})
    plan_data["emergency_contacts"] = {"document": "sop-28", "verify_every": "6mo"}
    plan = load_plan(write_plan(plan_data))
    built = date(2026, 12, 24)
    unverified = [finding for finding in validate(plan, today=built) if finding.code == "CON001"]
    ages = [
        [group.age for group in group_findings(shown, unverified, built, checked)]
        for shown, checked in [(plan, None), (plan.redacted(), plan), (plan.redacted(), None)]
    ]
    # As old on the redacted edition's dashboard as on the full one; checked again in the copy, the
    # channels it left out would have no first-revision age, and the gap would look months younger.
    assert ages[0] == ages[1]
    assert ages[2][0] < ages[1][0]
