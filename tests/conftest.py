"""Shared fixtures: the company's plan, and a small clean plan that tests mutate."""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bcmlib import Plan, load_plan
from bcmlib.clock import AS_OF
from bcmlib.handbook.printing import PDF_CACHE_ENV
from tests.browser import browser, offline
from tests.handbook_site import add_steps_and_phones, build, copy_project

__all__ = ["browser", "offline"]  # fixtures shared with every test module

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "plan"
TODAY = date(2026, 11, 24)
NOW = "2026-12-01T12:00:00+08:00"
"""The moment the whole suite runs at, whatever the machine's clock says; subprocesses inherit it."""
os.environ[AS_OF] = NOW
# PDFs printed by the suite are kept in a cache of its own, removed when it ends: a run never reads a PDF
# an earlier run (or the user's own builds) printed, and leaves none in the user's cache folder.
_PDF_CACHE = tempfile.mkdtemp(prefix="bcm-test-pdf-")
os.environ[PDF_CACHE_ENV] = _PDF_CACHE
atexit.register(shutil.rmtree, _PDF_CACHE, ignore_errors=True)

_PEOPLE = ["ann", "bob", "cy", "dee"]
MINIMAL: dict[str, Any] = {
    "document": {
        "number": "SOP-T",
        "title": "测试程序",
        "purpose": "p",
        "scope": "s",
        "revisions": [{"version": "v1", "date": "2026-01-01", "summary": "首版"}],
        "handbook_address": r"\\nas\bcm\handbook\index.html",
    },
    "people": [
        {
            "id": person,
            "name": person.title(),
            "kind": "staff",
            "contacts": [{"channel": "mobile", "value": f"138 0000 000{number}", "personal": True}],
        }
        for number, person in enumerate(_PEOPLE)
    ],
    "roles": [
        {
            "id": f"role-{index}",
            "name": f"角色{index}",
            "group": "key-position",
            "primary": person,
            "backups": [_PEOPLE[(index + 1) % len(_PEOPLE)]],
            "duties": ["做事"],
        }
        for index, person in enumerate(_PEOPLE)
    ],
    "life_safety": {
        "services": [{"name": "火警", "number": "119"}],
        "steps": [{"do": "先撤离"}],
        "assembly_point": "门口",
    },
    "call_tree": {"no_answer_after": "5m", "links": [{"caller": "anyone", "calls": ["role-0"]}]},
    "priority_classes": [{"id": "safety", "name": "人员安全"}],
    "departments": [{"id": "ops", "name": "运营部", "head": "role-0"}],
    "impact_scale": [{"id": "low", "name": "低"}, {"id": "high", "name": "高"}],
    "impact_categories": [
        {"id": "revenue", "name": "收入", "description": "营收损失", "intolerable_from": "high"}
    ],
    "processes": [
        {
            "id": "ship",
            "name": "出货",
            "impact": "营收损失",
            "rto": "24h",
            "rpo": "4h",
            "mao": "48h",
            "fallback": "备援仓",
            "priority": "safety",
            "owner": "role-0",
            "department": "ops",
            # Intolerable from 48h on: the MTPD the analysis derives is the typed MAO.
            "bia": {
                "impacts": [
                    {
                        "category": "revenue",
                        "over_time": [{"after": "24h", "rating": "low"}, {"after": "48h", "rating": "high"}],
                    }
                ]
            },
            "mbco": {"level": "半数订单"},
        }
    ],
}


@pytest.fixture(scope="session")
def company_plan() -> Plan:
    return load_plan(PLAN_DIR)


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """A fresh copy of the small clean plan, to change in one place."""
    return copy.deepcopy(MINIMAL)


WritePlan = Callable[[dict[str, Any]], Path]


@pytest.fixture
def write_plan(tmp_path: Path) -> WritePlan:
    """Write plan data as one YAML file and return its path."""

    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company's handbook, built once by MkDocs as `make handbook` builds it."""
    folder = tmp_path_factory.mktemp("site")
    result = build(ROOT, folder)
    assert result.returncode == 0, result.stderr
    return folder


REPO_URL = "https://git.example.com/acme/bcm"
"""The repository address the handbook built by `stepped_site` links its edit pages to."""


@pytest.fixture(scope="session")
def stepped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook of a copy of the plan with invented recovery steps and phone numbers, built with a
    repository address."""
    project = copy_project(tmp_path_factory.mktemp("stepped") / "project", add_steps_and_phones)
    folder = project.parent / "site"
    result = build(project, folder, BCM_REPO_URL=REPO_URL)
    assert result.returncode == 0, result.stderr
    return folder
