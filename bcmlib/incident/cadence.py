"""When each audience of the plan's crisis communication is next owed a message, read from the log.

The first notice to an audience is due `first_within` after the incident opened; after that, an update is
due `every` after the last message recorded to that audience. Both come from the cadence of the level the
incident is at now, so a change of level changes the cadence from then on: raised to a level that wants
updates every 30 minutes, the next update is due 30 minutes after the last one, not two hours. Once the
incident is over, nothing more is due; its resolution is sent when the responders see fit.

The review (`message_dues`) asks the same of every message afterwards: each was due by the cadence of
the level in force when it went out, and one still owed when the incident ended, or now, was missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from bcmlib.analysis.communication import cadence_for
from bcmlib.incident.events import MESSAGE
from bcmlib.incident.log import LogRecord
from bcmlib.incident.reporting import LevelStretch, level_stretches
from bcmlib.models import Plan
from bcmlib.models.communication import Audience, MessageStage, UpdateCadence

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Incident

__all__ = [
    "AudienceClock",
    "MessageDue",
    "MessageOutcome",
    "audience_clock",
    "audience_clocks",
    "message_dues",
    "messages_to",
]


@dataclass(frozen=True)
class AudienceClock:
    """Where the messages to one audience stand: the last one sent, the next one's stage, when it is due."""

    audience: Audience
    cadence: UpdateCadence | None
    """The cadence of the incident's current level; None when the plan sets none for it."""
    last: LogRecord | None
    """The last message recorded to the audience, by when it went out."""
    stage: MessageStage
    """The stage of the next message: a first notice until one is recorded, a resolution once it is over."""
    due: datetime | None
    """When the next message is due; None when the level has no cadence or the incident is over."""

    def overdue(self, at: datetime) -> bool:
        """Whether the next message was due before `at`."""
        return self.due is not None and self.due < at


def messages_to(records: Sequence[LogRecord], audience: str) -> list[LogRecord]:
    """The messages recorded to `audience`, in the order they went out."""
    sent = [record for record in records if record.event == MESSAGE and record.audience == audience]
    return sorted(sent, key=lambda record: (record.at, record.seq))


def audience_clock(incident: Incident, audience: Audience) -> AudienceClock:
    """Where the messages to `audience` stand in `incident`."""
    sent = messages_to(incident.records, audience.id)
    last = sent[-1] if sent else None
    cadence = cadence_for(incident.plan, incident.level)
    stage: MessageStage = "first-notice" if last is None else "resolution" if incident.over else "update"
    due = None
    if not incident.over and incident.opening is not None:
        due = _due(cadence, incident.opening.at, last)
    return AudienceClock(audience, cadence, last, stage, due)


def _due(cadence: UpdateCadence | None, opened: datetime, previous: LogRecord | None) -> datetime | None:
    """When the next message is due after `previous` (None: the first notice), by `cadence`."""
    if cadence is None:
        return None
    return opened + cadence.first_within if previous is None else previous.at + cadence.every


MessageOutcome = Literal["met", "late", "missed", "pending", "no-deadline"]
"""Sent by when it was due, or after; not sent though due before the end (or now); not due yet; or due
at no time, as the level in force had no cadence or the incident was over."""


@dataclass(frozen=True)
class MessageDue:
    """A message an audience was owed, or was sent: its stage, when it was due, the record that sent it."""

    audience: Audience
    stage: MessageStage
    due: datetime | None
    sent: LogRecord | None
    """None for a message owed and not sent."""

    def outcome(self, at: datetime) -> MessageOutcome:
        """How it went, as of `at` (the end of the incident, or now while it runs)."""
        if self.due is None:
            return "no-deadline"
        if self.sent is not None:
            return "met" if self.sent.at <= self.due else "late"
        return "missed" if at > self.due else "pending"


def message_dues(incident: Incident, at: datetime) -> list[MessageDue]:
    """Every message each audience was sent, and the next one owed, with when each was due, as of `at`.

    A message was due by the cadence of the level in force when it went out; the one owed next, by the
    level in force at the end (when the incident is over) or at `at`. Once it is over nothing more is
    due, so a message owed after the end is not listed, and the resolution sent afterwards has no
    deadline. Audiences in the plan's order, each one's messages in the order they went out.
    """
    opening, communication = incident.opening, incident.plan.communication
    if opening is None or communication is None:
        return []
    stretches = level_stretches(incident.plan, incident.records)
    end = incident.state_since if incident.over else None
    dues: list[MessageDue] = []
    for audience in communication.audiences:
        previous: LogRecord | None = None
        for message in messages_to(incident.records, audience.id):
            after = end is not None and message.at > end
            cadence = None if after else _cadence_at(incident.plan, stretches, message.at)
            stage = message.stage or ("first-notice" if previous is None else "update")
            dues.append(MessageDue(audience, stage, _due(cadence, opening.at, previous), message))
            previous = message
        owed = _due(_cadence_at(incident.plan, stretches, end or at), opening.at, previous)
        if owed is not None and (end is None or owed < end):
            stage = "first-notice" if previous is None else "update"
            dues.append(MessageDue(audience, stage, owed, None))
    return dues


def _cadence_at(plan: Plan, stretches: Sequence[LevelStretch], at: datetime) -> UpdateCadence | None:
    """The cadence of the level the incident was at, at `at` (its first level before it opened)."""
    level = next((s.level.id for s in reversed(stretches) if s.since <= at), stretches[0].level.id)
    return cadence_for(plan, level)


def audience_clocks(incident: Incident) -> list[AudienceClock]:
    """Every audience of the plan, as the plan lists them, with where its messages stand."""
    communication = incident.plan.communication
    return (
        [audience_clock(incident, audience) for audience in communication.audiences] if communication else []
    )
