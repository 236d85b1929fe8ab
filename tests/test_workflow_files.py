"""The files another repository copies to run the plan-change workflow: they run what exists."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from bcmlib.cli import cli
from bcmlib.handbook.engines import DEFAULT_ENGINE, ENGINES
from tests.conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
SCAFFOLD = ROOT / "bcmlib" / "data" / "scaffold" / "common"
# The CI workflows `bcm init` writes into a plan repository (as .github/workflows/ and .gitlab-ci.yml).
WORKFLOWS = [SCAFFOLD / "dot-github" / "workflows" / "handbook.yml", SCAFFOLD / "dot-gitlab-ci.yml"]


def test_the_pre_commit_hook_checks_the_plan_when_a_plan_file_changes(tmp_path: Path) -> None:
    (hook,) = HOOKS
    assert hook["id"] == "bcm-check"
    assert re.search(hook["files"], "plan/roles.yaml")
    assert not re.search(hook["files"], "docs/editing-the-plan.md")
    # pre-commit runs `entry` with `args` from the repository's root.
    command = [sys.executable, "-m", "bcmlib", *hook["entry"].split()[1:], *hook["args"]]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, check=False).returncode == 0
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "roles.yaml").write_text("roles: [\n", encoding="utf-8")
    assert subprocess.run(command, cwd=tmp_path, capture_output=True, check=False).returncode == 1


def _commands(node: Any) -> list[str]:
    """Every shell line of a CI file: GitHub's `run` steps, GitLab's `script` and `before_script`."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key == "run":
                found.append(value)
            elif key in {"script", "before_script"}:
                found += value
            else:
                found += _commands(value)
        return found
    if isinstance(node, list):
        return [line for item in node for line in _commands(item)]
    return []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_each_ci_example_runs_bcm_commands_that_exist_and_nothing_of_this_repository(workflow: Path) -> None:
    # A plan repository has no Makefile, no pyproject.toml and no npm: only the installed tool.
    commands = _commands(yaml.safe_load(workflow.read_text(encoding="utf-8")))
    assert not [line for line in commands if re.search(r"\b(make|npm)\b", line)]
    assert any("pip install" in line for line in commands)
    used_commands = {name for line in commands for name in re.findall(r"\bbcm (\w+)", line)}
    assert {"check", "build", "publish"} <= used_commands
    # Every command bcm has, as its help lists them (the group imports a command only to run it).
    assert used_commands <= set(cli.list_commands(click.Context(cli)))
    settings = set(re.findall(r"\bBCM_\w+", workflow.read_text(encoding="utf-8")))
    config = (SCAFFOLD / "mkdocs.yml.j2").read_text(encoding="utf-8")
    assert settings <= set(re.findall(r"\bBCM_\w+", config))


SUCCESSORS = [engine for engine in ENGINES if engine != DEFAULT_ENGINE]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_each_ci_example_builds_with_every_successor_engine_without_blocking(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    if "jobs" in data:  # GitHub Actions: a matrix job that may fail
        job = data["jobs"]["successors"]
        assert job["continue-on-error"] is True
        assert job["strategy"]["fail-fast"] is False
        engines, variable = job["strategy"]["matrix"]["engine"], "${{ matrix.engine }}"
    else:  # GitLab CI: parallel jobs allowed to fail
        job = data["successors"]
        assert job["allow_failure"] is True
        (matrix,) = job["parallel"]["matrix"]
        engines, variable = matrix["ENGINE"], "$ENGINE"
    assert engines == SUCCESSORS
    commands = _commands(job)
    assert f"bcm build --engine {variable}" in commands
    # It installs the successors, which the tool offers as its `engines` extra.
    assert any('pip install "$SUCCESSORS_PACKAGE"' in line for line in commands)
    package = data["env" if "jobs" in data else "variables"]["SUCCESSORS_PACKAGE"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert set(re.findall(r"\[(.*)\]", package)[0].split(",")) == {"handbook", "engines"} <= set(extras)
