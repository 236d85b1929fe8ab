"""Print load and validation time and peak memory for the company's plan and synthetic plans of 100,
1,000 and 10,000 items, each against its floor: PyYAML parsing the same files with libyaml
(`yaml.load(..., Loader=yaml.CSafeLoader)`), timed and measured in the same run.

Target (issue 16): a 10,000-item plan loaded and validated in at most 1 s and 150 MB peak RSS.

Each measurement runs in its own interpreter, so that peak memory (max RSS) belongs to it alone; times
are the best of three runs, since the machine is shared. The floor builds plain values only: no
positions, no checks, no models; the loader adds those, the validator every rule.
Run: .venv/bin/python -m benchmarks.load_validate [SIZE ...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from benchmarks.synthetic import write_synthetic_plan

SIZES = (100, 1_000, 10_000)
ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def _peak_rss_mb() -> float:
    """This interpreter's peak RSS in MB.

    Linux's VmHWM, where there is one: a child's ru_maxrss starts at its parent's peak, and the parent
    has just built the synthetic plans.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path) -> dict[str, float]:
    """Load and validate the plan in `folder`; the best of three runs for each step."""
    # Imported here: the floor is measured in an interpreter without the library.
    from bcmlib import load_plan, validate  # noqa: PLC0415

    loads, checks = [], []
    findings = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        plan = load_plan(folder)
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        findings = len(validate(plan, today=date(2026, 11, 24)))
        checks.append(time.perf_counter() - start)
        del plan  # so that the next run's plan is not built beside this one
    return {"load_s": min(loads), "validate_s": min(checks), "findings": findings, "rss_mb": _peak_rss_mb()}


def floor(folder: Path) -> dict[str, float]:
    """Parse the same files with PyYAML and libyaml, into plain values; the best of three runs."""
    files = sorted(folder.glob("*.yaml"))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        values = [yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader) for file in files]
        times.append(time.perf_counter() - start)
        del values
    return {"parse_s": min(times), "rss_mb": _peak_rss_mb()}


def _run(mode: str, folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_validate", mode, str(folder)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    row: dict[str, Any] = json.loads(out)
    return row


def main(sizes: list[str]) -> None:
    """Write the synthetic plans, measure each plan and its floor in fresh interpreters, print a row each."""
    print("target: 10,000 items loaded and validated in <= 1 s and <= 150 MB peak RSS")
    print(
        f"{'plan':>8} {'YAML':>8} {'floor':>7} {'load':>7} {'validate':>8} {'total':>7} {'x floor':>7}"
        f" {'findings':>8} {'RSS':>6} {'floor RSS':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        plans = [("company", ROOT / "plan")]
        plans += [(size, write_synthetic_plan(int(size), Path(tmp) / size)) for size in sizes]
        for name, folder in plans:
            base, row = _run("--floor", folder), _run("--child", folder)
            total = row["load_s"] + row["validate_s"]
            size_mb = sum(path.stat().st_size for path in folder.glob("*.yaml")) / 1e6
            print(
                f"{name:>8} {size_mb:>6.2f}MB {base['parse_s']:>6.3f}s {row['load_s']:>6.3f}s"
                f" {row['validate_s']:>7.3f}s {total:>6.3f}s {total / base['parse_s']:>6.2f}x"
                f" {row['findings']:>8} {row['rss_mb']:>4.0f}MB {base['rss_mb']:>7.0f}MB"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(Path(sys.argv[2]))))
    elif sys.argv[1:2] == ["--floor"]:
        print(json.dumps(floor(Path(sys.argv[2]))))
    else:
        main(sys.argv[1:] or [str(size) for size in SIZES])
