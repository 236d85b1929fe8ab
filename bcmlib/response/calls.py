"""The call tree: whom each person calls when something happens, each role's holders in order."""

from __future__ import annotations

from dataclasses import dataclass

from bcmlib.models import CallLink, Person, Plan, Role

__all__ = ["Call", "calls_for", "holders_now"]


def holders_now(plan: Plan, role: Role) -> list[Person]:
    """The people who hold `role`, primary first; a dangling reference (a validator error) is skipped."""
    return [plan.person(person) for person in plan.holders(role) if person in plan.collections["people"]]


@dataclass(frozen=True)
class Call:
    """A role to call, with its holders in the order they are tried."""

    role: Role
    people: list[Person]


def calls_for(plan: Plan, link: CallLink) -> list[Call]:
    """The calls one link of the call tree makes, in order; a role the plan lacks is skipped."""
    roles = [plan.role(role) for role in link.calls if role in plan.collections["roles"]]
    return [Call(role, holders_now(plan, role)) for role in roles]
