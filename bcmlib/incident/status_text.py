"""The status in words, line by line and by section: what the terminal prints and the status page shows.

Every time is shown in one zone, the zone of the incident's first record, and the head line names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from bcmlib.analysis.items import item_key
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.authority import describe_holding
from bcmlib.incident.cadence import AudienceClock
from bcmlib.incident.status import IncidentStatus
from bcmlib.models.values import spoken

__all__ = [
    "Line",
    "Section",
    "communication_lines",
    "due_line",
    "offset",
    "shown",
    "status_lines",
    "when",
]

Section = Literal["head", "command", "reports", "communication", "people", "warnings", "recovery", "next"]


@dataclass(frozen=True)
class Line:
    """One line of the status: its section, its text, and whether it needs acting on now."""

    section: Section
    text: str
    urgent: bool = False
    phones: tuple[str, ...] = ()
    """The phone numbers the text quotes, as written, for a page to make each one a call."""


def when(at: datetime, zone: tzinfo | None = None) -> str:
    """A time to the minute, in `zone` when given, so that one display uses one zone."""
    return f"{at.astimezone(zone) if zone else at:%Y-%m-%d %H:%M}"


def offset(at: datetime) -> str:
    """The zone of `at` as an offset, such as +08:00."""
    text = f"{at:%z}"
    return f"{text[:3]}:{text[3:]}" if text else ""


def shown(value: object | None) -> str:
    """A value as the plan writes it, or a dash when it is missing (a zero duration is not missing)."""
    return "—" if value is None else str(value)


def status_lines(current: IncidentStatus, lang: Lang) -> list[Line]:
    """The status of an incident as lines of text in `lang`."""
    running = current.incident
    plan = running.plan
    opening = running.records[0]
    zone = opening.at.tzinfo
    lines: list[Line] = []

    def add(
        section: Section, key: str, *, urgent: bool = False, phones: tuple[str, ...] = (), **params: object
    ) -> None:
        lines.append(Line(section, translate(key, lang, **params), urgent, phones))

    add(
        "head",
        "incident.status_head",
        drill=Msg("incident.drill_mark") if running.drill else "",
        scenario=opening.scenario or "—",
        level=current.level.id,
        level_name=current.level.name,
        opened=when(opening.at, zone),
        plan=opening.plan or "—",
        zone=offset(opening.at),
    )
    since = running.state_since or opening.at
    add("head", "incident.status_state", state=running.state_name(), since=when(since, zone))
    contacts = [
        f"{translate(f'handbook.runbook.channel.{channel.channel}', lang)} {channel.value}"
        for channel in current.commander_contacts
    ]
    add(
        "command",
        "incident.status_commander",
        phones=tuple(channel.value for channel in current.commander_contacts if channel.is_phone),
        holding=describe_holding(plan, current.commander),
        contacts=contacts or Msg("incident.no_contacts"),
    )
    for report in current.reports:
        duty = report.duty
        recipient = duty.recipient or report.recipient_now
        add(
            "reports",
            f"incident.status_report.{report.outcome}",
            urgent=report.outcome == "missed",
            level=duty.level.id,
            role=duty.recipient_role.name,
            person=running.person_name(recipient) if recipient else "—",
            due=when(duty.due, zone) if duty.due else "—",
            at=when(duty.reported_at, zone) if duty.reported_at else "—",
            clock=Msg(f"incident.clock.{duty.clock}"),
            by=running.person_name(duty.arose_by) if duty.arose_by else "—",
        )
    for owed in current.external:
        late = owed.due is not None and owed.due < current.at
        add(
            "reports",
            "incident.status_external." + ("late" if late else "due" if owed.due else "no_deadline"),
            urgent=late,
            phones=tuple(channel.value for channel in owed.party.phones),
            when=owed.report.when,
            role=plan.role(owed.report.by).name,
            party=owed.party.name,
            phones_shown=" ".join(channel.value for channel in owed.party.phones) or "—",
            due=when(owed.due, zone) if owed.due else "—",
        )
    lines.extend(communication_lines(current, lang))
    for absence in current.out:
        add(
            "people",
            "incident.status_out",
            person=running.person_name(absence.person),
            since=when(absence.since, zone),
        )
    for access in current.accesses:
        if access.opens_at is not None:
            key = "succession.access_open" if access.open else "succession.access_opens"
            access_state = Msg(key, {"at": when(access.opens_at, zone)})
            grantees: list[str | Msg] = [running.person_name(person) for person in access.grantees]
            add(
                "people",
                "incident.status_access",
                text=access.response.text,
                state=access_state,
                grantees=grantees or [Msg("incident.none")],
            )
    for overload in current.overloads:
        roles = [role.name for role in overload.roles]
        add(
            "warnings",
            "incident.warn_overload",
            urgent=True,
            person=running.person_name(overload.person),
            roles=roles,
        )
    for held in current.outsiders:
        person = running.person_name(held.person or "")
        add("warnings", "incident.warn_outsider", urgent=True, person=person, role=held.role.name)
    if current.clashes:
        add("warnings", "incident.warn_clash", urgent=True, seqs=[str(seq) for seq in current.clashes])
    if current.recovery:
        add("recovery", "incident.status_processes")
    for index, state in enumerate(current.recovery, start=1):
        item = state.item
        restored = state.restored_at
        add(
            "recovery",
            "incident.status_process",
            urgent=state.late and restored is None,
            index=index,
            name=item.name,
            id=item_key(item.ref),
            rto=shown(item.recovery_time),
            deadline=when(item.deadline, zone) if item.deadline else "—",
            state=Msg("incident.restored_at", {"at": when(restored, zone)})
            if restored
            else Msg("incident.waiting"),
            late=Msg("incident.late") if state.late else "",
        )
    if current.next:
        add("next", "incident.status_next")
    for trigger in current.next:
        who = (
            [describe_holding(plan, held) for held in trigger.holders]
            if trigger.holders
            else Msg("incident.anyone")
        )
        add(
            "next", "incident.status_trigger", id=trigger.transition.id, name=trigger.transition.name, who=who
        )
    return lines


def communication_lines(current: IncidentStatus, lang: Lang) -> list[Line]:
    """The level's update cadence, then for each audience when its next message is due; none without any."""
    if not current.messages:
        return []
    cadence = current.cadence
    if cadence is None:
        head = translate("messages.status_no_cadence", lang, level=current.level.id)
    else:
        head = translate(
            "messages.status_head",
            lang,
            level=current.level.id,
            first_within=spoken(cadence.first_within, lang),
            every=spoken(cadence.every, lang),
        )
    zone = current.incident.records[0].at.tzinfo
    due = [due_line(clock, current.at, zone, lang) for clock in current.messages]
    return [Line("communication", head), *due]


def due_line(clock: AudienceClock, at: datetime, zone: tzinfo | None, lang: Lang) -> Line:
    """When the next message to an audience is due as of `at`, overdue said as such, and the last one sent."""
    last = clock.last
    overdue = clock.overdue(at)
    key = "status_overdue" if overdue else "status_due" if clock.due else "status_open"
    last_sent = (
        Msg("messages.last", {"stage": Msg(f"messages.stage.{last.stage}"), "at": when(last.at, zone)})
        if last is not None and last.stage
        else Msg("messages.never")
    )
    text = translate(
        f"messages.{key}",
        lang,
        audience=clock.audience.name,
        stage=Msg(f"messages.stage.{clock.stage}"),
        due=when(clock.due, zone) if clock.due else "—",
        last=last_sent,
    )
    return Line("communication", text, overdue)
