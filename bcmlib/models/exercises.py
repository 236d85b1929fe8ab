"""The exercise programme, its rotating scenarios, and the records of drills and incidents."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from bcmlib.models.base import FormId, Id, PersonId, PlanModel, ProcessId, RefTo, RiskScenarioId, RoleId
from bcmlib.models.continuity import Dependencies
from bcmlib.models.crisis import ChecklistStep
from bcmlib.models.values import Duration, Period

__all__ = [
    "ActionItem",
    "AfterActionReview",
    "DrillScenario",
    "ExerciseKind",
    "ExerciseProgramme",
    "ExerciseRecord",
    "ProcessResult",
]

ExerciseKindId = Annotated[str, RefTo("exercise_kinds")]
DrillScenarioId = Annotated[str, RefTo("drill_scenarios")]


class ExerciseKind(PlanModel):
    """A type of exercise and how often it is held, such as a tabletop exercise once every 6 months."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 桌上演练."""
    every: Period
    """The period the count applies to."""
    min_times: int = Field(default=1, ge=1, le=1000)
    """How many are held at least in each period."""
    max_times: int | None = Field(default=None, ge=1, le=1000)
    """How many are held at most in each period, where the plan gives a range."""
    announced: bool = True
    """False for exercises held without notice."""

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.max_times is not None and self.max_times < self.min_times:
            raise PydanticCustomError("times_range", "max_times is smaller than min_times")
        return self


class DrillScenario(PlanModel):
    """A scenario the drills rotate through (演练情境)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What is simulated."""
    risk: RiskScenarioId | None = None
    """The risk scenario it rehearses."""
    hits: Dependencies = Dependencies()
    """What it strikes, when narrower than its risk scenario (a fire in the warehouse, not any site)."""
    checklist: list[ChecklistStep] = []
    """What to do beyond its risk scenario's checklist."""


class ProcessResult(PlanModel):
    """How one process recovered in an exercise or incident, against its targets."""

    process: ProcessId
    """The process."""
    rto_actual: Duration | None = None
    """How long it took to run again."""
    rpo_actual: Duration | None = None
    """How much data was lost."""
    restored: bool = True
    """False when the incident or drill ended without the process running again: a miss for the KPI."""


class ActionItem(PlanModel):
    """An improvement to make, with its owner and due date."""

    text: str
    """What to do."""
    owner: PersonId
    """Who does it."""
    due: date
    """By when."""
    done: bool = False
    """Whether it is done."""


class AfterActionReview(PlanModel):
    """The review after an exercise or incident (后置评估)."""

    results: list[ProcessResult] = []
    """Each process's recovery time and data loss, actual against target."""
    coordination: str | None = None
    """How smoothly people worked together (协调流畅度)."""
    backup_availability: str | None = None
    """Whether the backups were there when needed (备援机制可用性)."""
    findings: list[str] = []
    """What was learnt."""
    actions: list[ActionItem] = []
    """What will be improved (改进项目)."""


class ExerciseRecord(PlanModel):
    """A drill or real incident that happened, and its review (演练记录)."""

    id: Id
    """How the plan refers to it."""
    date: date
    """The day it took place."""
    kind: ExerciseKindId | None = None
    """The type of exercise; empty for a real incident."""
    scenario: DrillScenarioId | None = None
    """The drill scenario rehearsed."""
    risk: RiskScenarioId | None = None
    """The risk scenario that happened, for a real incident."""
    drill: bool = True
    """False for a real incident."""
    participants: list[PersonId] = []
    """Who took part."""
    review: AfterActionReview | None = None
    """The after-action review."""


class ExerciseProgramme(PlanModel):
    """How the plan is exercised: the types, the rotating scenarios, the review, and the records."""

    kinds: list[ExerciseKind] = []
    """Exercise types and their frequency (演练频率)."""
    scenarios: list[DrillScenario] = []
    """Scenarios that the drills take in turn (演练情境，轮替)."""
    review_criteria: list[str] = []
    """What every after-action review assesses (演练评估)."""
    owner: RoleId | None = None
    """The role that runs the programme."""
    record_form: FormId | None = None
    """The form an exercise is recorded on."""
    records: list[ExerciseRecord] = []
    """Drills and incidents that took place."""
