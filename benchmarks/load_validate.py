"""Print load and validation time and peak memory for synthetic plans and for the company's plan.

Each size runs in its own process so that peak memory (max RSS) belongs to that size alone.
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

from bcmlib import load_plan, validate
from benchmarks.synthetic import write_synthetic_plan

SIZES = (100, 1_000, 10_000)
ROOT = Path(__file__).resolve().parent.parent


def measure(folder: Path) -> dict[str, float]:
    """Load and validate the plan in `folder` once; the best of three runs for each step."""
    loads, checks = [], []
    for _ in range(3):
        start = time.perf_counter()
        plan = load_plan(folder)
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        findings = validate(plan, today=date(2026, 11, 24))
        checks.append(time.perf_counter() - start)
    return {
        "load_s": min(loads),
        "validate_s": min(checks),
        "findings": len(findings),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": sum(path.stat().st_size for path in folder.glob("*.yaml")),
    }


def child(size: str) -> None:
    """Measure one plan and print the figures as JSON (run in a subprocess)."""
    if size == "company":
        print(json.dumps(measure(ROOT / "plan")))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(measure(write_synthetic_plan(int(size), Path(tmp)))))


def main(sizes: list[str]) -> None:
    """Run each size in a fresh interpreter and print one row per plan."""
    print(f"{'plan':>10} {'YAML':>9} {'load':>8} {'validate':>9} {'findings':>9} {'peak RSS':>9}")
    for size in ["company", *sizes]:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.load_validate", "--child", size],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout  # fmt: skip
        row = json.loads(out)
        print(
            f"{size:>10} {row['bytes'] / 1e6:>7.2f}MB {row['load_s']:>7.3f}s {row['validate_s']:>8.3f}s"
            f" {row['findings']:>9} {row['peak_rss_mb']:>7.0f}MB"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main(sys.argv[1:] or [str(size) for size in SIZES])
