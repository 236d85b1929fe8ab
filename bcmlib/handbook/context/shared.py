"""What several pages share: who holds a role now, and the one recovery order with each process's steps."""

from __future__ import annotations

from dataclasses import dataclass

from bcmlib.analysis.items import every_item
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.models import Person, Plan, RecoveryStep, Role
from bcmlib.response.calls import holders_now

__all__ = ["StepRow", "handbook_order", "recovery_steps"]


@dataclass(frozen=True)
class StepRow:
    """A row of a process's recovery-plan table, with who does it now."""

    step: RecoveryStep
    role: Role | None
    holder: Person | None
    """The role's primary holder now; None when the role is vacant or the step names no role."""


def recovery_steps(plan: Plan) -> dict[str, list[StepRow]]:
    """Each process's recovery steps in the plan's order, by process id, each with its role's holder."""
    rows: dict[str, list[StepRow]] = {}
    for process in plan.processes:
        for step in process.recovery_steps:
            role = plan.role(step.role) if step.role else None
            holder = next(iter(holders_now(plan, role)), None) if role else None
            rows.setdefault(process.id, []).append(StepRow(step, role, holder))
    return rows


def handbook_order(plan: Plan) -> list[RecoveryItem]:
    """Every process in recovery order, without deadlines: the one order every page of the handbook uses."""
    return recovery_order(plan, every_item(plan, ["process"]), None)
