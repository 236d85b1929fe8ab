"""Which clauses of ISO 22301 the plan answers, computed from the plan's data.

The clauses and the plan data that answers each are data (`bcmlib/data/iso22301.yaml`); a clause whose
data is all empty is a gap, one with some of it empty is partly covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from bcmlib.models import Plan

__all__ = ["Clause", "Coverage", "coverage"]


class Coverage(StrEnum):
    """How far the plan answers a clause."""

    COVERED = "covered"
    PARTIAL = "partial"
    GAP = "gap"


@dataclass(frozen=True)
class Clause:
    """A clause, the plan data that answers it, and how many values each entry has (0: none)."""

    clause: str
    answers: dict[str, int]

    @property
    def status(self) -> Coverage:
        """Covered when every entry has data, a gap when none has."""
        found = [count > 0 for count in self.answers.values()]
        return Coverage.COVERED if all(found) else Coverage.PARTIAL if any(found) else Coverage.GAP

    @property
    def missing(self) -> list[str]:
        """The entries with no data."""
        return [path for path, count in self.answers.items() if not count]


@cache
def _clauses() -> list[dict[str, Any]]:
    text = resources.files("bcmlib").joinpath("data/iso22301.yaml").read_text(encoding="utf-8")
    clauses: list[dict[str, Any]] = yaml.safe_load(text)
    return clauses


def coverage(plan: Plan) -> list[Clause]:
    """Each clause with the number of values the plan holds for each of its entries."""
    data = plan.model_dump(exclude_defaults=True)
    return [
        Clause(entry["clause"], {path: _count(data, path) for path in entry["answers"]})
        for entry in _clauses()
    ]


def _count(data: Any, path: str) -> int:
    """How many values `path` reaches, lists counted by item: `a.b` is a field, `a[]` each item of a list."""
    values = [data]
    for step in path.split("."):
        name, each = step.removesuffix("[]"), step.endswith("[]")
        values = [value.get(name) for value in values if isinstance(value, dict)]
        if each:
            values = [item for value in values if isinstance(value, list) for item in value]
    return sum(
        len(value) if isinstance(value, list) else 1 for value in values if value not in (None, "", {})
    )
