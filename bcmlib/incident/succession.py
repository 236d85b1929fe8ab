"""Who holds each role now, given who is unavailable and since when.

A role passes from its primary to its backups in order. The responses of the risk
scenarios add two rules of their own: emergency access that opens for named people once someone
has been unreachable long enough, and a chain of decision authority.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from bcmlib.incident.names import resolve_named
from bcmlib.models import DecisionChain, EmergencyAccess, Plan, Role

__all__ = [
    "OVERLOAD_ROLES",
    "Absence",
    "AccessState",
    "ChainState",
    "Holding",
    "Overload",
    "Succession",
    "holding",
    "outsiders_in_command",
    "overloads",
    "resolve_person",
    "succession",
]


@dataclass(frozen=True)
class Absence:
    """A person who cannot act, and since when."""

    person: str
    since: datetime


@dataclass(frozen=True)
class Holding:
    """Who holds a role now: `person` is None when nobody in its chain is left (a gap)."""

    role: Role
    person: str | None
    rank: int | None
    """0 for the primary, 1 for the first backup, and so on."""
    skipped: tuple[str, ...]
    """The people ahead of the holder who are unavailable."""
    fallback: str | None = None
    """`decision-chain` or `bcm-organisation` when the holder stands in because the whole chain is out."""


@dataclass(frozen=True)
class AccessState:
    """An emergency access arrangement: whether it is open, and for whom."""

    response: EmergencyAccess
    opens_at: datetime | None
    """When it opens; None while the person it depends on is available."""
    open: bool
    grantees: tuple[str, ...]
    """The grantees who are available to take it."""


@dataclass(frozen=True)
class ChainState:
    """A decision-authority chain: who decides now (None when the whole chain is out)."""

    response: DecisionChain
    person: str | None
    rank: int | None


@dataclass(frozen=True)
class Succession:
    """Every role's holder, every emergency access and every decision chain at one moment."""

    at: datetime
    absences: tuple[Absence, ...]
    holdings: tuple[Holding, ...]
    accesses: tuple[AccessState, ...]
    chains: tuple[ChainState, ...]

    @property
    def gaps(self) -> tuple[Holding, ...]:
        """The roles nobody holds now."""
        return tuple(held for held in self.holdings if held.person is None)


@dataclass(frozen=True)
class Overload:
    """Someone who holds many roles at once, some of them taken over from people who are out."""

    person: str
    roles: tuple[Role, ...]
    inherited: tuple[Role, ...]


OVERLOAD_ROLES = 3
"""How many roles, one or more of them inherited, make a warning. The seeds set no limit; BCM practice
warns when succession piles command and several posts on one person, and three is where the company's own
plan starts to do that (the field commander who also runs the warehouse and a key post)."""


def overloads(plan: Plan, holdings: Iterable[Holding]) -> list[Overload]:
    """The people who hold `OVERLOAD_ROLES` roles or more, at least one of them as a backup."""
    held: dict[str, list[Holding]] = {}
    for item in holdings:
        if item.person is not None:
            held.setdefault(item.person, []).append(item)
    return [
        Overload(person, tuple(item.role for item in items), tuple(item.role for item in items if item.rank))
        for person, items in held.items()
        if len(items) >= OVERLOAD_ROLES and any(item.rank for item in items)
    ]


def outsiders_in_command(plan: Plan, holdings: Iterable[Holding]) -> list[Holding]:
    """Command roles held by an outside party: a level's commander or decider, or a role the workflow names.

    The seeds let a consultant back up the CTO post, and by `held_by` the command that post carries; BCM
    practice wants a person of the company's own in command, so this is shown, never refused.
    """
    command = {level.commander for level in plan.crisis_levels}
    command |= {level.decided_by for level in plan.crisis_levels if level.decided_by}
    workflow = plan.incident_workflow
    command |= {role for t in workflow.transitions for role in t.roles} if workflow else set()
    return [
        item
        for item in holdings
        if item.person is not None and item.role.id in command and plan.person(item.person).kind != "staff"
    ]


def holding(plan: Plan, role: Role, unavailable: Collection[str]) -> Holding:
    """Who holds `role` when the people in `unavailable` cannot act: the first of its chain still there."""
    chain = list(plan.holders(role))
    for rank, person in enumerate(chain):
        if person not in unavailable:
            return Holding(role, person, rank, tuple(chain[:rank]))
    return Holding(role, None, None, tuple(chain))


def succession(plan: Plan, absences: Iterable[Absence], at: datetime) -> Succession:
    """Who is in charge of what at `at`, given the absences (each person at most once)."""
    absent = {absence.person: absence for absence in absences if absence.since <= at}
    holdings = tuple(holding(plan, role, absent) for role in plan.roles)
    accesses, chains = [], []
    for scenario in plan.risk_scenarios:
        for response in scenario.responses:
            if isinstance(response, EmergencyAccess):
                away = absent.get(response.unreachable)
                opens_at = away.since + response.after if away else None
                grantees = tuple(person for person in response.grantees if person not in absent)
                accesses.append(
                    AccessState(response, opens_at, opens_at is not None and at >= opens_at, grantees)
                )
            elif isinstance(response, DecisionChain):
                chain = [response.holder, *response.successors]
                rank = next((rank for rank, person in enumerate(chain) if person not in absent), None)
                chains.append(ChainState(response, None if rank is None else chain[rank], rank))
    return Succession(at, tuple(absent.values()), holdings, tuple(accesses), tuple(chains))


def resolve_person(plan: Plan, text: str) -> str:
    """The identifier of the person `text` names, by identifier or by name (Latin letters in any case)."""
    return resolve_named(plan.people, text, "incident.unknown_person")
