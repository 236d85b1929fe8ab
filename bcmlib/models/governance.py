"""Keeping the plan in order: KPIs, forms and their retention, training, and the incident flow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from bcmlib.models.base import FormId, Id, PersonId, PlanModel, RefTo, RoleId
from bcmlib.models.values import Duration, Retention

__all__ = [
    "Course",
    "CourseId",
    "FlowStep",
    "Form",
    "Kpi",
    "KpiRecord",
    "Training",
    "TrainingRecord",
    "Waiver",
]

CourseId = Annotated[str, RefTo("courses")]
KpiFormula = Literal[
    "rto-achievement", "backup-completeness", "backup-training", "drill-completion", "document-sync"
]


class KpiRecord(PlanModel):
    """A KPI's value as measured on a day, for an indicator none of the library's formulas computes."""

    on: date
    """The day it was measured."""
    value: float = Field(ge=0, le=100)
    """The value, in percent like the target."""
    note: str | None = None
    """How it was measured, or what it counted."""


class Kpi(PlanModel):
    """A key performance indicator: computed from the plan's records by a formula, or recorded by hand."""

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
    records: list[KpiRecord] = []
    """Values measured by hand, oldest first, for a KPI without a formula; the latest one counts."""

    @model_validator(mode="after")
    def _computed_or_recorded(self) -> Self:
        if self.formula is not None and self.records:
            raise PydanticCustomError(
                "kpi_source", "give a formula or records, not both: a computed value is never typed in"
            )
        return self


class Form(PlanModel):
    """A form or record and how long it is kept (表单)."""

    id: Id
    """How the plan refers to it."""
    number: str
    """The form number, such as `BCM-F-01`."""
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
    """A course a person has completed (recorded on the training-record form)."""

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
    """The course every backup person must have done (cross-training in the roles they back up)."""
    records: list[TrainingRecord] = []
    """Who completed which course, and when."""
    record_form: FormId | None = None
    """The form a completed course is recorded on."""

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
    """An accepted gap: a validator finding that is known, explained, and accepted.

    Most gaps are accepted until a date, after which the finding is an error again. A risk the company
    accepts for good (ISO 22301 §8.3.4 lets it accept a risk) is `permanent`, with a date by which the
    acceptance is reviewed; a review left overdue is reported, while the finding stays accepted.
    """

    rule: str
    """The code of the rule, such as `ROL002`."""
    item: str
    """The plan item the finding is about, as the finding names it, such as `roles/it-recovery`."""
    reason: str
    """Why the gap is accepted, and what closes it."""
    accepted_by: PersonId
    """Who accepted it."""
    until: date | None = None
    """The last day the waiver holds; after it the finding is an error again. Not for a permanent one."""
    permanent: bool = False
    """True for a risk accepted for good: it has no `until`, and a `review_by` instead."""
    review_by: date | None = None
    """For a permanent acceptance, the day by which it is reviewed; each review moves it on."""

    @model_validator(mode="after")
    def _expires_or_reviewed(self) -> Self:
        if self.permanent and (self.until is not None or self.review_by is None):
            raise PydanticCustomError(
                "waiver_permanent", "a permanent waiver gives review_by (when it is next reviewed), no until"
            )
        if not self.permanent and (self.until is None or self.review_by is not None):
            raise PydanticCustomError(
                "waiver_until",
                "give until (the last day the waiver holds), or permanent: true with review_by",
            )
        return self

    @property
    def term(self) -> date:
        """The day the waiver comes up again: the last day it holds, or the day it is to be reviewed."""
        term = self.until or self.review_by
        assert term is not None  # one of them is required, by _expires_or_reviewed
        return term

    @property
    def standing(self) -> tuple[bool, date]:
        """Whether it is permanent, and its term: waivers that read the same on a page share it."""
        return self.permanent, self.term

    def holds(self, today: date) -> bool:
        """Whether it still accepts its finding on `today`: a permanent one always does."""
        return self.permanent or self.term >= today
