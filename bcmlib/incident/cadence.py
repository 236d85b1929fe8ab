"""When each audience of the plan's crisis communication is next owed a message, read from the log.

The first notice to an audience is due `first_within` after the incident opened; after that, an update is
due `every` after the last message recorded to that audience. Both come from the cadence of the level the
incident is at now, so a change of level changes the cadence from then on: raised to a level that wants
updates every 30 minutes, the next update is due 30 minutes after the last one, not two hours. Once the
incident is over, nothing more is due; its resolution is sent when the responders see fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bcmlib.analysis.communication import cadence_for
from bcmlib.incident.events import MESSAGE
from bcmlib.incident.log import LogRecord
from bcmlib.models.communication import Audience, MessageStage, UpdateCadence

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Incident

__all__ = ["AudienceClock", "audience_clock", "audience_clocks", "messages_to"]


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
    if cadence is not None and not incident.over and incident.opening is not None:
        due = incident.opening.at + cadence.first_within if last is None else last.at + cadence.every
    return AudienceClock(audience, cadence, last, stage, due)


def audience_clocks(incident: Incident) -> list[AudienceClock]:
    """Every audience of the plan, as the plan lists them, with where its messages stand."""
    communication = incident.plan.communication
    return (
        [audience_clock(incident, audience) for audience in communication.audiences] if communication else []
    )
