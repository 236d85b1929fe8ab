"""What a person does first when the alarm goes, from every role they hold: the top of their runbook."""

from __future__ import annotations

from dataclasses import dataclass

from bcmlib.incident.levels import LEVELS
from bcmlib.incident.recovery import RecoveryItem
from bcmlib.models import CallLink, FlowStep, Person, Plan, Role, SafetyStep
from bcmlib.response.checklists import Scenario, Step
from bcmlib.response.duties import Action, actions

__all__ = ["FirstActions", "first_actions", "roles_held"]


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
    recovery: list[RecoveryItem]
    """The processes their roles own, in the handbook's recovery order."""

    def __bool__(self) -> bool:
        return any((self.safety, self.calls, self.flow, self.steps, self.triggers, self.recovery))


def roles_held(plan: Plan, person: Person) -> list[Role]:
    """The roles `person` holds first (as primary, or through a role that carries them)."""
    return [role for role in plan.roles if next(iter(plan.holders(role)), None) == person.id]


def first_actions(
    plan: Plan,
    person: Person,
    order: list[RecoveryItem],
    checklists: list[tuple[Scenario, list[Step]]],
) -> FirstActions:
    """What `person` does first.

    `order` is every process in recovery order and `checklists` is `every_checklist(plan)`: the caller
    computes them once for everyone, not once per person.
    """
    held = roles_held(plan, person)
    ids = {role.id for role in held}
    links = plan.call_tree.links if plan.call_tree else []
    steps = [
        (scenario, step)
        for scenario, steps in checklists
        for step in steps
        if step.role is not None and step.role.id in ids and step.kind in ("step", "report")
    ]
    triggers: dict[str, Action] = {}
    for role in held:
        for action in actions(plan, role):
            known = triggers.get(action.transition.id)
            # A trigger one role fires at every level and another at some is fired at every level.
            every = not action.levels or (known is not None and not known.levels)
            levels = (
                [] if every else sorted({*action.levels, *(known.levels if known else [])}, key=LEVELS.index)
            )
            triggers[action.transition.id] = Action(action.transition, levels)
    workflow = [t.id for t in plan.incident_workflow.transitions] if plan.incident_workflow else []
    return FirstActions(
        safety=plan.life_safety.steps if plan.life_safety else [],
        calls=[link for link in links if link.caller == "anyone" or link.caller in ids],
        flow=[step for step in plan.incident_flow if step.by in ids],
        steps=_first_of_each(steps),
        triggers=sorted(triggers.values(), key=lambda action: workflow.index(action.transition.id)),
        recovery=[item for item in order if item.kind == "process" and item.process.owner in ids],
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
