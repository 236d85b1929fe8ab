"""Keeping the plan in order: KPIs, forms and their retention, training, and the incident flow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field

from bcmlib.models.base import FormId, Id, PersonId, PlanModel, RefTo, RoleId
from bcmlib.models.values import Duration, Retention

__all__ = ["Course", "CourseId", "FlowStep", "Form", "Kpi", "Training", "TrainingRecord", "Waiver"]

CourseId = Annotated[str, RefTo("courses")]
KpiFormula = Literal[
    "rto-achievement", "backup-completeness", "backup-training", "drill-completion", "document-sync"
]


class Kpi(PlanModel):
    """A key performance indicator of the continuity programme."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    target: float = Field(ge=0, le=100)
    """The target, in percent."""
    measure: str
    """How it is measured, in words."""
    formula: KpiFormula | None = None
    """Which of the library's computations gives its value from the plan's records; unset, none does."""


class Form(PlanModel):
    """A form or record and how long it is kept (表单)."""

    id: Id
    """How the plan refers to it."""
    number: str
    """The form number, such as `QEF-19-01`."""
    name: str
    """Its name."""
    retention: Retention
    """How long a filled-in form is kept."""


class Course(PlanModel):
    """A training course and its length."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    hours: Duration
    """Its length, such as `4h`."""


class TrainingRecord(PlanModel):
    """A course a person has completed (recorded on QEF-19-04)."""

    person: PersonId
    """Who took it."""
    course: CourseId
    """Which course."""
    date: date
    """When it was completed."""


class Training(PlanModel):
    """The training programme (培训); its total length is computed from the courses, never typed."""

    courses: list[Course] = []
    """The courses, in the order they are taken."""
    backup_course: CourseId | None = None
    """The course every backup person must have done (备援人技能交叉培训)."""
    records: list[TrainingRecord] = []
    """Who completed which course, and when."""

    @property
    def total(self) -> timedelta:
        """The length of all courses together."""
        return sum((course.hours for course in self.courses), timedelta(0))


class FlowStep(PlanModel):
    """A step of the incident flow (实际事件处置)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What happens."""
    by: RoleId | None = None
    """The role that acts, where the flow names one; its backups act in its place."""
    note: str | None = None
    """Anything else the step says."""
    forms: list[FormId] = []
    """The forms filled in at this step."""


class Waiver(PlanModel):
    """An accepted gap: a validator finding that is known, explained, and accepted until a date."""

    rule: str
    """The code of the rule, such as `ROL002`."""
    item: str
    """The plan item the finding is about, as the finding names it, such as `roles/it-recovery`."""
    reason: str
    """Why the gap is accepted, and what closes it."""
    accepted_by: PersonId
    """Who accepted it."""
    until: date
    """The last day the waiver holds; after it the finding is an error again."""
