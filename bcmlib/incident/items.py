"""What an incident can hit: the plan's processes, systems, sites and suppliers, named as people name them.

A reader types an identifier (`warehouse`), a qualified identifier (`sites/warehouse`) or a name (仓库).
An identifier is a key: when two collections share one, which is meant is a coincidence the reader must
settle, so a plain identifier found in several collections is refused with the qualified forms. A name is
what people call the thing: the plan gives the system and the process that runs on it one name (订单平台,
say), and whoever says it means both are down, so a name stands for every item that bears it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from bcmlib.analysis.items import COLLECTIONS, KINDS, ItemRef, Kind, every_item
from bcmlib.i18n import Msg
from bcmlib.incident.errors import IncidentError
from bcmlib.models import Plan

__all__ = ["resolve_items"]


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


def _matches(plan: Plan, refs: list[ItemRef], kinds: Collection[Kind], text: str | ItemRef) -> list[ItemRef]:
    """The items of `refs` that `text` names: by qualified identifier, else by identifier, else by name."""
    if isinstance(text, ItemRef):
        return [text] if text.kind in kinds and text.id in plan.collections[text.collection] else []
    wanted = _folded(text)
    collection, slash, rest = wanted.partition("/")
    if slash and collection in COLLECTIONS.values():
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
