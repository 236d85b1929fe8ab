"""The reports an incident owes, from its log: to whom, from when, by when, and whether they were made.

A crisis level is reported to a role within a deadline (the level's `report_to` and `report_within`).
Each time the incident reaches a level (it opens there, or moves there) a report to that level's
`report_to` is owed, and it stays owed until a report is logged: a later change of level never erases
it. Where the seeds are silent, BCM practice decides, and the rule says so:

- A report discharges everything owed before it: it goes to the current level's recipient or higher,
  and carries all that happened so far.
- Nothing is owed when the person who brought the incident to the level holds the recipient role then:
  they know already (a top manager who lowers the level owes themself no report).
- A level with no deadline still owes its report, without a date to miss.
- A report is made to a person: the holder of the recipient role then, or, when that is the reporter,
  the recipient of the next more severe level (`recipient_for`), so a report to oneself never counts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bcmlib.incident.events import AVAILABLE, UNAVAILABLE
from bcmlib.incident.levels import level_ids
from bcmlib.incident.log import LogRecord
from bcmlib.incident.succession import Absence, holding
from bcmlib.models import CrisisLevel, ExternalParty, ExternalReport, Plan, Role, WorkflowTransition

__all__ = [
    "ExternalDuty",
    "LevelStretch",
    "ReportDuty",
    "ReportOutcome",
    "external_duties",
    "in_order",
    "level_stretches",
    "recipient_for",
    "report_duties",
    "with_absences",
]

ReportOutcome = Literal["met", "late", "missed", "pending", "no-deadline", "not-owed"]
"""Met or late (made after the deadline); missed (not made, deadline passed); pending (not made, still
time); no-deadline (the plan sets none); not-owed (the recipient brought the incident to the level)."""


@dataclass
class ReportDuty:
    """One report owed when the incident reached a level."""

    level: CrisisLevel
    recipient_role: Role
    arose_at: datetime
    """When the incident reached the level."""
    arose_by: str | None
    clock: Literal["alert", "confirmation"]
    """What starts the deadline, as the plan says (`report_clock`)."""
    clock_started: datetime | None
    """When the deadline started counting; None while the crisis awaits its confirmation."""
    known: bool
    """True when the person who brought the incident here held the recipient role: nothing is owed."""
    reported_at: datetime | None = None
    reported_by: str | None = None
    recipient: str | None = None
    """The person the report was made to."""

    @property
    def due(self) -> datetime | None:
        """When the report is due; None without a deadline or before its clock starts."""
        within = self.level.report_within
        return None if within is None or self.clock_started is None else self.clock_started + within

    @property
    def owed(self) -> bool:
        """True while the report is owed and not made."""
        return not self.known and self.reported_at is None

    def outcome(self, at: datetime) -> ReportOutcome:
        """Where the duty stands at `at`."""
        if self.known:
            return "not-owed"
        due = self.due
        if due is None:
            return "no-deadline"
        if self.reported_at is not None:
            return "met" if self.reported_at <= due else "late"
        return "missed" if at > due else "pending"


@dataclass(frozen=True)
class LevelStretch:
    """A stretch of the incident at one level: since when, until when, and who moved it there."""

    level: CrisisLevel
    since: datetime
    until: datetime | None
    by: str | None
    event: str


def in_order(records: Iterable[LogRecord]) -> list[LogRecord]:
    """Records in the order things happened: by `at`, then as written (events may be logged afterwards)."""
    return sorted(records, key=lambda record: (record.at, record.seq))


def with_absences(records: Iterable[LogRecord]) -> Iterator[tuple[LogRecord, Mapping[str, Absence]]]:
    """Records in the order things happened, each with who is out once it has happened."""
    out: dict[str, Absence] = {}
    for record in in_order(records):
        if record.event == UNAVAILABLE:
            out.update({person: Absence(person, record.since or record.at) for person in record.people})
        elif record.event == AVAILABLE:
            for person in record.people:
                out.pop(person, None)
        yield record, out


def _levels(plan: Plan) -> Mapping[str, CrisisLevel]:
    return plan.collections["crisis_levels"]


def report_duties(
    plan: Plan, records: Sequence[LogRecord], transitions: Mapping[str, WorkflowTransition]
) -> list[ReportDuty]:
    """Every report owed so far, in the order the duties arose, each with whether and when it was made."""
    duties: list[ReportDuty] = []
    level: str | None = None
    for record, out in with_absences(records):
        effect = transitions[record.event].effect if record.event in transitions else None
        if effect == "open" or (level is not None and record.level != level):
            duty = _duty(plan, record, opening=effect == "open", out=out)
            duties.extend([duty] if duty else [])
            level = record.level
        if effect == "confirm":
            for duty in duties:
                duty.clock_started = duty.clock_started or record.at
        if effect == "report":
            for duty in duties:
                if duty.owed:
                    duty.reported_at, duty.reported_by, duty.recipient = (
                        record.at,
                        record.by,
                        record.recipient,
                    )
    return duties


def _duty(plan: Plan, record: LogRecord, *, opening: bool, out: Collection[str]) -> ReportDuty | None:
    definition = _levels(plan)[record.level]
    if definition.report_to is None:
        return None
    role = plan.role(definition.report_to)
    # A move to a level later on is itself the confirmation of that level: its clock starts there.
    waits = opening and definition.report_clock == "confirmation"
    return ReportDuty(
        level=definition,
        recipient_role=role,
        arose_at=record.at,
        arose_by=record.by,
        clock=definition.report_clock,
        clock_started=None if waits else record.at,
        known=record.by is not None and holding(plan, role, out).person == record.by,
    )


def recipient_for(
    plan: Plan, level: str, reporter: str | None, unavailable: Iterable[str]
) -> tuple[Role, str] | None:
    """To whom `reporter` reports at `level`, as the recipient role and the person holding it now.

    The holder of the level's recipient role, or the recipient of the next more severe level when that is
    the reporter. Only when nobody above is left does the reporter's own knowledge count; None when the
    recipient role has nobody at all.
    """
    out = set(unavailable)
    levels = _levels(plan)
    order = level_ids(plan)
    found: list[tuple[Role, str]] = []
    # From `level` up to the most severe, which the plan lists first.
    for candidate in reversed(order[: order.index(level) + 1]):
        definition = levels[candidate]
        if definition.report_to is None:
            continue
        role = plan.role(definition.report_to)
        person = holding(plan, role, out).person
        if person is not None and person != reporter:
            return role, person
        found.extend([(role, person)] if person is not None else [])
    return found[0] if found else None


@dataclass(frozen=True)
class ExternalDuty:
    """A report owed to a party outside the company (`Plan.external_reports`), and from when."""

    report: ExternalReport
    party: ExternalParty
    arose_at: datetime
    """When the incident opened, or, for a report owed at some levels only, first reached one of them."""

    @property
    def due(self) -> datetime | None:
        """When the report is due; None where the plan sets no deadline."""
        return None if self.report.within is None else self.arose_at + self.report.within


def external_duties(plan: Plan, records: Sequence[LogRecord], scenario: str | None) -> list[ExternalDuty]:
    """The reports outside the company an incident owes, by its levels so far and its scenario's risk.

    A report for some risk categories is owed when the scenario (a risk scenario, or the risk a drill
    scenario rehearses) is of one of them, or of a sub-type of one. The log holds no trigger for such a
    report: whether it was made is for the reporting role to say, so each stays listed with its deadline.
    """
    categories = _categories(plan, scenario)
    reached: dict[str, datetime] = {}
    for record in in_order(records):
        reached.setdefault(record.level, record.at)
    opened = min(reached.values())
    parties = plan.collections["external_parties"]
    duties = []
    for report in plan.external_reports:
        if report.risk_categories and not categories.intersection(report.risk_categories):
            continue
        times = [reached[level] for level in report.levels if level in reached]
        if report.levels and not times:
            continue
        duties.append(ExternalDuty(report, parties[report.to], min(times, default=opened)))
    return duties


def _categories(plan: Plan, scenario: str | None) -> set[str]:
    """The risk category of an incident's scenario and, for a sub-type, the category it belongs to."""
    drill = plan.collections["drill_scenarios"].get(scenario or "")
    risk = plan.collections["risk_scenarios"].get((drill.risk if drill else scenario) or "")
    return set() if risk is None else plan.categories_of(risk)


def level_stretches(plan: Plan, records: Sequence[LogRecord]) -> list[LevelStretch]:
    """The incident's levels over time, in the order things happened."""
    stretches: list[LevelStretch] = []
    for record in in_order(records):
        if stretches and stretches[-1].level.id == record.level:
            continue
        if stretches:
            last = stretches[-1]
            stretches[-1] = LevelStretch(last.level, last.since, record.at, last.by, last.event)
        stretches.append(LevelStretch(_levels(plan)[record.level], record.at, None, record.by, record.event))
    return stretches
