"""Dependency chains: every path from a process down what it needs, its recovery time added up, and the RTO.

A path runs from a process through the processes it needs to a system, site or supplier (or to a process
that needs nothing). Its time is the work recovery time (`work_recovery`, WRT) of each process on it, the
first included, plus the recovery time of the system, site or supplier at its end: the process runs
again only once what it needs is back and its own work is redone. A process without a WRT counts as
no time, since most plans write none; a system, site or supplier without a recovery time breaks the
path instead, whose total is then unknown: only the part before it is known, and nothing takes it for
zero. Roles are left out: a person who is out is covered by the role's chain of backups (succession).

What a process needs recovers in parallel, so the longest path decides (as in the critical-path
method): it meets the RTO if no path is longer and none is broken, exceeds it if one is longer (even
one whose known part alone is), and is unknown while a path is broken. A path that comes back to a
process already on it (a cycle) ends there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from typing import Literal

from bcmlib.analysis.dependencies import DependencyGraph
from bcmlib.analysis.items import ItemRef
from bcmlib.models import Duration, Plan, Process

__all__ = ["MAX_PATHS", "Chain", "ChainPath", "Verdict", "chains", "unknown_times"]

MAX_PATHS = 1000
"""How many paths of one process are followed. Each process that two others need doubles the paths
through it; past this many, the rest are left out, and the chain says so, rather than running for ever."""

Verdict = Literal["meets", "exceeds", "unknown"]
"""How a chain compares with its process's RTO."""


@dataclass(frozen=True)
class ChainPath:
    """One path from a process to what it ends at, with the recovery time known along it."""

    items: tuple[ItemRef, ...]
    """The process first, then each item it leads to, the end last."""
    known: Duration
    """The time along it that the plan gives: the whole time, unless it is broken."""
    broken: bool
    """True when it ends at a system, site or supplier with no recovery time."""
    loop: ItemRef | None = None
    """The item already on it that its next step comes back to, where a cycle ends it."""

    @property
    def total(self) -> Duration | None:
        """Its whole recovery time, or None while it is broken."""
        return None if self.broken else self.known

    @property
    def end(self) -> ItemRef:
        """What it ends at."""
        return self.items[-1]

    def verdict(self, rto: timedelta) -> Verdict:
        """Whether it fits in `rto`: longer is `exceeds` even when broken, since the rest only adds."""
        if self.known > rto:
            return "exceeds"
        return "unknown" if self.broken else "meets"


@dataclass(frozen=True)
class Chain:
    """A process and every path of its chain, in the plan's order."""

    process: Process
    paths: tuple[ChainPath, ...]
    """At least one: a process that needs nothing is a path of its own."""
    cut: bool = False
    """True when the process has more than `MAX_PATHS` paths and only the first are here."""

    @property
    def longest(self) -> ChainPath:
        """The path with the most known time; the first of them on a tie."""
        return max(self.paths, key=lambda path: path.known)

    @property
    def verdict(self) -> Verdict | None:
        """How the chain compares with the process's RTO; None for a process without one."""
        rto = self.process.rto
        if rto is None:
            return None
        if self.longest.known > rto:
            return "exceeds"
        # A broken path, or one left out, could be longer than every path whose total is known.
        return "unknown" if self.broken or self.cut else "meets"

    @property
    def broken(self) -> bool:
        """True when a path of it ends at something with no recovery time."""
        return any(path.broken for path in self.paths)


def chains(plan: Plan) -> dict[str, Chain]:
    """The chain of each process of `plan`, by process identifier, in the plan's order.

    Computed once per plan (PRC004, DEP001 and the chains page all read it) and shared: not to be changed.
    """
    return plan.derived(_chains)


def _chains(plan: Plan) -> dict[str, Chain]:
    graph = DependencyGraph.of(plan)
    found = {}
    for process in plan.processes:
        walked = list(islice(graph.paths(ItemRef("process", process.id)), MAX_PATHS + 1))
        paths = tuple(_timed(plan, items, loop) for items, loop in walked[:MAX_PATHS])
        found[process.id] = Chain(process, paths, cut=len(walked) > MAX_PATHS)
    return found


def _timed(plan: Plan, items: tuple[ItemRef, ...], loop: ItemRef | None) -> ChainPath:
    """`items` with the work recovery time of its processes and the recovery time of its end added up."""
    known = sum((_own_time(plan, ref) or timedelta(0) for ref in items), timedelta(0))
    broken = items[-1].kind != "process" and _own_time(plan, items[-1]) is None
    return ChainPath(items, Duration.of(known), broken, loop)


def _own_time(plan: Plan, ref: ItemRef) -> Duration | None:
    """A process's work recovery time; a system's, site's or supplier's recovery time."""
    item = ref.item_in(plan)
    return item.work_recovery if isinstance(item, Process) else item.recovery_time


def unknown_times(found: dict[str, Chain]) -> dict[ItemRef, list[Process]]:
    """Each system, site or supplier without a recovery time, with the processes whose chains it breaks.

    In the order first met along the chains, each process once.
    """
    breaks: dict[ItemRef, dict[str, Process]] = {}
    for chain in found.values():
        for path in chain.paths:
            if path.broken:
                breaks.setdefault(path.end, {})[chain.process.id] = chain.process
    return {ref: list(processes.values()) for ref, processes in breaks.items()}
