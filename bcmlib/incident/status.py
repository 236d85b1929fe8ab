"""Where an incident stands at a moment, as data: what a commander needs, for the CLI, a page or a tool.

`Incident.status(at)` builds it; the CLI only formats it (text, JSON, or one self-contained HTML page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bcmlib.analysis.communication import cadence_for
from bcmlib.analysis.items import item_key
from bcmlib.incident.cadence import AudienceClock, audience_clocks
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.incident.reporting import (
    ExternalDuty,
    LevelStretch,
    ReportDuty,
    ReportOutcome,
    external_duties,
    level_stretches,
)
from bcmlib.incident.succession import (
    Absence,
    AccessState,
    Holding,
    Overload,
    holding,
    outsiders_in_command,
    overloads,
    succession,
)
from bcmlib.models import ContactChannel, CrisisLevel, WorkflowTransition
from bcmlib.models.communication import UpdateCadence

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Incident

__all__ = ["IncidentStatus", "RecoveryState", "ReportState", "TriggerState", "incident_status"]


@dataclass(frozen=True)
class ReportState:
    """A report owed, and where it stands at the moment of the status."""

    duty: ReportDuty
    outcome: ReportOutcome
    recipient_now: str | None
    """Who would receive it now (the holder of the recipient role); None when nobody holds it."""


@dataclass(frozen=True)
class RecoveryState:
    """One item of the recovery order: when it was hit, whether it runs again, whether it is late."""

    item: RecoveryItem
    hit_at: datetime | None
    restored_at: datetime | None
    late: bool
    """True when its deadline has passed and it is not restored (or was restored after it)."""


@dataclass(frozen=True)
class TriggerState:
    """A trigger that can be fired now, and who may fire it."""

    transition: WorkflowTransition
    holders: tuple[Holding, ...]
    """Empty for a trigger anyone may fire."""


@dataclass(frozen=True)
class IncidentStatus:
    """Everything the status shows, as of `at`."""

    incident: Incident
    at: datetime
    level: CrisisLevel
    commander: Holding
    commander_contacts: tuple[ContactChannel, ...]
    reports: tuple[ReportState, ...]
    external: tuple[ExternalDuty, ...]
    """The reports owed to parties outside the company, each with its deadline."""
    recovery: tuple[RecoveryState, ...]
    out: tuple[Absence, ...]
    accesses: tuple[AccessState, ...]
    overloads: tuple[Overload, ...]
    outsiders: tuple[Holding, ...]
    """Outside parties who hold a command role now."""
    timeline: tuple[LevelStretch, ...]
    clashes: tuple[int, ...]
    next: tuple[TriggerState, ...]
    cadence: UpdateCadence | None = None
    """The update cadence of the current level; None when the plan sets none."""
    messages: tuple[AudienceClock, ...] = ()
    """Each audience of the plan's crisis communication, with when its next message is due."""

    @property
    def overdue(self) -> bool:
        """True when a report is missed, a recovery is late or a message to an audience is overdue."""
        return (
            any(report.outcome == "missed" for report in self.reports)
            or any(item.late for item in self.recovery)
            or any(clock.overdue(self.at) for clock in self.messages)
        )

    def as_data(self) -> dict[str, Any]:
        """The status as plain data (identifiers and names, times in ISO 8601), for `--format json`."""
        incident = self.incident
        plan = incident.plan
        opening = incident.records[0]

        def person(person_id: str | None) -> dict[str, str] | None:
            return None if person_id is None else {"id": person_id, "name": plan.person(person_id).name}

        def when(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "at": when(self.at),
            "drill": incident.drill,
            "scenario": opening.scenario,
            "opened": when(opening.at),
            "plan": opening.plan,
            "state": {"id": incident.state, "name": incident.state_name()},
            "over": incident.over,
            "level": {"id": self.level.id, "name": self.level.name},
            "commander": {
                "role": {"id": self.commander.role.id, "name": self.commander.role.name},
                "person": person(self.commander.person),
                "rank": self.commander.rank,
                "standing_in": self.commander.fallback,
                "contacts": [{"channel": c.channel, "value": c.value} for c in self.commander_contacts],
            },
            "reports": [
                {
                    "level": report.duty.level.id,
                    "role": {"id": report.duty.recipient_role.id, "name": report.duty.recipient_role.name},
                    "recipient": person(report.duty.recipient or report.recipient_now),
                    "clock": report.duty.clock,
                    "clock_started": when(report.duty.clock_started),
                    "due": when(report.duty.due),
                    "reported_at": when(report.duty.reported_at),
                    "outcome": report.outcome,
                }
                for report in self.reports
            ],
            "external_reports": [
                {
                    "id": duty.report.id,
                    "when": duty.report.when,
                    "to": {"id": duty.party.id, "name": duty.party.name},
                    "phones": [c.value for c in duty.party.phones],
                    "by": {"id": duty.report.by, "name": plan.role(duty.report.by).name},
                    "arose_at": when(duty.arose_at),
                    "due": when(duty.due),
                }
                for duty in self.external
            ],
            "recovery": [
                {
                    "kind": item.item.kind,
                    "id": item.item.id,
                    "name": item.item.name,
                    "priority": item.item.priority.name if item.item.priority else None,
                    "recovery_time": _text(item.item.recovery_time),
                    "deadline": when(item.item.deadline),
                    "hit": item.item.hit,
                    "hit_at": when(item.hit_at),
                    "restored_at": when(item.restored_at),
                    "late": item.late,
                }
                for item in self.recovery
            ],
            "out": [{"person": person(a.person), "since": when(a.since)} for a in self.out],
            "emergency_access": [
                {"text": access.response.text, "open": access.open, "opens_at": when(access.opens_at)}
                for access in self.accesses
            ],
            "warnings": {
                "overloaded": [
                    {"person": person(o.person), "roles": [role.name for role in o.roles]}
                    for o in self.overloads
                ],
                "outsiders_in_command": [
                    {"person": person(held.person), "role": held.role.name} for held in self.outsiders
                ],
                "clashes": list(self.clashes),
            },
            "timeline": [
                {"level": stretch.level.id, "since": when(stretch.since), "by": person(stretch.by)}
                for stretch in self.timeline
            ],
            "communication": {
                "cadence": None
                if self.cadence is None
                else {"first_within": str(self.cadence.first_within), "every": str(self.cadence.every)},
                "audiences": [
                    {
                        "id": clock.audience.id,
                        "name": clock.audience.name,
                        "stage": clock.stage,
                        "due": when(clock.due),
                        "overdue": clock.overdue(self.at),
                        "last": None
                        if clock.last is None
                        else {
                            "at": when(clock.last.at),
                            "stage": clock.last.stage,
                            "by": person(clock.last.by),
                        },
                    }
                    for clock in self.messages
                ],
            },
            "next": [
                {
                    "trigger": trigger.transition.id,
                    "name": trigger.transition.name,
                    "who": [person(held.person) for held in trigger.holders if held.person],
                }
                for trigger in self.next
            ],
        }


def incident_status(incident: Incident, at: datetime) -> IncidentStatus:
    """Where `incident` stands at `at`."""
    plan = incident.plan
    unavailable = incident.unavailable(at)
    now = succession(plan, incident.absences.values(), at)
    commander = incident.commander(at)
    reports = tuple(
        ReportState(duty, duty.outcome(at), _recipient_now(incident, duty, at)) for duty in incident.reports()
    )
    opening = incident.records[0]
    order = recovery_order(plan, incident.hit, opening.at, hit_at=incident.hit) if incident.hit else []
    down = incident.affected()
    recovery = tuple(_recovery_state(incident, item, down, at) for item in order)
    available = [] if incident.over else incident.available_triggers()
    triggers = tuple(_trigger_state(incident, transition, at) for transition in available)
    holdings = now.holdings
    return IncidentStatus(
        incident=incident,
        at=at,
        level=incident.crisis_level,
        commander=commander,
        commander_contacts=tuple(plan.person(commander.person).contacts) if commander.person else (),
        reports=reports,
        external=tuple(external_duties(plan, incident.records, opening.scenario)),
        recovery=recovery,
        out=tuple(absence for absence in incident.absences.values() if absence.person in unavailable),
        accesses=now.accesses,
        overloads=tuple(overloads(plan, holdings)),
        outsiders=tuple(outsiders_in_command(plan, holdings)),
        timeline=tuple(level_stretches(plan, incident.records)),
        clashes=tuple(incident.clashes),
        next=triggers,
        cadence=cadence_for(plan, incident.level),
        messages=tuple(audience_clocks(incident)),
    )


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


def _recipient_now(incident: Incident, duty: ReportDuty, at: datetime) -> str | None:
    return holding(incident.plan, duty.recipient_role, incident.unavailable(at)).person


def _recovery_state(
    incident: Incident, item: RecoveryItem, down: dict[str, datetime], at: datetime
) -> RecoveryState:
    """`down` is when each item went down, hit itself or through what it depends on."""
    key = item_key(item.ref)
    restored = incident.restored.get(key)
    deadline = item.deadline
    late = deadline is not None and (restored or at) > deadline
    return RecoveryState(item, down.get(key), restored, late)


def _trigger_state(incident: Incident, transition: WorkflowTransition, at: datetime) -> TriggerState:
    if "anyone" in transition.by:
        return TriggerState(transition, ())
    return TriggerState(transition, tuple(incident.holders_for(transition, at)))
