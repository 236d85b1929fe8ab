"""The incident workflow as data: its states, and the triggers that move an incident between them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bcmlib.models.base import Id, PlanModel, RefTo, RoleId

__all__ = ["Duty", "Effect", "IncidentWorkflow", "Requirement", "WorkflowState", "WorkflowTransition"]

FlowStepId = Annotated[str, RefTo("incident_flow")]
WorkflowStateId = Annotated[str, RefTo("workflow_states")]

Duty = Literal["anyone", "confirmer", "commander", "report-to", "decider", "process-owner"]
"""Who may fire a trigger, by their duty in the incident.

`confirmer`, `commander`, `report-to` and `decider` are the roles the current crisis level names
(`confirmed_by`, `commander`, `report_to`, `decided_by`, or the commander where the level names no
decider); `process-owner` is the owner role of each process
the trigger names; `anyone` is anybody in the plan.
"""

Requirement = Literal["note", "reported", "all-restored"]
"""A precondition of a trigger.

`note`: a note says why. `reported`: every report owed so far (to each level's `report_to`) is logged.
`all-restored`: every process hit is restored.
"""

Effect = Literal["open", "confirm", "report", "raise-level", "lower-level", "hit", "restore-process"]
"""What a trigger records besides moving the incident.

`open` starts the incident with its level and scenario; `confirm` is the confirmation of the crisis, where
a level's `report_clock` may start; `report` is the report to the level's `report_to`;
`raise-level` and `lower-level` move one level up or down the plan's `crisis_levels` (listed from the most
severe); `hit` adds processes (or the sites, systems and suppliers they depend on) the incident
interrupts; `restore-process` marks them running again.
"""


class WorkflowState(PlanModel):
    """A state an incident can be in."""

    id: Id
    """How the workflow refers to it."""
    name: str
    """Its name as the handbook shows it."""
    steps: list[FlowStepId] = []
    """The steps of the incident flow carried out in this state."""
    final: bool = False
    """True when an incident in this state is over."""


class WorkflowTransition(PlanModel):
    """A trigger: from which states, to which state, who may fire it, and what must hold first."""

    id: Id
    """The trigger's name, as staff type it."""
    name: str
    """What it does, as the handbook shows it."""
    source: list[WorkflowStateId] = Field(min_length=1)
    """The states it may be fired from."""
    dest: WorkflowStateId | None = None
    """The state it leads to; empty when the incident stays where it is."""
    by: list[Duty] = []
    """Who may fire it, by duty in the incident."""
    roles: list[RoleId] = []
    """Roles whose holders may also fire it, whatever the level."""
    requires: list[Requirement] = []
    """What must hold before it fires."""
    effect: Effect | None = None
    """What it records besides the move."""


class IncidentWorkflow(PlanModel):
    """How an incident or drill moves from the first warning to closure (ISO 22301 §8.4.4)."""

    initial: WorkflowStateId
    """The state before anything happens."""
    states: list[WorkflowState] = Field(min_length=2)
    """Every state, in the order the handbook lists them."""
    transitions: list[WorkflowTransition] = Field(min_length=1)
    """Every trigger."""
