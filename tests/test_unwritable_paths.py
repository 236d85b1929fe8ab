"""A file or folder a command cannot write: it names the path and the system's reason, and exits 1.

Never "internal error", never a traceback, never a wait for ever: an output path inside a file (no folder
can be made there, whoever runs the test, root included) stands for a share that is not mounted, a
folder without permission or a full disk.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _bcm(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bcmlib", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=300)


def _opened_log(folder: Path) -> Path:
    log = folder / "drill.jsonl"
    opened = _bcm("incident", "open", "--log", str(log), "--level", "II", "--drill", "--by", "王婧")
    assert opened.returncode == 0, opened.stderr
    return log


COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "schema": lambda out, _: ["schema", "-o", str(out / "plan.schema.json")],
    "calendar": lambda out, _: ["calendar", "-o", str(out / "drills.ics")],
    "render": lambda out, _: ["render", "--out", str(out)],
    "publish": lambda out, _: ["publish", "--to", str(out / "share"), "--no-deploy"],
    "incident status": lambda out, folder: [
        "incident",
        "status",
        "--log",
        str(_opened_log(folder)),
        "--format",
        "html",
        "-o",
        str(out / "s.html"),
    ],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_path_that_cannot_be_written_is_named_with_the_reason(name: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "out"
    result = _bcm(*COMMANDS[name](out, tmp_path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("bcm: ")
    assert str(tmp_path / "a-file") in result.stderr
    assert "Not a directory" in result.stderr  # the system's reason
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"
