"""Print what an incident log costs: each fsynced append, resuming (read and replay) a long log, and the
status a commander asks for, against the floor of parsing the same lines as plain JSON.

A drill has tens of records and a long real incident a few hundred; the sizes go well past both.
Run: .venv/bin/python -m benchmarks.incident_log [RECORDS ...]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bcmlib import load_plan
from bcmlib.incident import Attempt, logged_incident, read_incident

SIZES = (100, 1_000, 10_000)
ROOT = Path(__file__).resolve().parent.parent


def measure(records: int, folder: Path) -> tuple[float, float, float, float, int]:
    """Append `records` records one by one; return the mean append, the JSON floor, the resume and status
    times, and the log size."""
    plan = load_plan(ROOT / "plan")
    log = folder / "incident.jsonl"
    at = datetime(2026, 11, 24, 9, tzinfo=timezone(timedelta(hours=8)))
    start = time.perf_counter()
    with logged_incident(plan, log) as logged:
        incident = logged.incident
        incident.fire(Attempt("alert", "wang-jing", at, level="II"))
        incident.fire(Attempt("assess", "robert", at))
        for second in range(records - 2):
            incident.fire(Attempt("report", "robert", at + timedelta(seconds=second), note="情况更新"))
    append = (time.perf_counter() - start) / records
    start = time.perf_counter()
    for line in log.read_bytes().splitlines():
        json.loads(line)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    resumed = read_incident(plan, log).incident
    resume = time.perf_counter() - start
    start = time.perf_counter()
    resumed.status(at + timedelta(seconds=records))
    return append, floor, resume, time.perf_counter() - start, log.stat().st_size


def main(sizes: list[int]) -> None:
    """Print one row per log size."""
    heads = ("records", "log size", "append (fsync)", "JSON floor", "resume", "status")
    widths = (8, 9, 15, 11, 8, 8)
    print(" ".join(f"{head:>{width}}" for head, width in zip(heads, widths, strict=True)))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            append, floor, resume, status, size_bytes = measure(size, Path(tmp))
        print(
            f"{size:>8,} {size_bytes / 1024:>7.0f} kB {append * 1000:>12.2f} ms {floor:>10.3f}s"
            f" {resume:>7.3f}s {status:>7.3f}s"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
