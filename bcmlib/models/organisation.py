"""The company, its departments and committees, and the parties outside it that it calls or reports to."""

from __future__ import annotations

from typing import Literal

from bcmlib.models.base import (
    CrisisLevelId,
    ExternalPartyId,
    Id,
    PlanModel,
    RiskCategoryId,
    RoleId,
)
from bcmlib.models.people import Contactable
from bcmlib.models.values import Duration

__all__ = ["Committee", "Company", "Department", "ExternalParty", "ExternalReport"]


class Company(PlanModel):
    """The company the plan belongs to; the handbook's title, footers and printed covers carry its name."""

    name: str
    """The company's name as staff and outsiders know it."""
    short_name: str | None = None
    """A shorter name for titles and footers, where the full name is long."""

    @property
    def title(self) -> str:
        """The name a title or footer shows: the short one where there is one."""
        return self.short_name or self.name


class Department(PlanModel):
    """A department and the role that heads it, so "the head of the affected department" can be resolved."""

    id: Id
    """How the plan refers to it."""
    name: str
    """The department's name."""
    head: RoleId
    """The role that heads the department."""
    source: str | None = None
    """Where in the source documents the department is named."""


class Committee(PlanModel):
    """A standing group of roles with duties of its own, such as a BCM working group.

    Whoever holds a member role sits on it; an emergency leadership group is another example.
    """

    id: Id
    """How the plan refers to it."""
    name: str
    """The committee's name."""
    chair: RoleId | None = None
    """The role that convenes and leads it, where the source names one."""
    members: list[RoleId] = []
    """The roles that sit on it, besides the chair; whoever holds a role sits for it."""
    duties: list[str] = []
    """What the committee does, one duty per item."""
    source: str | None = None
    """Where in the source documents the committee is set up."""

    @property
    def roles(self) -> list[str]:
        """Everyone's roles on it, the chair first, each once."""
        return list(dict.fromkeys([*([self.chair] if self.chair else []), *self.members]))


class ExternalParty(Contactable):
    """An organisation outside the company that is called or reported to in an incident.

    An emergency service, an authority, an insurer, a bank, a supplier's contact or a customer.
    """

    kind: Literal[
        "emergency-service", "authority", "insurer", "bank", "supplier-contact", "customer", "other"
    ]
    """What kind of party it is."""
    source: str | None = None
    """Where in the source documents the party is named."""


class ExternalReport(PlanModel):
    """A duty to report an event to a party outside the company, by a role, within a deadline.

    The duty applies when `when` holds; `levels` and `risk_categories` narrow it to incidents at those
    crisis levels or of those categories, so an incident's status can list the reports it owes.
    """

    id: Id
    """How the plan refers to it."""
    to: ExternalPartyId
    """The party reported to."""
    when: str
    """The event that sets off the duty, as the source writes it (a hazardous-chemicals accident)."""
    levels: list[CrisisLevelId] = []
    """The crisis levels it applies at; empty, the level does not decide it."""
    risk_categories: list[RiskCategoryId] = []
    """The risk categories it applies to; empty, the category does not decide it."""
    within: Duration | None = None
    """The deadline, counted from when the incident opens or, with `levels`, first reaches one of them;
    unset where the source gives none."""
    by: RoleId
    """The role that makes the report."""
    source: str | None = None
    """Where in the source documents, or which regulation, sets the duty."""
