"""The order to recover interrupted processes in, each with its deadline.

SOP-19 §9 recovers by priority class (people safety, compliance, customer shipping, payments, internal
operations, as the plan lists its classes); within a class the shorter RTO goes first, then the shorter RPO,
then the order the plan lists its processes in. A process without an RTO or RPO comes after those with one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bcmlib.incident.errors import IncidentError
from bcmlib.models import Plan, PriorityClass, Process

__all__ = ["RecoveryItem", "recovery_order"]

_NEVER = timedelta.max


@dataclass(frozen=True)
class RecoveryItem:
    """A process to recover, its priority class, and the time by which it must run again."""

    process: Process
    priority: PriorityClass
    deadline: datetime | None
    """The start of the interruption plus the RTO; None when the process has no RTO."""


def recovery_order(
    plan: Plan, hit: Iterable[str], start: datetime | None, *, hit_at: Mapping[str, datetime] | None = None
) -> list[RecoveryItem]:
    """The processes in `hit` (identifiers) in the order to recover them after an interruption at `start`.

    A process interrupted later than `start` has its deadline counted from its own time in `hit_at`;
    with no `start`, there are no deadlines (the order alone, as the handbook prints it).
    """
    hit = list(hit)
    processes = plan.collections["processes"]
    unknown = [process_id for process_id in hit if process_id not in processes]
    if unknown:
        raise IncidentError("incident.unknown_process", name=", ".join(unknown), known=", ".join(processes))
    classes = plan.collections["priority_classes"]
    class_rank = {class_id: rank for rank, class_id in enumerate(classes)}
    plan_rank = {process_id: rank for rank, process_id in enumerate(processes)}

    def key(process: Process) -> tuple[int, timedelta, timedelta, int]:
        return (
            class_rank.get(process.priority, len(class_rank)),
            _NEVER if process.rto is None else process.rto,
            _NEVER if process.rpo is None else process.rpo,
            plan_rank[process.id],
        )

    chosen = sorted({process_id: processes[process_id] for process_id in hit}.values(), key=key)
    return [
        RecoveryItem(
            process,
            classes[process.priority],
            _deadline(process, (hit_at or {}).get(process.id, start)),
        )
        for process in chosen
    ]


def _deadline(process: Process, start: datetime | None) -> datetime | None:
    return None if process.rto is None or start is None else start + process.rto
