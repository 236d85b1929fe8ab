"""What needs what: each process and the systems, sites, suppliers and processes it depends on.

Roles are left out on purpose: a person who is out is covered by the role's chain of backups (see
`succession`), not recovered in an order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from bcmlib.analysis.items import ItemRef, refs_in
from bcmlib.models import Plan

__all__ = ["DependencyGraph"]

Step = Callable[[ItemRef], tuple[ItemRef, ...]]
"""One way along the graph: to what an item depends on, or to what depends on it."""


class DependencyGraph:
    """The processes of a plan and what each depends on, walked either way."""

    def __init__(self, needs: Mapping[ItemRef, tuple[ItemRef, ...]]) -> None:
        self._needs = needs
        needed_by: dict[ItemRef, list[ItemRef]] = {}
        for ref, dependencies in needs.items():
            for dependency in dependencies:
                needed_by.setdefault(dependency, []).append(ref)
        self._needed_by = {ref: tuple(dependents) for ref, dependents in needed_by.items()}

    @classmethod
    def of(cls, plan: Plan) -> DependencyGraph:
        """The graph of `plan`, without references to nothing (a validator error) or to oneself."""
        needs = {}
        for process in plan.processes:
            own = ItemRef("process", process.id)
            known = [ref for ref in refs_in(plan, process.depends_on) if ref != own]
            needs[own] = tuple(dict.fromkeys(known))
        return cls(needs)

    def dependencies(self, ref: ItemRef) -> tuple[ItemRef, ...]:
        """What `ref` depends on directly."""
        return self._needs.get(ref, ())

    def dependents(self, ref: ItemRef) -> tuple[ItemRef, ...]:
        """What depends on `ref` directly."""
        return self._needed_by.get(ref, ())

    def reach(self, refs: Iterable[ItemRef], step: Step) -> dict[ItemRef, None]:
        """`refs` and everything `step` leads to from them, transitively, nearest first; cycles end."""
        found = dict.fromkeys(refs)
        frontier = list(found)
        while frontier:
            fresh = [
                ref for ref in dict.fromkeys(n for ref in frontier for n in step(ref)) if ref not in found
            ]
            found.update(dict.fromkeys(fresh))
            frontier = fresh
        return found

    def paths(self, start: ItemRef) -> Iterator[tuple[tuple[ItemRef, ...], ItemRef | None]]:
        """Every path from `start` down what it depends on, depth first in the plan's order.

        A path ends at an item that depends on nothing, given with None, or where its next step would
        come back to an item already on it (a cycle), given with that item; so every walk ends.
        """
        if not self.dependencies(start):
            yield (start,), None
            return
        stack: list[tuple[tuple[ItemRef, ...], Iterator[ItemRef]]] = [
            ((start,), iter(self.dependencies(start)))
        ]
        while stack:
            path, rest = stack[-1]
            step = next(rest, None)
            if step is None:
                stack.pop()
            elif step in path:
                yield path, step
            elif further := self.dependencies(step):
                stack.append(((*path, step), iter(further)))
            else:
                yield (*path, step), None

    def around(self, hit: Iterable[ItemRef]) -> DependencyGraph:
        """The graph of `hit` and all that depends on them, with only the edges between those items."""
        inside = self.reach(hit, self.dependents)
        return DependencyGraph(
            {ref: tuple(d for d in self.dependencies(ref) if d in inside) for ref in inside}
        )

    @property
    def refs(self) -> tuple[ItemRef, ...]:
        """Every item that depends on something or that something depends on, or that `around` was given."""
        return tuple(dict.fromkeys([*self._needs, *self._needed_by]))
