"""What a person does first when the alarm goes, from every role they hold: the top of their runbook."""

from __future__ import annotations

from dataclasses import dataclass

from bcmlib.incident.levels import by_severity
from bcmlib.incident.recovery import RecoveryItem
from bcmlib.models import CallLink, ExternalReport, FlowStep, Person, Plan, Role, SafetyStep
from bcmlib.response.checklists import Scenario, Step
from bcmlib.response.duties import Action, actions

__all__ = ["Everyone", "FirstActions", "everyone", "first_actions"]


@dataclass(frozen=True)
class FirstActions:
    """Everything a person must do first, grouped as their runbook lists it."""

    safety: list[SafetyStep]
    """The plan's life-safety steps, which are everyone's."""
    calls: list[CallLink]
    """The call-tree links whose caller they are: as anyone who finds an event, or by a role they hold."""
    flow: list[FlowStep]
    """The steps of the incident flow their roles take, such as the activation decision."""
    steps: list[tuple[Scenario, Step]]
    """The scenario checklist steps their roles do, with the scenario each belongs to."""
    triggers: list[Action]
    """The triggers of the incident workflow their roles fire."""
    reports_out: list[ExternalReport]
    """The reports their roles owe outside the company (to an authority, say), whatever the scenario:
    a legal deadline does not wait for the event to match one of the plan's scenarios."""
    recovery: list[RecoveryItem]
    """The processes their roles own, in the handbook's recovery order."""

    def __bool__(self) -> bool:
        parts = (
            self.safety,
            self.calls,
            self.flow,
            self.steps,
            self.triggers,
            self.reports_out,
            self.recovery,
        )
        return any(parts)


@dataclass(frozen=True)
class Everyone:
    """What everyone's first actions are read from, indexed once for the whole plan.

    A person's first actions are then found by their roles, not by scanning every role, step and
    process for each person: with 1,000 people that scan made validation 30 times slower.
    """

    held: dict[str, list[Role]]
    """The roles each person holds first (as primary, or through a role that carries them), by person."""
    steps: dict[str, list[tuple[int, Scenario, Step]]]
    """The checklist steps each role does, with their place across all checklists, by role."""
    recovery: dict[str, list[tuple[int, RecoveryItem]]]
    """The processes each role owns, with their place in the recovery order, by role."""


def everyone(
    plan: Plan, order: list[RecoveryItem], checklists: list[tuple[Scenario, list[Step]]]
) -> Everyone:
    """The index of `plan`.

    `order` is every process in recovery order, and `checklists` is `every_checklist(plan)`.
    """
    held: dict[str, list[Role]] = {}
    for role in plan.roles:
        first = next(iter(plan.holders(role)), None)
        if first is not None:
            held.setdefault(first, []).append(role)
    steps: dict[str, list[tuple[int, Scenario, Step]]] = {}
    lines = [(scenario, step) for scenario, listed in checklists for step in listed]
    for place, (scenario, step) in enumerate(lines):
        if step.role is not None and step.kind in ("step", "report"):
            steps.setdefault(step.role.id, []).append((place, scenario, step))
    recovery: dict[str, list[tuple[int, RecoveryItem]]] = {}
    for place, item in enumerate(order):
        if item.kind == "process" and item.process.owner is not None:
            recovery.setdefault(item.process.owner, []).append((place, item))
    return Everyone(held, steps, recovery)


def first_actions(plan: Plan, person: Person, index: Everyone) -> FirstActions:
    """What `person` does first, from the plan's `index` (see `everyone`)."""
    held = index.held.get(person.id, [])
    ids = {role.id for role in held}
    links = plan.call_tree.links if plan.call_tree else []
    steps = sorted((line for role in ids for line in index.steps.get(role, [])), key=lambda line: line[0])
    owned = sorted((pair for role in ids for pair in index.recovery.get(role, [])), key=lambda pair: pair[0])
    triggers: dict[str, Action] = {}
    for role in held:
        for action in actions(plan, role):
            known = triggers.get(action.transition.id)
            # A trigger one role fires at every level and another at some is fired at every level.
            every = not action.levels or (known is not None and not known.levels)
            levels = [] if every else by_severity(plan, [*action.levels, *(known.levels if known else [])])
            triggers[action.transition.id] = Action(action.transition, levels)
    workflow = [t.id for t in plan.incident_workflow.transitions] if plan.incident_workflow else []
    return FirstActions(
        safety=plan.life_safety.steps if plan.life_safety else [],
        calls=[link for link in links if link.caller == "anyone" or link.caller in ids],
        flow=[step for step in plan.incident_flow if step.by in ids],
        steps=_first_of_each([(scenario, step) for _, scenario, step in steps]),
        triggers=sorted(triggers.values(), key=lambda action: workflow.index(action.transition.id)),
        reports_out=[duty for duty in plan.external_reports if duty.by in ids],
        recovery=[item for _, item in owned],
    )


def _first_of_each(steps: list[tuple[Scenario, Step]]) -> list[tuple[Scenario, Step]]:
    """Each step once, under the first scenario that has it: a level's report is in every checklist."""
    seen: set[int] = set()
    kept = []
    for scenario, step in steps:
        if id(step.subject) not in seen:
            seen.add(id(step.subject))
            kept.append((scenario, step))
    return kept
