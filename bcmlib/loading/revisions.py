"""Read an earlier version of a plan: from a folder, or from a git revision of the plan's folder."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from bcmlib.loading.loader import read_plan
from bcmlib.loading.problems import Problem
from bcmlib.models import Plan

__all__ = ["RevisionError", "is_git_revision", "read_plan_at"]


class RevisionError(Exception):
    """The plan version asked for is neither a folder nor a git revision of the plan folder."""


def read_plan_at(version: str, plan_dir: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan `version` names: a plan folder or file, else a git revision (tag, commit) of `plan_dir`.

    A revision is read from git's history into a temporary folder, so the working tree is not touched;
    the problems name files in that folder.
    """
    if Path(version).exists():
        return read_plan(Path(version))
    if not is_git_revision(version, plan_dir):
        raise RevisionError(f"{version} is neither a plan folder nor a git revision of {plan_dir}")
    # Run in the plan's folder, git archives that folder's files with paths relative to it.
    folder, member = (plan_dir, ".") if plan_dir.is_dir() else (plan_dir.parent, plan_dir.name)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", version, member], cwd=folder, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="bcm-plan-") as copy:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(copy, filter="data")
        return read_plan(Path(copy) / member)


def is_git_revision(version: str, plan_dir: Path) -> bool:
    """Whether `version` names a commit in the git repository that holds `plan_dir`."""
    folder = plan_dir if plan_dir.is_dir() else plan_dir.parent
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{version}^{{commit}}"],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError):  # no git, or no such folder
        return False
    return found.returncode == 0
