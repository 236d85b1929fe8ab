"""Crisis levels, crisis management before, during and after a crisis, and what everyone does first.

What everyone does first: keep people safe (life safety), call the people in charge (the call tree), and
follow the scenario's checklist.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bcmlib.models.base import LevelId, PlanModel, RoleId
from bcmlib.models.values import Duration

__all__ = [
    "SERVICE_NUMBER_PATTERN",
    "CallLink",
    "CallTree",
    "ChecklistStep",
    "CrisisLevel",
    "CrisisPhase",
    "CrisisSection",
    "EmergencyService",
    "LifeSafety",
    "SafetyStep",
]


class CrisisLevel(PlanModel):
    """A crisis level: what it is, who confirms it, whom they report to and by when, and who commands."""

    id: LevelId
    """The level as the plan's procedures write it, such as `Ⅰ`, `I`, `红` or `1`: the plan lists its levels
    from the most severe to the least, and that order is what raising and lowering the level follow.
    People may type a level by its identifier or name, with 级 or `level`, by its place in the list (1 is
    the most severe), and a Roman numeral either way (Ⅲ, III, iii)."""
    name: str
    """The level's name, such as 特别重大危机 or 红色预警."""
    definition: str
    """How to recognise a crisis of this level."""
    confirmed_by: RoleId
    """The role that gathers the facts and confirms the nature of the crisis."""
    report_to: RoleId | None = None
    """The role the confirmed crisis is reported to."""
    report_within: Duration | None = None
    """The deadline for that report, counted from where `report_clock` says."""
    report_clock: Literal["alert", "confirmation"] = "alert"
    """Where the deadline counts from: the alert that opened the incident (or the move to this level), or
    the confirmation of the crisis (the trigger whose effect is `confirm`). A move to this level later in
    an incident is itself a confirmation, so its clock starts at the move either way."""
    examples: list[str] = []
    """Concrete events of this level, so a person can tell which level they are in."""
    commander: RoleId
    """The role that commands the response (总指挥)."""
    decided_by: RoleId | None = None
    """The role that takes the decisions (to stand down, lower the level, close), where it differs from the
    commander; unset, the commander decides."""


class CrisisSection(PlanModel):
    """A numbered part of crisis management with its steps."""

    ref: str
    """The clause number in the source procedure, such as `4.5.2`."""
    title: str
    """The part's title."""
    steps: list[str]
    """What to do, one step per item."""


class CrisisPhase(PlanModel):
    """Crisis management before, during or after a crisis (危机前、中、后的管理)."""

    id: Literal["before", "during", "after"]
    """Which phase."""
    name: str
    """The phase's name."""
    sections: list[CrisisSection]
    """Its parts, in order."""


SERVICE_NUMBER_PATTERN = r"^\+?[0-9][0-9 -]*$"


class EmergencyService(PlanModel):
    """A public emergency number, such as 119 for fire: a fact of the country, not a company's choice."""

    name: str
    """What it is for, such as 火警."""
    number: str = Field(pattern=SERVICE_NUMBER_PATTERN, max_length=20)
    """The number to dial, digits only (spaces and dashes allowed)."""


class SafetyStep(PlanModel):
    """One thing everyone does for people's safety before anything else."""

    do: str
    """The step, in the imperative."""
    source: str | None = None
    """Where the plan's procedures say it."""


class LifeSafety(PlanModel):
    """What everyone does first, before a crisis level is judged: people come before business."""

    services: list[EmergencyService] = []
    """The emergency services to call, in the order the home page shows them."""
    steps: list[SafetyStep] = []
    """The company's own safety steps, in order."""
    assembly_point: str | None = None
    """Where people gather after evacuating; unset, the validator reports the gap."""


class CallLink(PlanModel):
    """Who calls whom when something happens: the caller's role, or anyone who finds the event."""

    caller: RoleId | Literal["anyone"]
    """The role whose holder makes the calls; `anyone` for whoever finds the event."""
    calls: list[RoleId] = Field(min_length=1)
    """The roles to call, in order; each role's holders are tried primary first."""
    source: str | None = None
    """Where the plan's procedures say it."""


class CallTree(PlanModel):
    """The call tree: who calls whom, and how long to wait for an answer before calling the next."""

    no_answer_after: Duration
    """How long to let a call go unanswered before calling the role's next holder."""
    links: list[CallLink] = Field(min_length=1)
    """Who calls whom, in the order the calls are made."""


class ChecklistStep(PlanModel):
    """One step of a scenario's checklist: what to do, who does it, and by when."""

    do: str
    """The step, in the imperative."""
    by: RoleId | None = None
    """The role that does it."""
    within: Duration | None = None
    """How long after the event it must be done; unset where the plan's procedures give no time."""
    source: str | None = None
    """Where the plan's procedures say it."""
