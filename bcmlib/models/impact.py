"""The business impact analysis: how an interruption hurts over time, and what a process needs to restart.

ISO 22301 §8.2.2 and ISO/TS 22317 rate the impact of not running a process, per impact category, at points
in time after it stops. The first point whose rating a category cannot tolerate is the process's maximum
tolerable period of disruption (MTPD; some procedures call it MAO); `bcmlib.analysis.impact` derives it.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from bcmlib.models.base import (
    Id,
    ImpactCategoryId,
    ImpactRatingId,
    PlanModel,
    RoleId,
    SiteId,
    SupplierId,
    SupplyId,
    SystemId,
)
from bcmlib.models.values import Duration, Percent

__all__ = [
    "CategoryImpact",
    "ImpactAnalysis",
    "ImpactCategory",
    "ImpactPoint",
    "ImpactRating",
    "MinimumCapacity",
    "RatingCriterion",
]


class ImpactRating(PlanModel):
    """One step of the plan's impact scale, which lists them from the mildest to the most severe."""

    id: Id
    """How the plan refers to it, such as `minor`."""
    name: str
    """Its name, such as 轻微."""
    criterion: str | None = None
    """What an impact of this rating looks like, for any category without criteria of its own."""


class RatingCriterion(PlanModel):
    """What one rating means for one impact category (企业收入: 损失超过 10 万元)."""

    rating: ImpactRatingId
    """The rating it explains."""
    criterion: str
    """What an impact of that rating looks like in this category."""


class ImpactCategory(PlanModel):
    """A way an interruption hurts the company, for the business impact analysis."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 企业收入."""
    description: str
    """What is lost."""
    criteria: list[RatingCriterion] = []
    """What each rating of the impact scale means in this category, where it differs from the scale's."""
    intolerable_from: ImpactRatingId | None = None
    """The mildest rating the company cannot tolerate in this category (its tolerance): the first point
    in time a process reaches it is the process's MTPD. Unset, the category cannot set an MTPD, which
    is reported."""


class ImpactPoint(PlanModel):
    """The impact of a process being down for a length of time, in one category."""

    after: Duration
    """How long after the process stops (1h, 4h, 24h, 72h, 1w)."""
    rating: ImpactRatingId
    """How bad it is by then, on the plan's impact scale."""
    amount: float | None = Field(default=None, ge=0)
    """The loss in figures by then, where it is estimated."""
    unit: str | None = None
    """The amount's unit, such as 万元 or 订单."""
    reason: str | None = None
    """Why the rating is what it is: who says so, on what evidence."""


class CategoryImpact(PlanModel):
    """How the impact of one category grows while the process is down, earliest point first."""

    category: ImpactCategoryId
    """The impact category."""
    over_time: list[ImpactPoint] = Field(min_length=1)
    """Its ratings at points in time, earliest first."""


class ImpactAnalysis(PlanModel):
    """A process's row of the business impact analysis table (关键业务影响分析表)."""

    assessed_on: date | None = None
    """The day the analysis was made or last confirmed."""
    assessed_by: RoleId | None = None
    """The role that made it."""
    impacts: list[CategoryImpact] = Field(min_length=1)
    """The impact over time, per category."""


class MinimumCapacity(PlanModel):
    """The minimum business continuity objective (MBCO): the least the process must deliver by its RTO.

    With it, the resources that level needs: fewer than a normal day's, which is why it is written down.
    """

    level: str
    """The minimum acceptable level of output, in words (每日至少处理 50% 订单)."""
    capacity: Percent | None = None
    """The same as a share of normal output, where it can be counted."""
    staff: int | None = Field(default=None, ge=0)
    """How many people it takes."""
    roles: list[RoleId] = []
    """The roles that must be filled."""
    sites: list[SiteId] = []
    """The places it needs."""
    systems: list[SystemId] = []
    """The systems it needs."""
    suppliers: list[SupplierId] = []
    """The suppliers it needs."""
    supplies: list[SupplyId] = []
    """The emergency supplies it needs."""
