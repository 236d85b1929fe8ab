"""What each role must do in an incident: its duties at each crisis level, and the triggers it fires."""

from __future__ import annotations

from dataclasses import dataclass

from bcmlib.incident.authority import DUTY_FIELDS, decider_role
from bcmlib.incident.levels import by_severity
from bcmlib.models import CrisisLevel, Plan, Role, WorkflowTransition

__all__ = ["Action", "Duty", "actions", "duties"]


@dataclass(frozen=True)
class Duty:
    """A crisis level at which a role has a duty, and the report it owes then, if any."""

    level: CrisisLevel
    duty: str
    """The duty: confirmer, commander, report-to or decider."""
    report_to: Role | None
    """Whom the role reports to at this level, when it confirms the crisis."""


@dataclass(frozen=True)
class Action:
    """A trigger of the incident workflow the role may fire, and at which levels (all when empty)."""

    transition: WorkflowTransition
    levels: list[str]


def duties(plan: Plan, role: Role) -> list[Duty]:
    """The role's duties at each crisis level, most severe level first as the plan lists them."""
    found = []
    for level in plan.crisis_levels:
        for duty, field in DUTY_FIELDS.items():
            holder = decider_role(level) if duty == "decider" else getattr(level, field)
            if holder == role.id:
                report_to = plan.role(level.report_to) if duty == "confirmer" and level.report_to else None
                found.append(Duty(level, duty, report_to))
    return found


def actions(plan: Plan, role: Role) -> list[Action]:
    """The triggers that move an incident (and the report) the role may fire, by name or by a duty."""
    workflow = plan.incident_workflow
    held = duties(plan, role)
    found = []
    steps = [t for t in workflow.transitions if t.dest or t.effect == "report"] if workflow else []
    for transition in steps:
        levels = by_severity(plan, (d.level.id for d in held if d.duty in transition.by))
        if role.id in transition.roles:
            found.append(Action(transition, []))
        elif levels:
            found.append(Action(transition, levels))
    return found
