"""The status page for people with only a phone: one file, no script, plan text shown as text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from playwright.sync_api import BrowserContext

from bcmlib.cli import cli
from tests.browser import open_page
from tests.conftest import PLAN_DIR

HOSTILE = '<img src=x onerror="window.pwned=1">Robert</script><script>window.pwned=2</script>'
PHONES = """
    contacts:
      - {channel: mobile, value: 138-0000-0003, personal: true}
      - {channel: landline, value: '"><script>window.pwned=3</script>', personal: false}
"""
"""Robert's invented numbers: one a phone dials, one that is markup."""


def _hostile_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan)
    people = plan / "people.yaml"
    text = people.read_text(encoding="utf-8").replace(
        "name: Robert\n    kind: staff\n", f"name: '{HOSTILE}'\n    kind: staff{PHONES}"
    )
    people.write_text(text, encoding="utf-8")
    return plan


def _run(plan: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--plan", str(plan)])
    return result.exit_code, result.stdout, result.stderr


def _incident(plan: Path, log: Path) -> None:
    at = "2026-11-24T09:00+08:00"
    assert (
        _run(
            plan,
            "incident",
            "open",
            "--level",
            "II",
            "--hit",
            "hazmat-storage-safety",
            "--at",
            at,
            "--log",
            str(log),
        )[0]
        == 0
    )
    assert (
        _run(plan, "incident", "unavailable", "kc", "--by", "robert", "--at", at, "--log", str(log))[0] == 0
    )


def test_the_status_page_opens_on_a_phone_with_what_is_late_marked(
    offline: BrowserContext, tmp_path: Path
) -> None:
    plan = _hostile_plan(tmp_path)
    log = tmp_path / "incident.jsonl"
    _incident(plan, log)
    share = tmp_path / "share"
    code, _, err = _run(
        plan, "incident", "status", "--to", str(share), "--at", "2026-11-24T12:00+08:00", "--log", str(log)
    )
    assert code == 0, err
    html = (share / "incident-status.html").read_text(encoding="utf-8")
    assert "<script" not in html.replace("&lt;script", "")
    for width, height in ((390, 844), (1280, 800)):
        page = open_page(offline, share, "incident-status.html")
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("window.pwned") is None
        body = page.inner_text("body")
        assert HOSTILE in body  # the name is shown as typed, not obeyed
        urgent = page.locator("li.urgent")
        assert urgent.count() >= 2  # the missed report and hazmat past its 1h RTO
        assert "已逾期" in urgent.first.inner_text()
        assert urgent.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.hover("li.urgent")
        page.click("h1")
        # The commander is a tap away: the dialable number a call of 44 px, the markup shown as typed.
        call = page.locator('a[href="tel:13800000003"]')
        assert call.inner_text() == "138-0000-0003"
        box = call.bounding_box()
        assert box is not None
        assert box["height"] >= 44
        assert '"><script>window.pwned=3</script>' in body
        assert page.locator('a[href^="tel:"]').count() == 1
        call.hover()
        assert page.evaluate("window.pwned") is None
        page.close()


def test_status_as_json_and_html_to_standard_output(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _incident(PLAN_DIR, log)
    at = ("--at", "2026-11-24T12:00+08:00")
    code, out, _ = _run(PLAN_DIR, "incident", "status", "--format", "json", *at, "--log", str(log))
    assert code == 0
    data = json.loads(out)
    assert data["reports"][0]["outcome"] == "missed"
    assert data["reports"][0]["recipient"] == {"id": "charles", "name": "Charles"}
    assert data["recovery"][0]["late"] is True
    code, out, _ = _run(PLAN_DIR, "incident", "status", "--format", "html", "-o", "-", *at, "--log", str(log))
    assert code == 0
    assert out.startswith("<!doctype html>")


def test_every_file_output_takes_a_dash_for_standard_output() -> None:
    code, out, _ = _run(PLAN_DIR, "calendar", "-o", "-")
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR")
    result = CliRunner().invoke(cli, ["schema", "-o", "-"])
    assert json.loads(result.stdout)["$schema"]


def test_usage_errors_speak_the_chosen_language(tmp_path: Path) -> None:
    log = str(tmp_path / "x.jsonl")
    result = CliRunner().invoke(cli, ["incident", "fire", "--log", log])
    assert result.exit_code == 2
    assert "缺少 TRIGGER" in result.stderr
    assert "incident fire -h 查看用法" in result.stderr
    result = CliRunner().invoke(cli, ["incident", "status", "--format", "xml", "--lang", "en", "--log", log])
    assert result.exit_code == 2
    assert "Invalid value for --format" in result.stderr
