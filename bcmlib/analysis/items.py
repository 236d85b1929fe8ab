"""The items a disruption can hit: the plan's processes, systems, sites and suppliers, by kind and identifier.

The incident log names them by key (`item_key`); the dependency graph, the rules and the handbook walk them
as `ItemRef`s. Resolving what a reader types into items is the incident's job (`bcmlib.incident.items`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from bcmlib.models import Dependencies, Plan, Process, Site, Supplier, System

__all__ = [
    "COLLECTIONS",
    "KINDS",
    "Item",
    "ItemRef",
    "Kind",
    "every_item",
    "item_key",
    "item_name",
    "item_ref",
    "refs_in",
]

Kind = Literal["process", "system", "site", "supplier"]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""The kinds an incident can hit, in the order that breaks a tie between them."""

Item = Process | System | Site | Supplier

COLLECTIONS: Mapping[Kind, str] = {
    "process": "processes",
    "system": "systems",
    "site": "sites",
    "supplier": "suppliers",
}


_NEEDED_ORDER: tuple[Kind, ...] = ("system", "site", "supplier", "process")
"""The order a process's dependencies are listed in: what it runs on, then the processes it needs."""


@dataclass(frozen=True)
class ItemRef:
    """One process, system, site or supplier of the plan, by its kind and identifier."""

    kind: Kind
    id: str

    @property
    def collection(self) -> str:
        """The plan collection it belongs to, such as `sites`."""
        return COLLECTIONS[self.kind]

    def __str__(self) -> str:
        """The qualified identifier, such as `sites/warehouse`, unambiguous across collections."""
        return f"{self.collection}/{self.id}"

    def item_in(self, plan: Plan) -> Item:
        """The model it refers to in `plan`; `KeyError` if the plan has no such item."""
        found: Item = plan.collections[self.collection][self.id]
        return found


def every_item(plan: Plan, kinds: Collection[Kind] = KINDS) -> list[ItemRef]:
    """Every item of `kinds` in `plan`: by kind in the order of `KINDS`, then as the plan lists them."""
    return [
        ItemRef(kind, item_id)
        for kind in KINDS
        if kind in kinds
        for item_id in plan.collections[COLLECTIONS[kind]]
    ]


def item_key(ref: ItemRef) -> str:
    """How an incident's log names an item: a process by its identifier, the others qualified.

    Logs have always named processes by their identifier; a site is `sites/warehouse` and so on.
    """
    return ref.id if ref.kind == "process" else str(ref)


def item_ref(key: str) -> ItemRef:
    """The item a log's name stands for (the reverse of `item_key`); `KeyError` for another collection."""
    collection, _, item_id = key.rpartition("/")
    kinds = {name: kind for kind, name in COLLECTIONS.items()}
    return ItemRef(kinds[collection or "processes"], item_id)


def item_name(plan: Plan, key: str) -> str:
    """The name of what a log names: a process by its identifier, or `sites/warehouse` and the like."""
    return item_ref(key).item_in(plan).name


def refs_in(plan: Plan, needs: Dependencies) -> list[ItemRef]:
    """The systems, sites, suppliers and processes `needs` names that the plan has (roles are not items).

    A name the plan lacks is a validator error (REF001), left out here.
    """
    return [
        ref
        for kind in _NEEDED_ORDER
        for item_id in getattr(needs, COLLECTIONS[kind])
        if (ref := ItemRef(kind, item_id)).id in plan.collections[ref.collection]
    ]
