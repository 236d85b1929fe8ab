"""Risk: categories of crisis, treatments, causes of disruption, impact categories and scenarios."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bcmlib.models.base import Id, PersonId, PlanModel, RiskCategoryId
from bcmlib.models.continuity import Dependencies
from bcmlib.models.crisis import ChecklistStep
from bcmlib.models.values import Duration, Period, ReturnPeriod

__all__ = [
    "Control",
    "DecisionChain",
    "DisruptionCause",
    "EmergencyAccess",
    "ImpactCategory",
    "Measure",
    "Response",
    "RiskCategory",
    "RiskScenario",
    "RiskSubtype",
    "RiskTreatment",
    "Treatment",
]

Treatment = Literal["avoid", "transfer", "reduce", "accept"]
Rating = Literal["high", "medium", "low"]


class RiskSubtype(PlanModel):
    """A kind of crisis within a category, such as 产品质量危机 within 运作管理危机."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    description: str
    """What it is."""


class RiskCategory(PlanModel):
    """A category of crisis the company may face (危机分类)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    description: str
    """What it is."""
    subtypes: list[RiskSubtype] = []
    """The kinds of crisis within it."""


class RiskTreatment(PlanModel):
    """A strategy for a risk, and the impact and likelihood it is chosen for (处理风险策略)."""

    id: Treatment
    """The strategy."""
    name: str
    """Its name."""
    impact: Literal["high", "low"]
    """The impact of the risks it is chosen for."""
    likelihood: Literal["high", "low"]
    """The likelihood of the risks it is chosen for."""
    description: str
    """What it means."""


class DisruptionCause(PlanModel):
    """A class of causes of business interruption, how often it happens, and how to guard against it."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 自然灾害."""
    examples: str
    """What causes of this class look like."""
    assessment: str
    """How predictable and how frequent it is, and what happens when it strikes."""
    protection: str | None = None
    """How to guard against it."""


class ImpactCategory(PlanModel):
    """A way an interruption hurts the company, for the business impact analysis."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 企业收入."""
    description: str
    """What is lost."""


class EmergencyAccess(PlanModel):
    """Access that opens for named backups when a person has been unreachable for a while."""

    kind: Literal["emergency-access"]
    text: str
    """The arrangement as the plan states it."""
    unreachable: PersonId
    """The person whose absence opens the access."""
    after: Duration
    """How long that person must have been unreachable."""
    grantees: list[PersonId] = Field(min_length=1)
    """Who may take the access."""
    any_of: int = Field(default=1, ge=1, le=100)
    """How many of the grantees are needed together."""


class DecisionChain(PlanModel):
    """Who takes over a person's decisions, in order."""

    kind: Literal["decision-chain"]
    text: str
    """The chain as the plan states it."""
    holder: PersonId
    """The person whose decision authority is handed on."""
    successors: list[PersonId] = Field(min_length=1)
    """Who takes it over, in order."""


class Control(PlanModel):
    """A check repeated at a fixed interval to catch a risk early."""

    kind: Literal["control"]
    text: str
    """What is checked."""
    every: Period
    """How often."""


class Measure(PlanModel):
    """Any other response to a risk."""

    kind: Literal["measure"]
    text: str
    """The measure."""


Response = Annotated[EmergencyAccess | DecisionChain | Control | Measure, Field(discriminator="kind")]


class RiskScenario(PlanModel):
    """A risk scenario (风险情境) with its level, frequency, treatment and responses."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    examples: str | None = None
    """What it covers, as the plan lists it."""
    category: RiskCategoryId | None = None
    """The crisis category it falls in."""
    level: Rating
    """The risk level (风险等级)."""
    frequency: ReturnPeriod
    """How often it is expected (触发频率): once every 6mo, 5-10y, ..."""
    impact: str | None = None
    """What it does to the business."""
    treatment: Treatment | None = None
    """The strategy chosen for it."""
    notes: list[str] = []
    """Why it matters, as the plan explains it."""
    responses: list[Response] = []
    """What the company does about it."""
    hits: Dependencies = Dependencies()
    """What it strikes: the sites, systems, suppliers and processes it takes down."""
    checklist: list[ChecklistStep] = []
    """What to do when it happens, beyond recovering what it hits."""
