"""What each page's template needs beyond the plan itself, computed here so templates only lay it out."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from bcmlib.incident.recovery import recovery_order
from bcmlib.incident.workflow import workflow_diagram
from bcmlib.models import Plan, Role

__all__ = ["home", "incident_flow", "organisation", "processes"]


def home(plan: Plan) -> dict[str, Any]:
    """The current revision of the plan."""
    return {"revision": plan.document.revisions[-1] if plan.document.revisions else None}


def chain(plan: Plan, role: Role) -> list[str]:
    """The names of the people who hold `role`, primary first."""
    return [plan.person(person).name for person in plan.holders(role) if person in plan.collections["people"]]


def organisation(plan: Plan) -> dict[str, Any]:
    """Every role with its chain of holders, by the table it belongs to."""
    groups: dict[str, list[tuple[Role, list[str]]]] = {}
    for role in plan.roles:
        groups.setdefault(role.group, []).append((role, chain(plan, role)))
    width = max((len(names) for rows in groups.values() for _, names in rows), default=1)
    return {"groups": groups, "backups": max(width - 1, 1)}


def processes(plan: Plan) -> dict[str, Any]:
    """The processes in recovery order."""
    return {"order": recovery_order(plan, [process.id for process in plan.processes], None)}


def incident_flow(plan: Plan) -> dict[str, Any]:
    """The workflow's diagram and its triggers with who may fire them."""
    if plan.incident_workflow is None:
        return {"diagram": None, "workflow": None}
    # The diagram is already safe: workflow_diagram turns every character of plan text with a meaning in
    # Mermaid or HTML into an entity code.
    return {"diagram": Markup(workflow_diagram(plan)), "workflow": plan.incident_workflow}
