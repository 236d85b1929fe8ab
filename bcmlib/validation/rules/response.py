"""What people do first: life safety, the call tree, each level's examples and each scenario's checklist.

These are the gaps a person meets in the first minute of a crisis, so each is a readiness finding that
the dashboard lists first. None is filled in for the plan: a scenario the procedures leave thin is
reported here, never given invented steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.models import Plan
from bcmlib.response.checklists import every_checklist, thin
from bcmlib.response.first_actions import everyone, first_actions
from bcmlib.validation.findings import Hit, Severity, rule


@rule("LIF001", Severity.ERROR, readiness="8.4.4")
def no_emergency_services(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan names no emergency service to call: the first thing anyone needs in a fire."""
    if plan.life_safety is None or not plan.life_safety.services:
        yield Hit("life_safety", ("life_safety",) if plan.life_safety else ())


@rule("LIF002", Severity.WARNING, readiness="8.4.4")
def no_assembly_point(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan does not say where people gather after they leave the building."""
    if plan.life_safety is not None and plan.life_safety.assembly_point is None:
        yield Hit("life_safety", ("life_safety",))


@rule("CAL001", Severity.WARNING, readiness="8.4.3")
def no_call_tree(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan does not say whom the person who finds an event calls first."""
    links = plan.call_tree.links if plan.call_tree else []
    if not any(link.caller == "anyone" for link in links):
        yield Hit("call_tree", ("call_tree",) if plan.call_tree else ())


@rule("DOC003", Severity.WARNING, readiness="7.5")
def no_handbook_address(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan does not say where the handbook is when the intranet is down: the wallet card's last line."""
    if not plan.document.handbook_address:
        yield Hit("document", ("document",))


@rule("LVL001", Severity.WARNING, readiness="8.4.2")
def level_without_examples(plan: Plan, today: date) -> Iterator[Hit]:
    """A crisis level gives only its definition: no concrete event to tell it from the others by."""
    for index, level in enumerate(plan.crisis_levels):
        if not level.examples:
            yield Hit(f"crisis_levels/{level.id}", ("crisis_levels", index), {"level": level.name})


@rule("SCN001", Severity.WARNING, readiness="8.4.4")
def thin_scenario(plan: Plan, today: date) -> Iterator[Hit]:
    """A scenario whose checklist holds nothing beyond whom to call and report to."""
    risks = {risk.id: index for index, risk in enumerate(plan.risk_scenarios)}
    drills = {drill.id: index for index, drill in enumerate(plan.exercises.scenarios)}
    for scenario, steps in every_checklist(plan):
        if not thin(steps):
            continue
        if scenario.drill is not None:
            drill = scenario.drill.id
            yield Hit(
                f"drill_scenarios/{drill}",
                ("exercises", "scenarios", drills[drill]),
                {"scenario": scenario.name},
            )
        elif scenario.risk is not None:
            risk = scenario.risk.id
            yield Hit(f"risk_scenarios/{risk}", ("risk_scenarios", risks[risk]), {"scenario": scenario.name})


@rule("RUN001", Severity.WARNING, readiness="8.4.4")
def runbook_without_first_action(plan: Plan, today: date) -> Iterator[Hit]:
    """A person whose runbook would open with nothing to do."""
    # Owning a process is a first action (its recovery), whatever the process's place in the recovery
    # order: the order itself, the slowest part of the runbook (1.4 s for 10,000 processes), is left out.
    owners = {process.owner for process in plan.collections["processes"].values()}
    index = everyone(plan, [], every_checklist(plan))
    for place, person in enumerate(plan.people):
        owns = any(role.id in owners for role in index.held.get(person.id, []))
        if not owns and not first_actions(plan, person, index):
            yield Hit(f"people/{person.id}", ("people", place), {"person": person.name})
