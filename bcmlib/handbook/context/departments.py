"""Each department's plan: its business impact analysis table and its recovery-plan table (seed 003's 程式).

Both tables come from the same processes as the processes page, in the same recovery order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bcmlib.analysis.impact import ImpactGrid
from bcmlib.handbook.context.impact import Swatch, impact
from bcmlib.handbook.context.shared import StepRow, handbook_order, recovery_steps
from bcmlib.models import Department, Plan, Process

__all__ = ["DepartmentPlans", "department_index", "department_page", "department_plans"]


@dataclass(frozen=True)
class DepartmentPlans:
    """What every department's page shares, computed once for all of them."""

    processes: dict[str | None, list[Process]]
    """The processes of each department in recovery order, by department id; None for those of none."""
    grids: dict[str, ImpactGrid | None]
    swatches: dict[str, Swatch]
    steps: dict[str, list[StepRow]]


def department_plans(plan: Plan) -> DepartmentPlans:
    """The processes by department, with their grids, colours and recovery steps."""
    processes: dict[str | None, list[Process]] = {}
    for item in handbook_order(plan):
        processes.setdefault(item.process.department, []).append(item.process)
    shared = impact(plan)
    return DepartmentPlans(processes, shared["grids"], shared["swatches"], recovery_steps(plan))


def department_index(plan: Plan) -> dict[str, Any]:
    """Each department with its processes, and the processes of no department."""
    plans = department_plans(plan)
    return {"by_department": plans.processes, "unassigned": plans.processes.get(None, [])}


def department_page(plan: Plan, department: Department, plans: DepartmentPlans) -> dict[str, Any]:
    """One department's page: its processes with their grids and recovery steps."""
    return {
        "department": department,
        "processes": plans.processes.get(department.id, []),
        "grids": plans.grids,
        "swatches": plans.swatches,
        "steps": plans.steps,
    }
