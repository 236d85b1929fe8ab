"""The plan's KPIs (performance evaluation, ISO 22301 §9.1), computed from the plan's records, never typed in.

Each KPI names its `formula`; the value is a count over a count as of a day, with the records dated up
to that day. A KPI none of the formulas computes keeps the values measured by hand in its `records`; the
latest one up to the day counts. A KPI whose records are missing says which, instead of showing a
number. The annual KPIs (RTO achievement, drill completion) count the calendar year of the day; the
others are the state on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bcmlib.i18n import Msg
from bcmlib.models import Kpi, KpiRecord, Plan

__all__ = ["KpiValue", "kpi_trend", "kpi_value"]

_DAYS_A_YEAR = 365


@dataclass(frozen=True)
class KpiValue:
    """A KPI's value as of a day: `met` of `total`, or what data is missing to compute it."""

    kpi: Kpi
    met: int = 0
    total: int = 0
    missing: Msg | None = None
    """Why there is no value: the records the formula needs and the plan does not hold."""
    breakdown: Msg | None = None
    """How the count splits, where the formula mixes kinds of record (real incidents and drills)."""
    recorded: KpiRecord | None = None
    """The value measured by hand that counts, for a KPI without a formula."""

    @property
    def percent(self) -> float | None:
        """The value in percent, or None when it cannot be computed."""
        if self.recorded is not None:
            return self.recorded.value
        return None if self.missing is not None or not self.total else 100 * self.met / self.total

    @property
    def on_target(self) -> bool | None:
        """Whether the value reaches the target; None without a value."""
        percent = self.percent
        return None if percent is None else percent >= self.kpi.target


Formula = Callable[[Plan, Kpi, date], KpiValue]


def kpi_value(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """The KPI's value as of `as_of`."""
    if kpi.formula is None:
        if not kpi.records:
            return KpiValue(kpi, missing=Msg("kpi.missing.no_formula"))
        latest = max((r for r in kpi.records if r.on <= as_of), key=lambda r: r.on, default=None)
        if latest is None:
            return KpiValue(kpi, missing=Msg("kpi.missing.no_record", {"date": as_of.isoformat()}))
        return KpiValue(kpi, recorded=latest)
    return _FORMULAS[kpi.formula](plan, kpi, as_of)


def kpi_trend(plan: Plan, kpi: Kpi, as_of: date) -> list[tuple[int, float | None]]:
    """The KPI's value at the end of each calendar year with records, up to `as_of`'s year."""
    first = min(_record_days(plan), default=as_of).year
    return [
        (year, kpi_value(plan, kpi, min(date(year, 12, 31), as_of)).percent)
        for year in range(first, as_of.year + 1)
    ]


def _record_days(plan: Plan) -> list[date]:
    """Every day the plan's records are dated: exercises, restore tests, training, reviews."""
    return [
        *(record.date for record in plan.exercises.records),
        *(test.date for backup in plan.data_backups for test in backup.restore_tests),
        *(record.date for record in plan.training.records),
        *(review.date for review in plan.document.reviews),
        *(record.on for kpi in plan.kpis for record in kpi.records),
    ]


def _this_year(day: date, as_of: date) -> bool:
    """Whether `day` falls in the calendar year of `as_of`, up to `as_of`: an annual KPI's records."""
    return date(as_of.year, 1, 1) <= day <= as_of


def _rto_achievement(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """Recoveries of critical processes this year that met the RTO, of every recovery on record.

    Every result counts, real incidents and drills alike, and one never replaces another: a later drill's
    good time does not erase a real incident's miss. A process the incident ended without restoring is a
    miss. The breakdown tells real incidents from drills.
    """
    counts = {True: [0, 0], False: [0, 0]}  # drill -> [met, measured]
    processes = plan.collections["processes"]
    for record in plan.exercises.records:
        if record.review is None or not _this_year(record.date, as_of):
            continue
        for result in record.review.results:
            process = processes.get(result.process)
            if not (process and process.critical and process.rto is not None):
                continue
            if result.restored and result.rto_actual is None:
                continue  # not measured
            tally = counts[record.drill]
            tally[0] += result.restored and result.rto_actual is not None and result.rto_actual <= process.rto
            tally[1] += 1
    met, total = counts[False][0] + counts[True][0], counts[False][1] + counts[True][1]
    if not total:
        return KpiValue(kpi, missing=Msg("kpi.missing.rto_actual", {"year": as_of.year}))
    (real_met, real), (drill_met, drills) = counts[False], counts[True]
    split = {"real_met": real_met, "real": real, "drill_met": drill_met, "drills": drills}
    return KpiValue(kpi, met, total, breakdown=Msg("kpi.breakdown.rto", split))


def _backup_completeness(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """Data sets that meet 3-2-1 and have passed a restore test, of all data sets."""
    if not plan.data_backups:
        return KpiValue(kpi, missing=Msg("kpi.missing.data_backups"))
    met = sum(
        backup.meets_three_two_one and any(t.passed and t.date <= as_of for t in backup.restore_tests)
        for backup in plan.data_backups
    )
    return KpiValue(kpi, met, len(plan.data_backups))


def _backup_training(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """Backup people who have done the backup course, of all backup people."""
    course = plan.training.backup_course
    if course is None:
        return KpiValue(kpi, missing=Msg("kpi.missing.backup_course"))
    backups = {person for role in plan.roles for person in role.backups}
    if not backups:
        return KpiValue(kpi, missing=Msg("kpi.missing.backups"))
    trained = {r.person for r in plan.training.records if r.course == course and r.date <= as_of}
    return KpiValue(kpi, len(backups & trained), len(backups))


def _drill_completion(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """Exercises held this year, of those the programme asks for in a year (each type counted to its due)."""
    kinds = plan.exercises.kinds
    if not kinds:
        return KpiValue(kpi, missing=Msg("kpi.missing.exercise_kinds"))
    met = total = 0
    for kind in kinds:
        required = max(1, round(kind.min_times * _DAYS_A_YEAR / kind.every.days))
        held = sum(
            1
            for record in plan.exercises.records
            if record.kind == kind.id and _this_year(record.date, as_of)
        )
        met += min(held, required)
        total += required
    return KpiValue(kpi, met, total)


def _document_sync(plan: Plan, kpi: Kpi, as_of: date) -> KpiValue:
    """Related documents brought in line with the current version, of all related documents."""
    recorded = [document for document in plan.documents if document.synced_with is not None]
    if not recorded:
        return KpiValue(kpi, missing=Msg("kpi.missing.synced_with"))
    version = plan.document.version
    return KpiValue(kpi, sum(d.synced_with == version for d in plan.documents), len(plan.documents))


_FORMULAS: dict[str, Formula] = {
    "rto-achievement": _rto_achievement,
    "backup-completeness": _backup_completeness,
    "backup-training": _backup_training,
    "drill-completion": _drill_completion,
    "document-sync": _document_sync,
}
