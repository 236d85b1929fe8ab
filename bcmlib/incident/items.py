"""What an incident can hit: the plan's processes, systems, sites and suppliers, named as people name them.

A reader types an identifier (`warehouse`), a qualified identifier (`sites/warehouse`) or a name (仓库).
An identifier is a key: when two collections share one, which is meant is a coincidence the reader must
settle, so a plain identifier found in several collections is refused with the qualified forms. A name is
what people call the thing: the plan gives the system and the process that runs on it one name (订单平台,
say), and whoever says it means both are down, so a name stands for every item that bears it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from bcmlib.i18n import Msg
from bcmlib.incident.errors import IncidentError
from bcmlib.models import Dependencies, Plan, Process, Site, Supplier, System

__all__ = [
    "KINDS",
    "Item",
    "ItemRef",
    "Kind",
    "every_item",
    "item_key",
    "item_name",
    "item_ref",
    "refs_in",
    "resolve_items",
]

Kind = Literal["process", "system", "site", "supplier"]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""The kinds an incident can hit, in the order that breaks a tie between them."""

Item = Process | System | Site | Supplier

_COLLECTIONS: Mapping[Kind, str] = {
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
        return _COLLECTIONS[self.kind]

    def __str__(self) -> str:
        """The qualified identifier, such as `sites/warehouse`, unambiguous across collections."""
        return f"{self.collection}/{self.id}"

    def item_in(self, plan: Plan) -> Item:
        """The model it refers to in `plan`; `KeyError` if the plan has no such item."""
        found: Item = plan.collections[self.collection][self.id]
        return found


def resolve_items(
    plan: Plan, texts: Iterable[str | ItemRef], kinds: Collection[Kind] = KINDS
) -> list[ItemRef]:
    """The items of `kinds` that `texts` name, in the order named, each once.

    Each text is an identifier, a qualified identifier (`systems/erp`) or a name, compared casefolded
    and stripped; an `ItemRef` stands for itself. Raises `IncidentError` for a plain identifier that
    several collections share (`recovery.ambiguous_item`, with the qualified forms) and for texts that name
    nothing (`recovery.unknown_item`, with every known name and identifier, for the reader to pick from).
    """
    refs = every_item(plan, kinds)
    found: dict[ItemRef, None] = {}
    unknown: list[str] = []
    for text in texts:
        matches = _matches(plan, refs, kinds, text)
        if not matches:
            unknown.append(str(text))
        found.update(dict.fromkeys(matches))
    if unknown:
        raise IncidentError("recovery.unknown_item", name=unknown, known=_known(plan, refs))
    return list(found)


def every_item(plan: Plan, kinds: Collection[Kind] = KINDS) -> list[ItemRef]:
    """Every item of `kinds` in `plan`: by kind in the order of `KINDS`, then as the plan lists them."""
    return [
        ItemRef(kind, item_id)
        for kind in KINDS
        if kind in kinds
        for item_id in plan.collections[_COLLECTIONS[kind]]
    ]


def _matches(plan: Plan, refs: list[ItemRef], kinds: Collection[Kind], text: str | ItemRef) -> list[ItemRef]:
    """The items of `refs` that `text` names: by qualified identifier, else by identifier, else by name."""
    if isinstance(text, ItemRef):
        return [text] if text.kind in kinds and text.id in plan.collections[text.collection] else []
    wanted = _folded(text)
    collection, slash, rest = wanted.partition("/")
    if slash and collection in _COLLECTIONS.values():
        refs = [ref for ref in refs if ref.collection == collection]
        wanted = rest.strip()
    by_id = [ref for ref in refs if _folded(ref.id) == wanted]
    if len(by_id) > 1:
        raise IncidentError("recovery.ambiguous_item", name=text, choices=[str(ref) for ref in by_id])
    return by_id or [ref for ref in refs if _folded(ref.item_in(plan).name) == wanted]


def _folded(text: str) -> str:
    return text.strip().casefold()


def _known(plan: Plan, refs: list[ItemRef]) -> list[Msg]:
    """Every item as `name (identifier)`, qualified where its identifier alone would be ambiguous."""
    counts = Counter(ref.id for ref in refs)
    return [
        Msg(
            "recovery.known_item",
            {"name": ref.item_in(plan).name, "id": ref if counts[ref.id] > 1 else ref.id},
        )
        for ref in refs
    ]


def item_key(ref: ItemRef) -> str:
    """How an incident's log names an item: a process by its identifier, the others qualified.

    Logs have always named processes by their identifier; a site is `sites/warehouse` and so on.
    """
    return ref.id if ref.kind == "process" else str(ref)


def item_ref(key: str) -> ItemRef:
    """The item a log's name stands for (the reverse of `item_key`); `KeyError` for another collection."""
    collection, _, item_id = key.rpartition("/")
    kinds = {name: kind for kind, name in _COLLECTIONS.items()}
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
        for item_id in getattr(needs, _COLLECTIONS[kind])
        if (ref := ItemRef(kind, item_id)).id in plan.collections[ref.collection]
    ]
