"""Print how long `bcm` takes to start, against the interpreter's own start measured in the same run.

Each command runs in a fresh process, in turns (one run of each, then the next round), so the load of a
shared machine falls on all of them alike; the best of the rounds is printed, and the median beside it,
and the least CPU time (user and system) of the rounds, which that load disturbs less.
Floors: `python -c pass` (the interpreter) and `python -c "import click"` (the least a click command
imports). `bcm who-is-in-charge` runs on the company's plan, as a responder runs it: its time is the
plan loaded and validated as well as the imports, so the row `import bcmlib.models` beside it shows
what building the plan's pydantic models alone costs, which every command that reads a plan pays.

The tool's own bytecode is cached in a private folder first, as an installed tool has it compiled; with
--no-bytecode-cache every run compiles its sources, as when PYTHONDONTWRITEBYTECODE is set on a source
checkout.
Run: .venv/bin/python -m benchmarks.cli_start [--rounds N] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BCM = [str(Path(sys.executable).with_name("bcm"))]  # the installed command, as users start it
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "bcm --help": [*_BCM, "--help"],
    "bcm who-is-in-charge --help": [*_BCM, "who-is-in-charge", "--help"],
    "import bcmlib.models": [sys.executable, "-c", "import bcmlib.models"],
    "bcm who-is-in-charge": [*_BCM, "who-is-in-charge", "--plan", str(ROOT / "plan")],
}
FLOOR = "python -c 'import click'"


def _seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user and system) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(rounds: int, bytecode_cache: bool) -> None:
    """Print one row per command: best and median seconds, and the best over the floor's best."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as cache:
        if bytecode_cache:
            env["PYTHONPYCACHEPREFIX"] = cache
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        for command in COMMANDS.values():
            _seconds(command, env)  # warms the disk cache, and the bytecode cache if kept
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
        for _ in range(rounds):
            for name, command in COMMANDS.items():
                times[name].append(_seconds(command, env))
    floor = min(wall for wall, _ in times[FLOOR])
    floor_cpu = min(cpu for _, cpu in times[FLOOR])
    print(f"{'command':<30} {'best':>7} {'median':>7} {'vs click':>9} {'CPU':>7} {'vs click':>9}")
    for name, runs in times.items():
        best = min(wall for wall, _ in runs)
        cpu = min(cpu for _, cpu in runs)
        median = statistics.median(wall for wall, _ in runs)
        print(f"{name:<30} {best:>6.3f}s {median:>6.3f}s {best / floor:>8.2f}x", end=" ")
        print(f"{cpu:>6.3f}s {cpu / floor_cpu:>8.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", dest="bytecode_cache", action="store_false")
    options = parser.parse_args()
    main(options.rounds, options.bytecode_cache)
