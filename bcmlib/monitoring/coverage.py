"""Which clauses of ISO 22301 the plan answers, computed from the plan's data.

The clauses and the plan data that answers each are data (`bcmlib/data/iso22301.yaml`); a clause whose
data is all empty is a gap, one with some of it empty is partly covered. Data present is not enough: a
clause is also only partly covered while a readiness finding on its subject stands (a rule registered
with `readiness=<clause>`), waived or not: a commander without a phone leaves 8.4.3 unmet even when a
waiver says the number is kept elsewhere, since in a crisis the handbook still does not hold it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from bcmlib.models import Plan
from bcmlib.validation.findings import RULES, Report
from bcmlib.validation.validator import validate

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
    unready: dict[str, int] = field(default_factory=dict)
    """The readiness rules with findings on this clause's subject, by code, with how many findings."""

    @property
    def status(self) -> Coverage:
        """Covered when every entry has data and no readiness finding stands, a gap when no entry has data."""
        found = [count > 0 for count in self.answers.values()]
        if not any(found):
            return Coverage.GAP
        return Coverage.COVERED if all(found) and not self.unready else Coverage.PARTIAL

    @property
    def missing(self) -> list[str]:
        """The entries with no data, then the readiness rules that stand, as `CON002 ×8`."""
        empty = [path for path, count in self.answers.items() if not count]
        return [*empty, *(f"{code} ×{count}" for code, count in self.unready.items())]


@cache
def _clauses() -> list[dict[str, Any]]:
    text = resources.files("bcmlib").joinpath("data/iso22301.yaml").read_text(encoding="utf-8")
    clauses: list[dict[str, Any]] = yaml.safe_load(text)
    return clauses


def coverage(plan: Plan, report: Report | None = None) -> list[Clause]:
    """Each clause with the number of values the plan holds for each of its entries.

    Args:
        plan: The plan to rate.
        report: The validator's report on `plan`, whose readiness findings (waived ones too) keep
            their clause partial; without one the plan is validated here, as of `bcmlib.clock.today()`.

    Raises:
        ValueError: A readiness rule names a clause the clause list does not have, so it would
            never lower any rating.
    """
    data = plan.model_dump(exclude_defaults=True)
    clauses = {entry["clause"]: entry for entry in _clauses()}
    # Checked for every rule, not only those with findings, so a mistyped clause fails on a clean plan.
    for code, registered in RULES.items():
        if registered.readiness is not None and registered.readiness not in clauses:
            msg = f"rule {code} names ISO 22301 clause {registered.readiness}, which data/iso22301.yaml lacks"
            raise ValueError(msg)
    unready: dict[str, Counter[str]] = {clause: Counter() for clause in clauses}
    for finding in (report if report is not None else validate(plan)).readiness:
        unready[str(RULES[finding.code].readiness)][finding.code] += 1
    return [
        Clause(
            clause,
            {path: _count(data, path) for path in entry["answers"]},
            dict(sorted(unready[clause].items())),
        )
        for clause, entry in clauses.items()
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
