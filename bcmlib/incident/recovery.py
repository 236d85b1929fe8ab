"""The order to recover what an interruption hit, and what it took down with it, each with its deadline.

Recovery goes by priority class (people safety, compliance, customer shipping and so on, as the plan
lists its classes); within a class the earlier deadline goes first (with no
start, the shorter recovery time), then the shorter RPO, then the order the plan lists its items in.
An item without a class, a deadline, a recovery time or an RPO comes after those with one.

The seeds are silent on dependencies; standard BIA practice (ISO/TS 22317) decides:

- What a hit item takes down is everything that depends on it, transitively (system `erp`, then
  process `order-entry` that runs on it, then `shipping` which needs that process).
- A dependency is recovered before what needs it, and inherits the highest class and the earliest
  deadline among them: a process cannot meet its RTO before what it runs on is back.
- A process taken down through a dependency is interrupted from when that dependency was hit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bcmlib.analysis.dependencies import DependencyGraph
from bcmlib.analysis.items import KINDS, Item, ItemRef, Kind
from bcmlib.incident.items import resolve_items
from bcmlib.models import Duration, Plan, PriorityClass, Process

__all__ = ["RecoveryItem", "recovery_order"]

_NEVER = timedelta.max


@dataclass(frozen=True)
class RecoveryItem:
    """A process, system, site or supplier to recover, with the class and deadline it is recovered by."""

    ref: ItemRef
    item: Item
    """The plan's process, system, site or supplier."""
    priority: PriorityClass | None
    """The highest class of it (a process's own) and of what in the order needs it; None if none has one."""
    deadline: datetime | None
    """The earliest of its own deadline (when it was interrupted plus its recovery time) and those of what
    in the order needs it; None when none of them can be counted."""
    hit: bool
    """True when it was hit itself, False when it is down because something it depends on was hit."""
    needed_by: tuple[ItemRef, ...]
    """The items in the order that depend on it directly, in the order."""
    depends_on: tuple[ItemRef, ...]
    """The items in the order it depends on directly, in the order."""

    @property
    def kind(self) -> Kind:
        """Process, system, site or supplier."""
        return self.ref.kind

    @property
    def id(self) -> str:
        """Its identifier in its collection."""
        return self.ref.id

    @property
    def name(self) -> str:
        """Its name."""
        return self.item.name

    @property
    def recovery_time(self) -> Duration | None:
        """A process's RTO, or the time a system, site or supplier takes to be back or switched over."""
        return _recovery_time(self.item)

    @property
    def rpo(self) -> Duration | None:
        """A process's RPO; None for the other kinds, which hold no data of their own in the plan."""
        return self.item.rpo if isinstance(self.item, Process) else None

    @property
    def process(self) -> Process:
        """The process, for an item that is one (every item is when only processes were hit)."""
        if not isinstance(self.item, Process):
            raise TypeError(f"{self.ref} is not a process")
        return self.item


def recovery_order(
    plan: Plan,
    hit: Iterable[str | ItemRef],
    start: datetime | None,
    *,
    hit_at: Mapping[str, datetime] | None = None,
) -> list[RecoveryItem]:
    """What `hit` takes down, in the order to recover it after an interruption at `start`.

    `hit` names processes, systems, sites or suppliers (see `resolve_items`). The order holds them and every
    process that depends on them; each comes after what it depends on. An item hit later than `start` has
    its deadline counted from its own time in `hit_at` (keyed by identifier or qualified identifier); with
    no `start`, only the items in `hit_at` have deadlines (with none, the order alone, as the handbook
    prints it). Raises `IncidentError` for a text that names nothing or that is ambiguous.
    """
    struck = resolve_items(plan, hit)
    graph = DependencyGraph.of(plan).around(struck)
    times = {ref: hit_at.get(str(ref), hit_at.get(ref.id, start)) if hit_at else start for ref in struck}
    items = {ref: ref.item_in(plan) for ref in graph.refs}
    own = {ref: _own_deadline(items[ref], times, graph.reach([ref], graph.dependencies)) for ref in items}
    classes = list(plan.collections["priority_classes"].values())
    class_rank = {c.id: rank for rank, c in enumerate(classes)}
    positions = {
        name: {item_id: rank for rank, item_id in enumerate(plan.collections[name])}
        for name in {ref.collection for ref in items}
    }
    standing = {}
    for ref, item in items.items():
        above = graph.reach([ref], graph.dependents)
        ranks = (
            class_rank.get(p.priority, len(classes)) for r in above if isinstance(p := items[r], Process)
        )
        standing[ref] = _Standing(
            rank=min(ranks, default=len(classes)),
            deadline=min((d for r in above if (d := own[r]) is not None), default=None),
            window=min((t for r in above if (t := _recovery_time(items[r])) is not None), default=_NEVER),
            rpo=_NEVER if not isinstance(item, Process) or item.rpo is None else item.rpo,
            plan_rank=(KINDS.index(ref.kind), positions[ref.collection][ref.id]),
        )
    order = _dependencies_first(sorted(items, key=lambda ref: standing[ref].key), graph)
    position = {ref: index for index, ref in enumerate(order)}
    return [
        RecoveryItem(
            ref,
            items[ref],
            classes[standing[ref].rank] if standing[ref].rank < len(classes) else None,
            standing[ref].deadline,
            ref in times,
            tuple(sorted(graph.dependents(ref), key=position.__getitem__)),
            tuple(sorted(graph.dependencies(ref), key=position.__getitem__)),
        )
        for ref in order
    ]


@dataclass(frozen=True)
class _Standing:
    """Where an item ranks: what it takes from itself and everything in the order that needs it."""

    rank: int
    """The highest class, as its index in the plan's list (the number of classes for none)."""
    deadline: datetime | None
    window: timedelta
    """The shortest recovery time, which orders items when there are no deadlines."""
    rpo: timedelta
    plan_rank: tuple[int, int]
    """Its kind's place in `KINDS`, then its place in its collection."""

    @property
    def key(self) -> tuple[int, bool, datetime | None, timedelta, timedelta, tuple[int, int]]:
        """The sort key: (deadline is None, deadline) puts those without one last, never comparing None."""
        return (self.rank, self.deadline is None, self.deadline, self.window, self.rpo, self.plan_rank)


def _recovery_time(item: Item) -> Duration | None:
    return item.rto if isinstance(item, Process) else item.recovery_time


def _own_deadline(
    item: Item, times: Mapping[ItemRef, datetime | None], below: Iterable[ItemRef]
) -> datetime | None:
    """When `item` is due by itself: from the first hit among it and what it depends on, plus its time."""
    interrupted = min((t for ref in below if (t := times.get(ref)) is not None), default=None)
    recovery = _recovery_time(item)
    return None if interrupted is None or recovery is None else interrupted + recovery


def _dependencies_first(ranked: list[ItemRef], graph: DependencyGraph) -> list[ItemRef]:
    """`ranked` with what each item depends on moved just before it when it came later; else unchanged.

    The plan may hold a cycle (a process that, through others, depends on itself), which has no such
    order: the walk skips the step that leads back to an item it is still placing, so the cycle is broken
    deterministically, its highest-ranked item coming after the rest of its cycle.
    """
    place = {ref: index for index, ref in enumerate(ranked)}
    placed: dict[ItemRef, None] = {}

    def needs(ref: ItemRef) -> Iterator[ItemRef]:
        return iter(sorted(graph.dependencies(ref), key=place.__getitem__))

    for root in ranked:
        # A walk with its own stack, not recursion: a long chain of dependencies must not overflow.
        placing = {root}
        stack = [(root, needs(root))] if root not in placed else []
        while stack:
            ref, pending = stack[-1]
            dependency = next((d for d in pending if d not in placed and d not in placing), None)
            if dependency is None:
                stack.pop()
                placing.discard(ref)
                placed[ref] = None
            else:
                placing.add(dependency)
                stack.append((dependency, needs(dependency)))
    return list(placed)
