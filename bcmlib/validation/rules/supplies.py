"""Emergency supplies are counted on time, used before they expire, and say how much there is and where.

Aged like the contact list (CON001): each finding says how many days late the stock is and who keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.i18n import Msg
from bcmlib.models import Plan, Supply
from bcmlib.validation.findings import Hit, Severity, rule
from bcmlib.validation.rules.upkeep import days_late, issued, owner_name


def _keeper(plan: Plan, supply: Supply) -> str | Msg:
    """Who acts on a stock: the person who keeps it, else the role that keeps the supplies up."""
    people = plan.collections["people"]
    if supply.custodian is not None and supply.custodian in people:
        name: str = people[supply.custodian].name
        return name
    return owner_name(plan, plan.emergency_supplies.owner)


def _stocks(plan: Plan) -> Iterator[tuple[int, Supply]]:
    return enumerate(plan.emergency_supplies.items)


def _path(index: int, *field: str) -> tuple[str | int, ...]:
    return ("emergency_supplies", "items", index, *field)


@rule("SUP001", Severity.WARNING)
def supply_unchecked(plan: Plan, today: date) -> Iterator[Hit]:
    """An emergency supply has not been counted and checked within the interval the plan sets."""
    every = plan.emergency_supplies.check_every
    if every is None:
        return
    for index, supply in _stocks(plan):
        # Never checked counts from the day this version was issued, as contacts never verified do.
        due = (supply.checked_on or issued(plan)) + every
        if due < today:
            params = {
                "supply": supply.name,
                "checked": supply.checked_on.isoformat() if supply.checked_on else "—",
                "every": every,
                "late": days_late(due, today),
                "owner": _keeper(plan, supply),
            }
            yield Hit(f"supplies/{supply.id}", _path(index), params)


@rule("SUP002", Severity.WARNING)
def supply_expired(plan: Plan, today: date) -> Iterator[Hit]:
    """An emergency supply is past its expiry date."""
    for index, supply in _stocks(plan):
        if supply.expires is not None and supply.expires < today:
            params = {
                "supply": supply.name,
                "expires": supply.expires.isoformat(),
                "late": days_late(supply.expires, today),
                "owner": _keeper(plan, supply),
            }
            yield Hit(f"supplies/{supply.id}", _path(index, "expires"), params)


@rule("SUP003", Severity.WARNING)
def supply_unplaced(plan: Plan, today: date) -> Iterator[Hit]:
    """An emergency supply does not say how much is kept, or where."""
    for index, supply in _stocks(plan):
        missing = [
            field
            for field, given in (
                ("quantity", supply.quantity is not None),
                ("site/location", supply.site or supply.location),
            )
            if not given
        ]
        if missing:
            yield Hit(f"supplies/{supply.id}", _path(index), {"supply": supply.name, "fields": missing})
