"""Crisis levels, document control and risk treatment are complete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.incident.levels import MAX_LEVELS, MIN_LEVELS, spellings
from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule


@rule("CRS001", Severity.ERROR)
def no_reporting_deadline(plan: Plan, today: date) -> Iterator[Hit]:
    """A crisis level has no reporting deadline."""
    for index, level in enumerate(plan.crisis_levels):
        if level.report_within is None:
            yield Hit(
                f"crisis_levels/{level.id}", ("crisis_levels", index), {"level": level.id, "name": level.name}
            )


@rule("CRS002", Severity.ERROR)
def level_count(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan lists fewer than 2 or more than 5 crisis levels (none at all is a gap the coverage shows)."""
    levels = plan.crisis_levels
    if levels and not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        # At the first level too many, or at the list when there are too few.
        path = ("crisis_levels", MAX_LEVELS) if len(levels) > MAX_LEVELS else ("crisis_levels",)
        yield Hit(
            "crisis_levels",
            path,
            {
                "count": len(levels),
                "levels": [level.id for level in levels],
                "min": MIN_LEVELS,
                "max": MAX_LEVELS,
            },
        )


@rule("CRS003", Severity.ERROR)
def level_spelt_alike(plan: Plan, today: date) -> Iterator[Hit]:
    """Two crisis levels answer to the same text, so `--level` could not tell which is meant.

    Ⅲ and III are one level written two ways; a name may be another level's identifier; an identifier
    `1` on a level not listed first clashes with the first level's place.
    """
    seen: dict[str, str] = {}
    for index, level in enumerate(plan.crisis_levels):
        for spelling in sorted(spellings(level, index + 1)):
            other = seen.setdefault(spelling, level.id)
            if other != level.id:
                yield Hit(
                    f"crisis_levels/{level.id}",
                    ("crisis_levels", index),
                    {"level": level.id, "other": other, "text": spelling},
                )
                break


@rule("DOC001", Severity.ERROR)
def revisions_out_of_order(plan: Plan, today: date) -> Iterator[Hit]:
    """The revision history is not in date order, or repeats a version (`v3` and `V3` are one)."""
    revisions = plan.document.revisions
    seen: set[str] = set()
    for index, revision in enumerate(revisions):
        earlier = revisions[index - 1] if index else None
        # Each version is a folder of the published site, and a Windows share ignores case.
        folded = revision.version.casefold()
        if folded in seen or (earlier is not None and revision.date < earlier.date):
            yield Hit("document", ("document", "revisions", index), {"version": revision.version})
        seen.add(folded)


@rule("RSK001", Severity.WARNING)
def no_treatment(plan: Plan, today: date) -> Iterator[Hit]:
    """A risk scenario has no treatment chosen (avoid, transfer, reduce or accept)."""
    for index, scenario in enumerate(plan.risk_scenarios):
        if scenario.treatment is None:
            yield Hit(f"risk_scenarios/{scenario.id}", ("risk_scenarios", index), {"scenario": scenario.name})
