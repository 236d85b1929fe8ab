"""Risk: categories of crisis, treatments, causes of disruption, the risk matrix, scenarios and insurance."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from bcmlib.models.base import (
    ExternalPartyId,
    Id,
    LikelihoodId,
    PersonId,
    PlanModel,
    RiskCategoryId,
    RiskImpactId,
    RiskScenarioId,
)
from bcmlib.models.continuity import Dependencies
from bcmlib.models.crisis import ChecklistStep
from bcmlib.models.values import Duration, Period, ReturnPeriod

__all__ = [
    "Control",
    "DecisionChain",
    "DisruptionCause",
    "EmergencyAccess",
    "InsurancePolicy",
    "Measure",
    "Response",
    "RiskAssessment",
    "RiskCategory",
    "RiskMatrix",
    "RiskScale",
    "RiskScenario",
    "RiskSubtype",
    "RiskTreatment",
    "ScaleLevel",
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


class ScaleLevel(PlanModel):
    """One step of a risk scale, such as 较高 on the likelihood scale."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    criterion: str | None = None
    """What puts a risk on this step (once in 1-5 years; a loss over 100 万元)."""


class RiskScale(PlanModel):
    """A scale a risk is scored on, from the lowest step to the highest."""

    levels: list[ScaleLevel] = Field(min_length=2)
    """Its steps, lowest first; a step's score is its place, counting from 1."""
    high_from: Id
    """The lowest step that counts as high in the treatment matrix, which splits each scale in two (high
    and low likelihood, high and low impact) to choose a treatment."""


class RiskMatrix(PlanModel):
    """The likelihood and impact scales risk scenarios are scored on; the score is their product."""

    likelihood: RiskScale
    """How likely a scenario is (发生概率)."""
    impact: RiskScale
    """How much it would hurt (影响程度)."""


class RiskAssessment(PlanModel):
    """A scenario scored on the risk matrix."""

    likelihood: LikelihoodId
    """Its step on the likelihood scale."""
    impact: RiskImpactId
    """Its step on the impact scale."""
    reason: str | None = None
    """Why: the evidence behind the scores."""


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
    assessment: RiskAssessment | None = None
    """Its scores on the risk matrix."""
    treatment: Treatment | None = None
    """The strategy chosen for it."""
    treatment_reason: str | None = None
    """Why the chosen strategy differs from the one the matrix suggests, where it does."""
    notes: list[str] = []
    """Why it matters, as the plan explains it."""
    responses: list[Response] = []
    """What the company does about it."""
    hits: Dependencies = Dependencies()
    """What it strikes: the sites, systems, suppliers and processes it takes down."""
    checklist: list[ChecklistStep] = []
    """What to do when it happens, beyond recovering what it hits."""


class InsurancePolicy(PlanModel):
    """An insurance policy that a transferred risk is carried by, and how to claim on it."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What it is, such as 财产一切险."""
    insurer: str
    """The insurance company."""
    number: str | None = None
    """The policy number, to quote when claiming."""
    cover: str
    """What it pays for, and its limits."""
    sum_insured: str | None = None
    """The amount insured, as the policy states it."""
    expires: date | None = None
    """The last day it covers."""
    claim_contact: ExternalPartyId | None = None
    """Whom to call to claim: the insurer's or the broker's desk, with its channels."""
    claim_within: str | None = None
    """How soon a claim or a notice of loss must be made, as the policy states it."""
    risks: list[RiskScenarioId] = []
    """The risk scenarios it carries."""
