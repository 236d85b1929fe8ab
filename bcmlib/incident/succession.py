"""Who holds each role now, given who is unavailable and since when.

A role passes from its primary to its backups in order (SOP-19 §4, §6.2). The responses of the risk
scenarios add two rules of their own (§5.1): emergency access that opens for named people once someone
has been unreachable long enough, and a chain of decision authority.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from bcmlib.incident.errors import IncidentError
from bcmlib.models import DecisionChain, EmergencyAccess, Plan, Role

__all__ = [
    "Absence",
    "AccessState",
    "ChainState",
    "Holding",
    "Succession",
    "holding",
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
    wanted = text.strip().casefold()
    for person in plan.people:
        if wanted in (person.id, person.name.casefold()):
            return person.id
    known = ", ".join(f"{person.id} ({person.name})" for person in plan.people)
    raise IncidentError("incident.unknown_person", name=text, known=known)
