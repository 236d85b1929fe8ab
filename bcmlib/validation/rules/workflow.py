"""The incident workflow can run: one trigger opens it, and every trigger has someone to fire it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule


@rule("WFL001", Severity.ERROR, blocking=True)
def trigger_nobody_may_fire(plan: Plan, today: date) -> Iterator[Hit]:
    """A trigger of the incident workflow names no duty and no role that may fire it."""
    workflow = plan.incident_workflow
    for index, transition in enumerate(workflow.transitions if workflow else []):
        if not transition.by and not transition.roles:
            yield Hit(
                f"workflow_transitions/{transition.id}",
                ("incident_workflow", "transitions", index),
                {"trigger": transition.id},
            )


@rule("WFL002", Severity.ERROR, blocking=True)
def no_single_opening(plan: Plan, today: date) -> Iterator[Hit]:
    """The incident workflow has not exactly one trigger that opens an incident from its initial state."""
    workflow = plan.incident_workflow
    if workflow is None:
        return
    openers = [t.id for t in workflow.transitions if t.effect == "open" and workflow.initial in t.source]
    misplaced = [
        t.id for t in workflow.transitions if t.effect == "open" and workflow.initial not in t.source
    ]
    if len(openers) != 1 or misplaced:
        yield Hit(
            "incident_workflow",
            ("incident_workflow", "initial"),
            {"initial": workflow.initial, "openers": ", ".join(openers + misplaced) or "—"},
        )
