"""What the register pages need beyond the plan: organisation, processes, flow, risks, systems, drills."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from markupsafe import Markup

from bcmlib.handbook.context.impact import impact
from bcmlib.handbook.context.preparedness import matrix
from bcmlib.handbook.context.shared import handbook_order, recovery_steps
from bcmlib.incident.diagram import workflow_svg
from bcmlib.models import Plan, RiskScenario, Role
from bcmlib.response.calls import holders_now
from bcmlib.validation.rules.exercises import kind_due, rotation_period, scenario_due

__all__ = [
    "exercises",
    "governance",
    "incident_flow",
    "organisation",
    "people_index",
    "processes",
    "risks",
    "systems",
]


def organisation(plan: Plan) -> dict[str, Any]:
    """Every role with its chain of holders, by the table it belongs to."""
    groups: dict[str, list[tuple[Role, list[str]]]] = {}
    for role in plan.roles:
        groups.setdefault(role.group, []).append((role, [person.name for person in holders_now(plan, role)]))
    width = max((len(names) for rows in groups.values() for _, names in rows), default=1)
    return {"groups": groups, "backups": max(width - 1, 1)}


def people_index(plan: Plan) -> dict[str, Any]:
    """Each person with the roles they hold first."""
    held: dict[str, list[Role]] = {person.id: [] for person in plan.people}
    for role in plan.roles:
        first = next(iter(plan.holders(role)), None)
        if first in held:
            held[first].append(role)
    return {"held": held}


def processes(plan: Plan) -> dict[str, Any]:
    """The processes in recovery order, with each one's recovery steps and impact over time."""
    return {"order": handbook_order(plan), "steps": recovery_steps(plan), **impact(plan)}


def incident_flow(plan: Plan) -> dict[str, Any]:
    """The workflow's diagram and its triggers with who may fire them."""
    if plan.incident_workflow is None:
        return {"diagram": None, "workflow": None}
    # The diagram is already safe: Graphviz writes plan text into the SVG as escaped text, and labels are
    # passed as plain text, never as Graphviz's HTML-like labels.
    return {"diagram": Markup(workflow_svg(plan)), "workflow": plan.incident_workflow}


_BANDS = (("yearly", 1.0), ("decade", 10.0), ("generation", 30.0), ("rare", float("inf")))
"""Frequency bands of the heat map, by the upper end of a scenario's return period in years."""


def risks(plan: Plan) -> dict[str, Any]:
    """The heat map (scenarios by level and by how often they are expected) and the risk matrix."""
    heat: dict[str, dict[str, list[RiskScenario]]] = {
        level: {band: [] for band, _ in _BANDS} for level in ("high", "medium", "low")
    }
    for scenario in plan.risk_scenarios:
        years = scenario.frequency.high / timedelta(days=365)
        band = next(name for name, limit in _BANDS if years <= limit)
        heat[scenario.level][band].append(scenario)
    return {"bands": [band for band, _ in _BANDS], "heat": heat, **matrix(plan)}


def systems(plan: Plan) -> dict[str, Any]:
    """Each data set with its 3-2-1 counts, and the process whose RPO its backups must keep up with."""
    return {
        "backups": [
            {
                "data": data,
                "copies": len(data.copies),
                "media": data.media,
                "offsite": data.offsite,
                "passes": data.meets_three_two_one,
                "rpo_process": plan.strictest_rpo(data),
            }
            for data in plan.data_backups
        ]
    }


def exercises(plan: Plan) -> dict[str, Any]:
    """The next due date of each exercise type and each drill scenario."""
    period = rotation_period(plan)
    return {
        "kinds": [{"kind": kind, "due": kind_due(plan, kind)} for kind in plan.exercises.kinds],
        "scenarios": [
            {"scenario": s, "due": scenario_due(plan, s, period) if period else None}
            for s in plan.exercises.scenarios
        ],
        "rotation_days": period.days if period else None,
    }


def governance(plan: Plan) -> dict[str, Any]:
    """The training total in hours."""
    return {"training_hours": round(plan.training.total / timedelta(hours=1), 1)}
