"""The after-action review of an incident or drill, computed from its log (ISO 22301 §8.5).

The review asks for RTO actual against target, RPO actual against target, how smoothly people coordinated, how
well the backup arrangements worked, and improvement actions. From the log: each item's recovery time runs
from when it was hit to when it was restored (events recorded after the fact count at the time they
happened); its RPO actual is the time between the hit and the point the restored data reaches back to,
when the restore recorded it; every report owed, with its recipient, met or missed; every message each
audience of the crisis communication was owed by the cadence, sent on time, late or not at all; the
levels over time; every role that passed to a backup (whoever acted in it). Coordination and improvement
actions are the reviewers' judgement, given to the review. The result is also an exercise record in the
plan's format, so drills and real incidents feed the KPIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from bcmlib.analysis.items import item_ref
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.authority import rank_message
from bcmlib.incident.cadence import MessageDue, MessageOutcome, message_dues
from bcmlib.incident.events import AVAILABLE, UNAVAILABLE
from bcmlib.incident.levels import most_severe
from bcmlib.incident.log import LogRecord
from bcmlib.incident.reporting import LevelStretch, ReportDuty, ReportOutcome, level_stretches, with_absences
from bcmlib.incident.succession import Holding, succession
from bcmlib.incident.workflow import Incident
from bcmlib.models import ActionItem, AfterActionReview, ExerciseRecord, ProcessResult
from bcmlib.models.values import Duration

__all__ = [
    "Action",
    "IncidentReview",
    "MessageReview",
    "Outcome",
    "ProcessOutcome",
    "ReportReview",
    "passed_roles",
    "review_incident",
]

Outcome = Literal["met", "missed", "pending", "not-restored"]
"""Met or missed the RTO; pending while its deadline has not passed; not-restored when the incident ended
without it (a miss for the KPI)."""


@dataclass(frozen=True)
class Action:
    """An improvement action the review decides: what, who owns it, by when."""

    text: str
    owner: str
    due: date


@dataclass(frozen=True)
class ProcessOutcome:
    """One item hit: when it was hit and restored, against its RTO and RPO."""

    key: str
    """The process's identifier, or `sites/warehouse` and the like."""
    name: str
    rto: Duration | None
    rpo: Duration | None
    hit_at: datetime
    restored_at: datetime | None
    data_as_of: datetime | None
    outcome: Outcome | None
    """None when it has no RTO to measure against."""

    @property
    def actual(self) -> timedelta | None:
        """How long it took to run again."""
        return None if self.restored_at is None else self.restored_at - self.hit_at

    @property
    def actual_text(self) -> str | None:
        """The recovery time as the plan writes durations."""
        return None if self.actual is None else str(Duration.of(self.actual))

    @property
    def rpo_actual(self) -> timedelta | None:
        """How much data was lost: from the point the restored data reaches back to, to the hit."""
        return None if self.data_as_of is None else max(self.hit_at - self.data_as_of, timedelta())

    @property
    def rpo_actual_text(self) -> str | None:
        """The data lost, as the plan writes durations."""
        return None if self.rpo_actual is None else str(Duration.of(self.rpo_actual))


@dataclass(frozen=True)
class ReportReview:
    """A report owed, and how it went."""

    duty: ReportDuty
    outcome: ReportOutcome


@dataclass(frozen=True)
class MessageReview:
    """A message an audience was owed or sent, and how it went."""

    due: MessageDue
    outcome: MessageOutcome


@dataclass(frozen=True)
class IncidentReview:
    """Everything the review finds, and the exercise record to add to the plan."""

    incident: Incident
    processes: tuple[ProcessOutcome, ...]
    reports: tuple[ReportReview, ...]
    messages: tuple[MessageReview, ...]
    timeline: tuple[LevelStretch, ...]
    backups: tuple[LogRecord, ...]
    """The records of actions taken by someone other than a role's primary."""
    record: ExerciseRecord

    @property
    def rto_achievement(self) -> tuple[int, int]:
        """Items that met their RTO, out of all with an RTO whose deadline passed (the RTO KPI)."""
        measured = [item for item in self.processes if item.outcome in ("met", "missed", "not-restored")]
        return sum(item.outcome == "met" for item in measured), len(measured)

    @property
    def highest_level(self) -> str:
        """The most severe level the incident reached."""
        return most_severe(self.incident.plan, (stretch.level.id for stretch in self.timeline))

    def as_data(self) -> dict[str, Any]:
        """The review as plain data, for `--format json`."""
        met, measured = self.rto_achievement
        return {
            "drill": self.incident.drill,
            "highest_level": self.highest_level,
            "levels": [
                {"level": s.level.id, "since": s.since.isoformat(), "until": s.until and s.until.isoformat()}
                for s in self.timeline
            ],
            "processes": [
                {
                    "item": item.key,
                    "name": item.name,
                    "rto": None if item.rto is None else str(item.rto),
                    "rto_actual": item.actual_text,
                    "rpo": None if item.rpo is None else str(item.rpo),
                    "rpo_actual": item.rpo_actual_text,
                    "outcome": item.outcome,
                }
                for item in self.processes
            ],
            "rto_achievement": {"met": met, "measured": measured},
            "reports": [
                {
                    "level": report.duty.level.id,
                    "role": report.duty.recipient_role.id,
                    "recipient": report.duty.recipient,
                    "due": report.duty.due and report.duty.due.isoformat(),
                    "reported_at": report.duty.reported_at and report.duty.reported_at.isoformat(),
                    "outcome": report.outcome,
                }
                for report in self.reports
            ],
            "messages": [
                {
                    "audience": message.due.audience.id,
                    "stage": message.due.stage,
                    "due": message.due.due and message.due.due.isoformat(),
                    "sent_at": message.due.sent and message.due.sent.at.isoformat(),
                    "by": message.due.sent and message.due.sent.by,
                    "outcome": message.outcome,
                }
                for message in self.messages
            ],
            "record": self.record.model_dump(mode="json", exclude_defaults=True),
        }


def review_incident(
    incident: Incident,
    now: datetime,
    lang: Lang = "zh",
    *,
    coordination: str | None = None,
    actions: Sequence[Action] = (),
) -> IncidentReview:
    """Review `incident` as of `now`; texts in the exercise record are written in `lang`.

    `coordination` (协调流畅度) and `actions` (改进项目) are the reviewers' own words, recorded as given.
    """
    ended = incident.state_since if incident.over else None
    # Everything down counts: what was hit, and what depends on it (the warehouse's processes).
    down = incident.affected()
    processes = tuple(_process(incident, key, down[key], ended or now, ended is not None) for key in down)
    reports = tuple(ReportReview(duty, duty.outcome(ended or now)) for duty in incident.reports())
    messages = tuple(MessageReview(due, due.outcome(ended or now)) for due in message_dues(incident, now))
    backups = tuple(record for record in incident.records if record.rank or record.fallback)
    timeline = tuple(level_stretches(incident.plan, incident.records))
    record = _exercise_record(
        incident, processes, reports, messages, backups, timeline, lang, coordination, actions
    )
    return IncidentReview(incident, processes, reports, messages, timeline, backups, record)


def _process(incident: Incident, key: str, hit_at: datetime, at: datetime, over: bool) -> ProcessOutcome:
    item = item_ref(key).item_in(incident.plan)
    rto: Duration | None = getattr(item, "rto", None) or getattr(item, "recovery_time", None)
    restored_at = incident.restored.get(key)
    outcome: Outcome | None = None
    if rto is not None:
        due = hit_at + rto
        if restored_at is not None:
            outcome = "met" if restored_at <= due else "missed"
        elif over:
            outcome = "not-restored"
        else:
            outcome = "missed" if at > due else "pending"
    data_as_of = next(
        (r.data_as_of for r in incident.records if key in r.processes and r.data_as_of is not None), None
    )
    return ProcessOutcome(
        key, item.name, rto, getattr(item, "rpo", None), hit_at, restored_at, data_as_of, outcome
    )


def passed_roles(incident: Incident) -> list[Holding]:
    """Every role that passed to a backup at some point of the incident, whether or not they acted in it.

    Whoever stood in for an absent person is what §8.3 asks about (备援机制可用性): the outside counsel who
    became the external liaison counts though the log shows no trigger of theirs.
    """
    passed: dict[tuple[str, str], Holding] = {}
    for record, absences in with_absences(incident.records):
        if record.event not in (UNAVAILABLE, AVAILABLE):
            continue
        for held in succession(incident.plan, absences.values(), record.at).holdings:
            if held.person is not None and held.rank and held.role.held_by is None:
                passed.setdefault((held.role.id, held.person), held)
    for record in incident.records:
        if record.fallback and record.acting_as and record.by:
            role = incident.plan.role(record.acting_as)
            passed.setdefault((role.id, record.by), Holding(role, record.by, None, (), record.fallback))
    return list(passed.values())


def _exercise_record(
    incident: Incident,
    outcomes: tuple[ProcessOutcome, ...],
    reports: tuple[ReportReview, ...],
    messages: tuple[MessageReview, ...],
    backups: tuple[LogRecord, ...],
    timeline: tuple[LevelStretch, ...],
    lang: Lang,
    coordination: str | None,
    actions: Sequence[Action],
) -> ExerciseRecord:
    opening = incident.records[0]
    collections = incident.plan.collections
    drill_scenario = collections["drill_scenarios"].get(opening.scenario or "")
    risk = drill_scenario.risk if drill_scenario else opening.scenario
    participants = list(dict.fromkeys(record.by for record in incident.records if record.by))
    acted = [
        translate(
            "review.backup_acted",
            lang,
            role=held.role.name,
            person=incident.person_name(held.person or ""),
            rank=rank_message(held.rank, held.fallback),
        )
        for held in passed_roles(incident)
    ]
    findings = (
        [
            translate(
                f"review.report_{report.outcome}",
                lang,
                level=report.duty.level.id,
                role=report.duty.recipient_role.name,
                due=f"{report.duty.due:%Y-%m-%d %H:%M}" if report.duty.due else "—",
            )
            for report in reports
            if report.outcome in ("missed", "late")
        ]
        + [
            translate(
                f"review.message_{message.outcome}",
                lang,
                audience=message.due.audience.name,
                stage=Msg(f"messages.stage.{message.due.stage}"),
                due=f"{message.due.due:%Y-%m-%d %H:%M}" if message.due.due else "—",
            )
            for message in messages
            if message.outcome in ("missed", "late")
        ]
        + [
            translate(f"review.rto_{item.outcome}", lang, process=item.name, rto=str(item.rto))
            for item in outcomes
            if item.outcome in ("missed", "not-restored")
        ]
    )
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
                    process=item.key,
                    rto_actual=None if item.actual is None else Duration.of(item.actual),
                    rpo_actual=None if item.rpo_actual is None else Duration.of(item.rpo_actual),
                    restored=item.restored_at is not None or item.outcome != "not-restored",
                )
                for item in outcomes
                if "/" not in item.key
            ],
            coordination=coordination,
            backup_availability=translate("review.backups", lang, acted=acted)
            if acted
            else translate("review.no_backups", lang),
            findings=findings,
            actions=[ActionItem(text=a.text, owner=a.owner, due=a.due) for a in actions],
        ),
    )
