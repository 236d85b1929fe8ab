"""The after-action review of an incident or drill, computed from its log.

Each process's actual recovery time is measured from when it was hit to when it was marked restored, and
compared with its RTO; each level's report is compared with its deadline, counted from when the incident
reached that level. The result is also an exercise record in the plan's own format, so drills and real
incidents feed the KPI "RTO achievement rate" (SOP-19 §8.3, §11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.log import LogRecord
from bcmlib.incident.workflow import Incident
from bcmlib.models import AfterActionReview, CrisisLevel, ExerciseRecord, Process, ProcessResult
from bcmlib.models.values import Duration

__all__ = ["IncidentReview", "Outcome", "ProcessOutcome", "ReportOutcome", "review_incident"]

Outcome = Literal["met", "missed", "pending", "superseded"]
"""Met or missed; pending while the deadline has not passed; superseded when the level changed first."""


@dataclass(frozen=True)
class ProcessOutcome:
    """One process: when it was hit and restored, against its RTO."""

    process: Process
    hit_at: datetime
    restored_at: datetime | None
    outcome: Outcome | None
    """None when the process has no RTO to measure against."""

    @property
    def actual(self) -> timedelta | None:
        """How long it took to run again."""
        return None if self.restored_at is None else self.restored_at - self.hit_at


@dataclass(frozen=True)
class ReportOutcome:
    """One level's report: when it was due and when it was made."""

    level: CrisisLevel
    due: datetime
    reported_at: datetime | None
    outcome: Outcome


@dataclass(frozen=True)
class IncidentReview:
    """Everything the review finds, and the exercise record to add to the plan."""

    incident: Incident
    processes: tuple[ProcessOutcome, ...]
    reports: tuple[ReportOutcome, ...]
    backups: tuple[LogRecord, ...]
    """The records of actions a backup took in a role's place."""
    record: ExerciseRecord

    @property
    def rto_achievement(self) -> tuple[int, int]:
        """Processes that met their RTO, out of those measured (SOP-19 §11 RTO 达成率)."""
        measured = [item for item in self.processes if item.outcome in ("met", "missed")]
        return sum(item.outcome == "met" for item in measured), len(measured)


def _outcome(due: datetime, done: datetime | None, now: datetime) -> Outcome:
    if done is not None:
        return "met" if done <= due else "missed"
    return "missed" if now > due else "pending"


def review_incident(incident: Incident, now: datetime, lang: Lang = "zh") -> IncidentReview:
    """Review `incident` as of `now`; texts in the exercise record are written in `lang`."""
    processes = incident.plan.collections["processes"]
    outcomes = []
    for process_id, hit_at in incident.hit.items():
        process: Process = processes[process_id]
        restored_at = incident.restored.get(process_id)
        outcome = None if process.rto is None else _outcome(hit_at + process.rto, restored_at, now)
        outcomes.append(ProcessOutcome(process, hit_at, restored_at, outcome))
    reports = tuple(_reports(incident, now))
    backups = tuple(record for record in incident.records if record.rank)
    return IncidentReview(
        incident,
        tuple(outcomes),
        reports,
        backups,
        _exercise_record(incident, outcomes, reports, backups, lang),
    )


def _reports(incident: Incident, now: datetime) -> list[ReportOutcome]:
    """Each stretch of the incident at one level, with its report against the deadline."""
    stretches: list[tuple[str, datetime, datetime | None]] = []
    level: str | None = None
    for record in incident.records:
        if record.level != level:
            stretches.append((record.level, record.at, None))
            level = record.level
        elif incident.transitions.get(record.event) and incident.transitions[record.event].effect == "report":
            at_level, since, reported = stretches[-1]
            stretches[-1] = (at_level, since, reported or record.at)
    results = []
    for index, (at_level, since, reported) in enumerate(stretches):
        definition: CrisisLevel = incident.plan.collections["crisis_levels"][at_level]
        if definition.report_to is None or definition.report_within is None:
            continue
        due = since + definition.report_within
        left = stretches[index + 1][1] if index + 1 < len(stretches) else None
        if reported is None and left is not None and left <= due:
            outcome: Outcome = "superseded"
        else:
            outcome = _outcome(due, reported, left or now)
        results.append(ReportOutcome(definition, due, reported, outcome))
    return results


def _exercise_record(
    incident: Incident,
    outcomes: list[ProcessOutcome],
    reports: tuple[ReportOutcome, ...],
    backups: tuple[LogRecord, ...],
    lang: Lang,
) -> ExerciseRecord:
    opening = incident.records[0]
    collections = incident.plan.collections
    drill_scenario = collections["drill_scenarios"].get(opening.scenario or "")
    risk = drill_scenario.risk if drill_scenario else opening.scenario
    participants = list(dict.fromkeys(record.by for record in incident.records if record.by))
    roles = collections["roles"]
    acted = [
        Msg(
            "review.backup_acted",
            {
                "role": roles[record.acting_as].name,
                "person": incident.person_name(record.by),
                "rank": record.rank,
                "event": record.event,
            },
        )
        for record in backups
        if record.acting_as and record.by
    ]
    findings = [
        translate(
            "review.report_missed",
            lang,
            level=report.level.id,
            role=roles[report.level.report_to or ""].name,
            due=f"{report.due:%Y-%m-%d %H:%M}",
        )
        for report in reports
        if report.outcome == "missed"
    ] + [
        translate("review.rto_missed", lang, process=item.process.name, rto=str(item.process.rto))
        for item in outcomes
        if item.outcome == "missed"
    ]
    kind = "drill" if opening.drill else "incident"
    return ExerciseRecord(
        id=f"{kind}-{opening.at:%Y%m%d-%H%M}",
        date=opening.at.date(),
        kind=opening.exercise_kind,
        scenario=drill_scenario.id if drill_scenario else None,
        risk=risk,
        drill=opening.drill,
        participants=participants,
        review=AfterActionReview(
            results=[
                ProcessResult(
                    process=item.process.id,
                    rto_actual=None if item.actual is None else Duration.of(item.actual),
                )
                for item in outcomes
            ],
            backup_availability=translate("review.backups", lang, acted=acted)
            if acted
            else translate("review.no_backups", lang),
            findings=findings,
        ),
    )
