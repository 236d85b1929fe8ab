"""Crisis levels, and the steps of crisis management before, during and after a crisis."""

from __future__ import annotations

from typing import Literal

from bcmlib.models.base import PlanModel, RoleId
from bcmlib.models.values import Duration

__all__ = ["CrisisLevel", "CrisisPhase", "CrisisSection"]


class CrisisLevel(PlanModel):
    """A crisis level: what it is, who confirms it, whom they report to and by when, and who commands."""

    id: Literal["I", "II", "III"]
    """The level: I is the most severe."""
    name: str
    """The level's name, such as 特别重大危机."""
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
