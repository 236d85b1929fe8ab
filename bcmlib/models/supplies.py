"""Emergency supplies: what is stocked for a crisis, where, how much, until when, and who checks it."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from bcmlib.models.base import Id, PersonId, PlanModel, RoleId, SiteId
from bcmlib.models.values import Period

__all__ = ["EmergencySupplies", "Supply"]


class Supply(PlanModel):
    """A stock of one kind of emergency supply (food, water, medicine, emergency lighting, spill kits)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What it is."""
    quantity: int | None = Field(default=None, ge=0)
    """How much is kept."""
    unit: str | None = None
    """What the quantity counts (箱, 瓶, 套)."""
    site: SiteId | None = None
    """The site it is kept at."""
    location: str | None = None
    """Where exactly (一楼前台左侧柜)."""
    expires: date | None = None
    """The first expiry date among the stock, where it expires."""
    checked_on: date | None = None
    """The day someone last counted it and found it usable."""
    custodian: PersonId | None = None
    """Who keeps it."""


class EmergencySupplies(PlanModel):
    """The emergency supplies and how often they are checked, like the contact list."""

    check_every: Period | None = None
    """How often each stock must be counted and checked; unset, stocks are never reported unchecked."""
    owner: RoleId | None = None
    """The role that keeps the supplies up."""
    items: list[Supply] = []
    """The stocks."""
