"""Nothing depends on the machine's clock: the suite pins the moment, and a crisis never stops on a date.

The machine's clock is faked with Debian's faketime (LD_PRELOAD), so the Python under test really reads
2027 or 2031 from the system, as it would on a machine left running for years.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.clock import AS_OF
from tests.conftest import NOW, PLAN_DIR, ROOT

LATER = ["2027-06-01 10:00:00", "2031-01-01 10:00:00"]


def _run(args: list[str], *, machine_day: str | None, pinned: bool) -> subprocess.CompletedProcess[str]:
    faketime = shutil.which("faketime")
    assert faketime is not None, "faketime is missing: `make test` installs Debian's faketime"
    # Not the pinned moment, nor a fake clock this suite may itself be running under (faketime pytest).
    dropped = (AS_OF, "LD_PRELOAD", "FAKETIME", "DONT_FAKE_MONOTONIC")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    if pinned:
        env[AS_OF] = NOW
    command = [sys.executable, *args]
    if machine_day is not None:
        command = [faketime, machine_day, *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("machine_day", LATER)
def test_a_pinned_moment_gives_the_same_answers_whatever_the_machine_clock(machine_day: str) -> None:
    args = ["-m", "bcmlib", "check", str(PLAN_DIR), "--format", "json"]
    today = _run(args, machine_day=None, pinned=True)
    later = _run(args, machine_day=machine_day, pinned=True)
    assert later.stdout == today.stdout
    probe = _run(
        ["-c", "import datetime; print(datetime.date.today())"], machine_day=machine_day, pinned=True
    )
    assert probe.stdout.strip() == machine_day[:10]  # the fake clock really is in force


@pytest.mark.parametrize("machine_day", LATER)
def test_a_machine_years_ahead_still_runs_an_incident_and_builds(machine_day: str, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    opened = _run(
        ["-m", "bcmlib", "incident", "open", "--level", "II", "--hit", "warehouse", "--log", str(log)],
        machine_day=machine_day,
        pinned=False,
    )
    assert opened.returncode == 0, opened.stderr
    assert "WAI001" in opened.stderr
    assert log.read_text(encoding="utf-8").count("\n") == 1
    built = _run(
        ["-c", "from pathlib import Path; from bcmlib import clock; from bcmlib.handbook.build import "
         f"prepare_handbook; prepare_handbook(Path({str(PLAN_DIR)!r}), clock.today())"],
        machine_day=machine_day,
        pinned=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    check = _run(["-m", "bcmlib", "check", str(PLAN_DIR)], machine_day=machine_day, pinned=False)
    assert check.returncode == 1  # bcm check still tells the maintainers the waivers ran out


def test_every_command_that_reads_the_clock_takes_as_of() -> None:
    plan = ("--plan", str(PLAN_DIR))
    result = CliRunner().invoke(cli, ["calendar", "--as-of", "2031-01-01T09:00+08:00", "-o", "-", *plan])
    assert result.exit_code == 0, result.stderr
    assert "DTSTART;VALUE=DATE:2031" in result.stdout
    for command in (["coverage"], ["recovery-order", "--hit", "warehouse"], ["who-is-in-charge"]):
        result = CliRunner().invoke(cli, [*command, "--as-of", "2031-01-01T09:00+08:00", *plan])
        assert result.exit_code == 0, result.stderr
        assert "WAI001" in result.stderr  # the waivers have run out by then, and the command still runs
