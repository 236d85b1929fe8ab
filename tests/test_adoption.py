"""A second company adopts the tool: a wheel of this tree in a fresh venv, `bcm init`, and nothing else.

The wheel is installed into a new virtual environment without its dependencies; those come from this
project's .venv through a `.pth` line. Python reads a `.pth` file only in a site folder, so the
editable install's own `.pth` in .venv is not run and `bcmlib` can only come from the wheel. Every
command then runs in the new plan repository, with nothing of this repository on the path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.handbook.engines import DEFAULT_ENGINE, ENGINES
from tests.conftest import ROOT
from tests.handbook_site import ZENSICAL_ENV


@dataclass(frozen=True)
class Adopted:
    """The fresh environment, the plan repository `bcm init` wrote, and what its first build did."""

    venv: Path
    wheel: Path
    repository: Path
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]

    def run(self, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        """A command of the fresh environment, in the plan repository unless `cwd` says otherwise."""
        return _run([str(self.venv / "bin" / args[0]), *args[1:]], cwd or self.repository, self.venv, env)


def _run(
    command: list[str], cwd: Path, venv: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # Only the fresh environment's tools on PATH, and no setting of this run that would reach the plan.
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "VIRTUAL_ENV"} and not name.startswith("BCM_")
    }
    # Except the suite's own PDF cache (conftest), which no plan reads: not the user's cache folder.
    if "BCM_PDF_CACHE" in os.environ:
        clean["BCM_PDF_CACHE"] = os.environ["BCM_PDF_CACHE"]
    path = os.pathsep.join([str(venv / "bin"), clean.get("PATH", "")])
    return subprocess.run(
        command,
        cwd=cwd,
        env={**clean, "PATH": path, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def _wheel(folder: Path) -> Path:
    """A wheel of this tree, built from a copy (a build/ folder left in the tree could leak into it)."""
    source = folder / "source"
    source.mkdir()
    shutil.copytree(ROOT / "bcmlib", source / "bcmlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = folder.glob("bcm_handbook-*.whl")
    return wheel


def _venv(folder: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed, and this project's .venv's packages for its dependencies."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    target = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(target) / "bcm-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True)
    # A handbook is built by running mkdocs as a command: pip would have written its script installing
    # the dependencies, which come through the .pth line here, so it is written as pip would.
    for script in entry_points(group="console_scripts"):
        if script.name == "mkdocs":
            module, _, function = script.value.partition(":")
            path = venv / "bin" / script.name
            lines = [f"#!{venv / 'bin' / 'python'}", "import sys", f"from {module} import {function}"]
            path.write_text("\n".join([*lines, f"sys.exit({function}())", ""]), encoding="utf-8")
            path.chmod(0o755)
    return venv


def _ci_commands(workflow: Path, job: str) -> list[str]:
    """The `bcm` lines of one job of the GitHub Actions workflow `bcm init` wrote."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]
    return [step["run"] for step in steps if str(step.get("run", "")).startswith("bcm ")]


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    folder = tmp_path_factory.mktemp("adoption")
    wheel = _wheel(folder)
    venv = _venv(folder, wheel)
    repository = folder / "acme-bcm"
    init = _run([str(venv / "bin" / "bcm"), "init", str(repository)], folder, venv)
    assert init.returncode == 0, init.stderr
    # The CI example's own commands, as its handbook job runs them: the check, then the build.
    check, build = (
        _run(line.split(), repository, venv)
        for line in _ci_commands(repository / ".github" / "workflows" / "handbook.yml", "handbook")
    )
    return Adopted(venv, wheel, repository, check, build)


def test_the_wheel_holds_every_file_of_the_package(adopted: Adopted) -> None:
    # Templates, theme, scaffold, the shim's licence: whatever package data pyproject.toml leaves out,
    # an installed tool lacks.
    source = adopted.wheel.parent / "source"
    files = {path.relative_to(source).as_posix() for path in (source / "bcmlib").rglob("*") if path.is_file()}
    with zipfile.ZipFile(adopted.wheel) as wheel:
        assert files <= set(wheel.namelist())


def test_the_tool_runs_from_the_wheel_in_the_fresh_venv(adopted: Adopted) -> None:
    found = adopted.run("python", "-c", "import bcmlib; print(bcmlib.__file__)")
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(adopted.venv)


def test_init_writes_a_plan_repository_with_nothing_to_copy(adopted: Adopted) -> None:
    written = {path.relative_to(adopted.repository).as_posix() for path in adopted.repository.rglob("*")}
    for name in (
        "plan/document.yaml",
        "plan/plan.schema.json",
        "pages/.gitkeep",
        "hooks/handbook.py",
        "mkdocs.yml",
        ".pre-commit-config.yaml",
        ".github/workflows/handbook.yml",
        ".gitlab-ci.yml",
        "README.md",
    ):
        assert name in written
    hook = (adopted.repository / "hooks" / "handbook.py").read_text(encoding="utf-8")
    assert [line for line in hook.splitlines() if line and not line.startswith('"""')] == [
        "from bcmlib.handbook.mkdocs_hook import *  # noqa: F403"
    ]
    assert "mkdocstrings" not in (adopted.repository / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_writes_the_same_site_settings_as_this_repository(adopted: Adopted) -> None:
    class Tagged(yaml.SafeLoader):
        """Reads mkdocs.yml's !ENV and Python tags as plain data, to compare them."""

    Tagged.add_multi_constructor("", lambda loader, tag, node: (tag, repr(node.value)))
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Tagged)
    theirs = yaml.load((adopted.repository / "mkdocs.yml").read_text(encoding="utf-8"), Tagged)
    # This repository lists its own pages in nav; a new repository has none yet.
    assert {key: value for key, value in ours.items() if key != "nav"} == theirs


def test_init_refuses_a_folder_that_holds_anything(adopted: Adopted) -> None:
    before = (adopted.repository / "plan" / "people.yaml").read_bytes()
    refused = adopted.run("bcm", "init", ".")
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    forced = adopted.run("bcm", "init", ".", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "plan/people.yaml" in forced.stdout
    assert (adopted.repository / "plan" / "people.yaml").read_bytes() == before


def test_the_pre_commit_hook_checks_the_plan(adopted: Adopted) -> None:
    config = yaml.safe_load((adopted.repository / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ((hook,),) = [repo["hooks"] for repo in config["repos"]]
    assert re.search(hook["files"], "plan/people.yaml")
    assert adopted.run(*hook["entry"].split()).returncode == 0
    broken = adopted.repository / "plan" / "broken.yaml"
    broken.write_text("roles: [\n", encoding="utf-8")
    try:
        assert adopted.run(*hook["entry"].split()).returncode == 1
    finally:
        broken.unlink()


def test_check_passes_and_names_every_placeholder_left(adopted: Adopted) -> None:
    assert adopted.check.returncode == 0, adopted.check.stdout + adopted.check.stderr
    assert _placeholders(adopted.repository / "plan", "待填写") == _reported(adopted.check.stdout)


def _placeholders(plan: Path, marker: str) -> set[tuple[str, int]]:
    """Each line of the plan's files with the placeholder marker outside a comment, as (file, line)."""
    found = {
        (f"plan/{path.name}", number)
        for path in plan.glob("*.yaml")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marker in line.split("#")[0]
    }
    assert found
    return found


def _reported(output: str) -> set[tuple[str, int]]:
    """The (file, line) of each PLH001 finding in `bcm check`'s output."""
    return {
        (path, int(line)) for path, line in re.findall(r"^(plan/\S+\.yaml):(\d+):\d+: PLH001 ", output, re.M)
    }


def test_an_english_plan_repository_checks_clean_and_names_its_placeholders(
    adopted: Adopted, tmp_path: Path
) -> None:
    written = adopted.run("bcm", "init", "--lang", "en", "english", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    checked = adopted.run("bcm", "check", "--lang", "en", "plan", cwd=tmp_path / "english")
    assert checked.returncode == 0, checked.stdout
    assert "README.md" in written.stdout
    assert _placeholders(tmp_path / "english" / "plan", "TODO") == _reported(checked.stdout)


def test_build_makes_the_site_and_its_pdfs_from_the_package_alone(adopted: Adopted) -> None:
    assert adopted.build.returncode == 0, adopted.build.stderr
    site = adopted.repository / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    for served in (
        "assets/stylesheets/bcm-handbook.css",
        "assets/stylesheets/bcm-print.css",
        "assets/javascripts/bcm-tables.js",
        "assets/vendor/iframe-worker/shim.js",
    ):
        assert (site / served).is_file()
        assert f'"{served}"' in index
    assert "MIT" in (site / "assets" / "vendor" / "iframe-worker" / "LICENSE").read_text(encoding="utf-8")
    search: dict[str, Any] = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("总指挥" in entry["text"] for entry in search["docs"])
    for pdf in ("handbook.pdf", "handbook-admin.pdf"):
        assert (site / pdf).read_bytes().startswith(b"%PDF")


def test_build_takes_a_plan_outside_the_config_folder(adopted: Adopted, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(adopted.repository / "plan", elsewhere)
    people = elsewhere / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("待填写：BCM 总指挥的姓名", "总指挥甲"), encoding="utf-8"
    )
    config = tmp_path / "config"
    config.mkdir()
    for name in ("mkdocs.yml", "hooks", "pages"):
        source = adopted.repository / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, config / name)
    built = adopted.run("bcm", "build", "--no-pdf", "--plan", "../elsewhere", "--site-dir", "out", cwd=config)
    assert built.returncode == 0, built.stderr
    assert "总指挥甲" in (config / "out" / "organisation.html").read_text(encoding="utf-8")
    # The placeholders left are findings; the page names their files by folder, not by the build
    # machine's layout, and links no edit page outside the repository.
    health = (config / "out" / "plan-health.html").read_text(encoding="utf-8")
    assert "elsewhere/people.yaml:" in health
    assert "../elsewhere" not in health
    assert str(tmp_path) not in health
    missing = adopted.run("bcm", "build", "--plan", "../nowhere", cwd=config)
    assert missing.returncode == 2
    assert "../nowhere" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize("engine", [engine for engine in ENGINES if engine != DEFAULT_ENGINE])
def test_the_ci_example_builds_the_handbook_with_each_successor(
    adopted: Adopted, engine: str, tmp_path: Path
) -> None:
    repository = tmp_path / "repository"
    shutil.copytree(adopted.repository, repository, ignore=shutil.ignore_patterns("site"))
    # The successors job's own commands, as its matrix runs them for this engine.
    (line,) = _ci_commands(repository / ".github" / "workflows" / "handbook.yml", "successors")
    built = adopted.run(*line.replace("${{ matrix.engine }}", engine).split(), cwd=repository, **ZENSICAL_ENV)
    assert built.returncode == 0, built.stderr
    site = repository / "site"
    assert "总指挥" in (site / "organisation.html").read_text(encoding="utf-8")
    for pdf in ("handbook.pdf", "handbook-admin.pdf"):
        assert (site / pdf).read_bytes().startswith(b"%PDF")


def test_publish_puts_the_version_on_the_share(adopted: Adopted, tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    shutil.copytree(adopted.repository, repository, ignore=shutil.ignore_patterns("site"))
    for command in (
        ["init", "--quiet", "-b", "main"],
        ["config", "user.name", "Coordinator"],
        ["config", "user.email", "coordinator@example.com"],
        ["add", "."],
        ["commit", "--quiet", "-m", "Plan A0"],
    ):
        subprocess.run(["git", *command], cwd=repository, check=True)
    share = tmp_path / "share"
    published = adopted.run("bcm", "publish", "--to", str(share), cwd=repository, BCM_PDF="false")
    assert published.returncode == 0, published.stderr
    versions = json.loads((share / "versions.json").read_text(encoding="utf-8"))
    assert [entry["version"] for entry in versions] == ["A0"]
    assert (share / "A0" / "index.html").is_file()
    assert (share / "latest" / "assets" / "vendor" / "iframe-worker" / "shim.js").is_file()


def test_init_says_which_file_it_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "plan").write_text("a file where the plan folder goes\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", "--force", "--lang", "en", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Cannot write {tmp_path / 'plan'}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
