"""The call tree: whom each person calls when something happens, each role's holders in order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bcmlib.models import CallLink, Person, Plan, Role

__all__ = ["Call", "calls_for", "dial", "holders_now"]


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


_DIALABLE = re.compile(
    r"\s*(?P<plus>\+?)(?P<number>\(?[0-9][0-9 ().-]*[0-9])"
    r"\s*(?:(?:转|分机|ext\.?|x)\s*(?P<extension>[0-9]+))?\s*",
    re.IGNORECASE,
)
_SHORTEST = 3
"""The fewest digits anyone dials: 110, 119, 120."""


def dial(number: str) -> str | None:
    """What a phone dials for a number as the plan writes it (a `tel:` address), or None if it cannot.

    Spaces, hyphens, dots and brackets are layout; an extension (`转 801`, `ext 801`) follows a pause
    (`,`), which phones dial once the call connects. Anything else (a letter, a second number, a note)
    makes the number undialable rather than dialled wrong: `138 ext 5a` must not ring 1385.
    """
    match = _DIALABLE.fullmatch(number)
    if match is None:
        return None
    digits = re.sub(r"[^0-9]", "", match["number"])
    if len(digits) < _SHORTEST:
        return None
    extension = f",{match['extension']}" if match["extension"] else ""
    return match["plus"] + digits + extension
