"""Build the real handbook with MkDocs into a folder, from plan/ or from a changed copy of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ZENSICAL_ENV = {"FAKETIME_DONT_FAKE_MONOTONIC": "1"}
"""For a process that runs Zensical: under Debian's faketime (the proof that the suite does not depend on
the date) its runtime waits on the monotonic clock, and with that faked too the build never ends. Not
for every process: Chromium needs both clocks faked alike."""


def copy_project(target: Path, change: Callable[[dict[str, dict[str, Any]]], None] | None = None) -> Path:
    """mkdocs.yml, pages/, hooks/ and plan/ copied into `target`, the plan changed by `change` if given."""
    target.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "pages", target / "pages")
    shutil.copytree(ROOT / "hooks", target / "hooks")
    shutil.copytree(ROOT / "plan", target / "plan")
    if change is not None:
        change_plan(target / "plan", change)
    return target


def change_plan(plan: Path, change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
    """Rewrite the plan folder's files as `change` edits their data (file name to the file's data)."""
    files = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in plan.glob("*.yaml")}
    change(files)
    for name, data in files.items():
        (plan / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


RECOVERY_STEPS: dict[str, list[dict[str, str]]] = {
    "customer-shipping": [
        {"action": "改由备援仓 stand-down 出货", "role": "business-warehouse", "within": "1h30m"},
        {"action": "通知受影响客户 kc@example.com", "role": "field-commander", "within": "immediate"},
        {"action": "清点在途订单"},
    ],
    "hazmat-storage-safety": [{"action": "封锁危化品仓区", "role": "business-warehouse", "within": "2w"}],
}
"""Invented rows of the recovery-plan table (the seeds give the company none), by process id."""


def add_recovery_steps(files: dict[str, dict[str, Any]]) -> None:
    """Give the plan's processes the invented `RECOVERY_STEPS`."""
    for process in files["processes.yaml"]["processes"]:
        if process["id"] in RECOVERY_STEPS:
            process["recovery_steps"] = RECOVERY_STEPS[process["id"]]


PHONES: dict[str, str] = {
    "kc": "+86 138 0000 0001",
    "charles": "+86 138 0000 0002",
    "robert": "138-0000-0003",
    "sheng-zhuanhong": "138 0000 0004",
    "wang-jing": "021 5555 0005 转 801",
    "miku": "138 0000 0006（夜间请发短信）",
}
"""Invented phone numbers (the company's plan has none: they live in SOP-28 §7), by person id: one with
an extension, and one with a note that no phone can dial."""
UNDIALABLE = PHONES["miku"]


def add_phones(files: dict[str, dict[str, Any]]) -> None:
    """Give some of the plan's people the invented `PHONES`; the others stay without one."""
    for person in files["people.yaml"]["people"]:
        if person["id"] in PHONES:
            channel = {"channel": "mobile", "value": PHONES[person["id"]], "personal": True}
            person["contacts"] = [*person.get("contacts", []), channel]


def add_steps_and_phones(files: dict[str, dict[str, Any]]) -> None:
    """The invented recovery steps and phone numbers together."""
    add_recovery_steps(files)
    add_phones(files)


def build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` of the project into `site`, as `make handbook` runs it, with `env` added."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            # Not --quiet: MkDocs counts warnings for strict mode only while it shows them.
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        cwd=project,
    )


def page(site: Path, name: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def rows(soup: BeautifulSoup) -> list[list[str]]:
    """Every table row of the page's article, as the text of its cells."""
    article = soup.find("article")
    assert article is not None
    return [
        [" ".join(cell.get_text().split()) for cell in row.find_all(["td", "th"])]
        for row in article.find_all("tr")
    ]
