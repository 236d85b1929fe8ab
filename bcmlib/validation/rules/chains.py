"""Each process's whole chain of dependencies recovers within its RTO, and every link says how long."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.analysis.chains import ChainPath, chains, unknown_times
from bcmlib.i18n import Msg
from bcmlib.locations import FieldPath
from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule


def _path_names(plan: Plan, path: ChainPath) -> str:
    """The path as its items' names joined by arrows, a cycle's return written as its last step."""
    items = (*path.items, path.loop) if path.loop else path.items
    return " → ".join(ref.item_in(plan).name for ref in items)


def _first_link(plan: Plan, index: int, path: ChainPath) -> FieldPath:
    """Where the process names the first step of `path`; its work recovery time if the path is itself."""
    if len(path.items) == 1:
        return ("processes", index, "work_recovery")
    step = path.items[1]
    listed = getattr(plan.processes[index].depends_on, step.collection)
    return ("processes", index, "depends_on", step.collection, listed.index(step.id))


@rule("PRC004", Severity.ERROR)
def slow_chain(plan: Plan, today: date) -> Iterator[Hit]:
    """A process's chain of dependencies takes longer to recover than the process's RTO."""
    found = chains(plan)
    for index, process in enumerate(plan.processes):
        chain = found[process.id]
        # Of processes sharing an identifier (REF002), the chain is the last one's: checked at its place.
        if chain.process is process and chain.verdict == "exceeds":
            path = chain.longest
            params = {
                "process": chain.process.name,
                "rto": chain.process.rto,
                "path": _path_names(plan, path),
                "total": path.known,
                # A broken path exceeds on its known part alone; the rest only adds to it.
                "bound": Msg("chains.at_least") if path.broken else "",
            }
            yield Hit(f"processes/{chain.process.id}", _first_link(plan, index, path), params)


@rule("PRC008", Severity.ERROR)
def slower_needed_process(plan: Plan, today: date) -> Iterator[Hit]:
    """A process needs another process whose RTO is longer than its own."""
    # The chain adds up recovery times, not targets: a process whose own target is later than the RTO
    # of the process that needs it promises a recovery order the plan cannot keep, whatever the times.
    rtos = {process.id: process.rto for process in plan.processes}
    for index, process in enumerate(plan.processes):
        if process.rto is None:
            continue
        for position, needed in enumerate(process.depends_on.processes):
            rto = rtos.get(needed)
            if rto is not None and rto > process.rto:
                params = {
                    "process": process.name,
                    "rto": process.rto,
                    "needed": plan.collections["processes"][needed].name,
                    "needed_rto": rto,
                }
                yield Hit(
                    f"processes/{process.id}",
                    ("processes", index, "depends_on", "processes", position),
                    params,
                )


@rule("DEP001", Severity.WARNING)
def unknown_recovery_time(plan: Plan, today: date) -> Iterator[Hit]:
    """A system, site or supplier on a process's chain has no recovery time, so its total is unknown."""
    for ref, processes in unknown_times(chains(plan)).items():
        # Its place in the plan's list (the collection's mapping drops a repeated identifier, REF002).
        index = next(i for i, item in enumerate(getattr(plan, ref.collection)) if item.id == ref.id)
        params = {"item": ref.item_in(plan).name, "processes": [process.name for process in processes]}
        yield Hit(str(ref), (ref.collection, index), params)
