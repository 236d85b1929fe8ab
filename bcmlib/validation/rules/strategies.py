"""Continuity strategies are ready within the RTO of what they recover, at the capacity its MBCO needs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.models import Plan, Process, Strategy
from bcmlib.validation.findings import Hit, Severity, rule

_MEASURES = ("ready_within", "lasts", "capacity")
"""What a strategy must say to be weighed: how soon, for how long, how much."""


def _recovered(plan: Plan, strategy: Strategy) -> list[Process]:
    """The processes a strategy recovers that the plan has (a dangling reference is REF001's)."""
    processes = plan.collections["processes"]
    return [processes[process_id] for process_id in strategy.processes if process_id in processes]


@rule("STR001", Severity.ERROR)
def ready_after_rto(plan: Plan, today: date) -> Iterator[Hit]:
    """A strategy takes longer to put in place than the RTO of a process it recovers."""
    for index, strategy in enumerate(plan.strategies):
        if strategy.ready_within is None:
            continue
        for process in _recovered(plan, strategy):
            if process.rto is not None and strategy.ready_within > process.rto:
                params = {
                    "strategy": strategy.name,
                    "ready": strategy.ready_within,
                    "process": process.name,
                    "rto": process.rto,
                }
                yield Hit(f"strategies/{strategy.id}", ("strategies", index, "ready_within"), params)


@rule("STR002", Severity.WARNING)
def below_mbco(plan: Plan, today: date) -> Iterator[Hit]:
    """A strategy reaches less capacity than the minimum (MBCO) of a process it recovers."""
    for index, strategy in enumerate(plan.strategies):
        if strategy.capacity is None:
            continue
        for process in _recovered(plan, strategy):
            mbco = process.mbco
            if mbco is not None and mbco.capacity is not None and strategy.capacity < mbco.capacity:
                params = {
                    "strategy": strategy.name,
                    "capacity": strategy.capacity,
                    "process": process.name,
                    "mbco": mbco.capacity,
                }
                yield Hit(f"strategies/{strategy.id}", ("strategies", index, "capacity"), params)


@rule("STR003", Severity.WARNING)
def unmeasured(plan: Plan, today: date) -> Iterator[Hit]:
    """A strategy does not say how soon it is in place, how long it lasts, or what capacity it reaches."""
    for index, strategy in enumerate(plan.strategies):
        missing = [field for field in _MEASURES if getattr(strategy, field) is None]
        if missing:
            params = {"strategy": strategy.name, "fields": missing}
            yield Hit(f"strategies/{strategy.id}", ("strategies", index), params)
