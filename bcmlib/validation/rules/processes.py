"""Critical processes have recovery objectives, checked against their impact; data sets meet 3-2-1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.analysis.impact import effective_mtpd
from bcmlib.models import Plan, Process
from bcmlib.validation.findings import Hit, Severity, rule


def _critical(plan: Plan) -> Iterator[tuple[int, Process]]:
    return ((index, process) for index, process in enumerate(plan.processes) if process.critical)


def _critical_without(plan: Plan, field: str) -> Iterator[Hit]:
    """Critical processes that leave `field` empty."""
    for index, process in _critical(plan):
        if getattr(process, field) is None:
            yield Hit(f"processes/{process.id}", ("processes", index), {"process": process.name})


@rule("PRC001", Severity.ERROR)
def no_rto(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has no recovery time objective (RTO)."""
    return _critical_without(plan, "rto")


@rule("PRC002", Severity.ERROR)
def no_rpo(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has no recovery point objective (RPO)."""
    return _critical_without(plan, "rpo")


@rule("PRC003", Severity.ERROR)
def rto_not_before_mtpd(plan: Plan, today: date) -> Iterator[Hit]:
    """A process's RTO is not shorter than its MTPD (derived from its impact analysis, or the typed MAO)."""
    # At the MTPD the outage is already intolerable: a recovery that ends there ends too late.
    for index, process in enumerate(plan.processes):
        mtpd = effective_mtpd(plan, process)
        if process.rto is not None and mtpd is not None and process.rto >= mtpd:
            params = {"process": process.name, "rto": process.rto, "mtpd": mtpd}
            yield Hit(f"processes/{process.id}", ("processes", index, "rto"), params)


@rule("PRC005", Severity.WARNING)
def no_mtpd(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has no MTPD, derived or typed (MAO), so its RTO cannot be checked against it."""
    for index, process in _critical(plan):
        if effective_mtpd(plan, process) is None:
            yield Hit(f"processes/{process.id}", ("processes", index), {"process": process.name})


@rule("PRC006", Severity.WARNING, readiness="8.4.5")
def no_owner(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has no owner role to lead its recovery."""
    return _critical_without(plan, "owner")


@rule("PRC007", Severity.WARNING)
def rto_beyond_target(plan: Plan, today: date) -> Iterator[Hit]:
    """A process's RTO is longer than the recovery time the plan promises for all of them."""
    target = plan.document.target_rto
    if target is None:
        return
    for index, process in _critical(plan):
        if process.rto is not None and process.rto > target:
            params = {"process": process.name, "rto": process.rto, "target": target}
            yield Hit(f"processes/{process.id}", ("processes", index, "rto"), params)


@rule("BAK001", Severity.ERROR)
def not_three_two_one(plan: Plan, today: date) -> Iterator[Hit]:
    """A data set does not meet 3-2-1: three copies, on two kinds of media, one of them offsite."""
    for index, backup in enumerate(plan.data_backups):
        if not backup.meets_three_two_one:
            params = {
                "data": backup.name,
                "copies": len(backup.copies),
                "media": backup.media,
                "offsite": backup.offsite,
            }
            yield Hit(f"data_backups/{backup.id}", ("data_backups", index, "copies"), params)


@rule("BAK003", Severity.ERROR)
def copies_older_than_rpo(plan: Plan, today: date) -> Iterator[Hit]:
    """A data set's backups are refreshed less often than the RPO of a process that uses its data."""
    for index, backup in enumerate(plan.data_backups):
        process, every = plan.strictest_rpo(backup), backup.refreshed_every
        if process is not None and every is not None and process.rpo is not None and every > process.rpo:
            params = {"data": backup.name, "every": every, "process": process.name, "rpo": process.rpo}
            yield Hit(f"data_backups/{backup.id}", ("data_backups", index, "copies"), params)


@rule("BAK004", Severity.WARNING)
def copies_of_unknown_age(plan: Plan, today: date) -> Iterator[Hit]:
    """A data set's backups do not say how often they are refreshed, so no RPO can be checked against them."""
    for index, backup in enumerate(plan.data_backups):
        process = plan.strictest_rpo(backup)
        if process is not None and backup.refreshed_every is None:
            params = {"data": backup.name, "process": process.name, "rpo": process.rpo}
            yield Hit(f"data_backups/{backup.id}", ("data_backups", index, "copies"), params)
