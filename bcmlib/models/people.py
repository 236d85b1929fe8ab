"""People and outside parties, and the roles they hold with their backups."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from bcmlib.models.base import DocumentId, FormId, Id, PersonId, PlanModel, RoleId
from bcmlib.models.values import Period

__all__ = ["ContactChannel", "Contactable", "EmergencyContacts", "Person", "Role"]


class ContactChannel(PlanModel):
    """One way to reach a person."""

    channel: Literal["mobile", "landline", "email", "wechat", "line", "other"]
    """The kind of channel."""
    value: str
    """The number, address or account."""
    personal: bool
    """True for a private channel (a personal phone or mailbox), left out of redacted builds."""
    verified_on: date | None = None
    """The day someone last reached the person this way, to prove it still works."""

    @property
    def is_phone(self) -> bool:
        """Whether it is called, not written to: a mobile or a landline."""
        return self.channel in ("mobile", "landline")


class Contactable(PlanModel):
    """Someone the plan gives ways to reach: a person who holds roles, or a party outside the company."""

    id: Id
    """How the plan refers to them."""
    name: str
    """The name as staff know it."""
    organisation: str | None = None
    """The organisation they belong to, when it is not the company."""
    contacts: list[ContactChannel] = []
    """Ways to reach them, in the order to try them."""
    note: str | None = None
    """Anything a reader needs to know about their part in the plan."""

    @property
    def phones(self) -> list[ContactChannel]:
        """The channels they can be called on in a crisis, when mail and chat go unread."""
        return [contact for contact in self.contacts if contact.is_phone]


class Person(Contactable):
    """Someone who can hold a role: a member of staff, an outside party, a vendor team or an AI agent."""

    kind: Literal[
        "staff",
        "contractor",
        "outside-counsel",
        "outsourced-accountant",
        "consultant",
        "vendor-team",
        "supplier-contact",
        "authority",
        "insurer",
        "bank",
        "customer",
        "ai-agent",
        "other",
    ]
    """What kind of party this is."""


class EmergencyContacts(PlanModel):
    """Where the 24/7 emergency call list is kept (紧急联络), when it lives outside the plan."""

    document: DocumentId
    """The document that holds the list."""
    form: FormId | None = None
    """The form the list is kept on."""
    note: str | None = None
    """Anything a reader needs to find or use the list."""
    verify_every: Period | None = None
    """How often each contact channel in the plan is to be verified; unset, contacts do not age."""
    owner: RoleId | None = None
    """The role that keeps the contacts up to date."""


class Role(PlanModel):
    """A role with its duties and who holds it: a primary and backups in order, or another role's holders.

    `held_by` says that whoever holds another role holds this one too (the duties of the ISO 22301 procedure
    are carried by the company's own posts), so a chain of people is written once.
    """

    id: Id
    """How the plan refers to this role."""
    name: str
    """The role's name."""
    group: Literal["bcm-organisation", "key-position", "crisis-duty"]
    """Which table it belongs to: the BCM organisation, the key positions, or the duties by role."""
    aliases: list[str] = []
    """Other names for the same role in the source documents, such as 总裁 for 最高管理者."""
    duties: list[str] = []
    """What the role does, one duty per item."""
    primary: PersonId | None = None
    """Who holds the role first."""
    backups: list[PersonId] = []
    """Who takes over, in order, when the one before is unavailable."""
    held_by: RoleId | None = None
    """Another role whose holders hold this one too, instead of `primary` and `backups`."""
    held_in_incident_by: Literal["owners-of-hit-processes", "heads-of-hit-departments"] | None = None
    """In an incident, the role is held per incident instead of by a chain of its own: by the holders of
    the owner roles of the processes it hits, or of the head roles of those processes' departments (the
    head of the affected department)."""
    source: str | None = None
    """Where in the source documents the role is defined."""

    @model_validator(mode="after")
    def _one_way_of_holding(self) -> Self:
        ways = [self.held_by is not None, self.primary is not None or bool(self.backups)]
        if sum([*ways, self.held_in_incident_by is not None]) > 1:
            raise PydanticCustomError(
                "role_holding", "give one of held_by, held_in_incident_by, or primary and backups"
            )
        return self
