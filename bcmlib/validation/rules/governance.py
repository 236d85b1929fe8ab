"""Crisis levels, document control and risk treatment are complete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

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
