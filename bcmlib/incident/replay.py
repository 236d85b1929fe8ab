"""Replaying an incident's log: each record moves the incident on, and must follow from where it stood.

The incident is rebuilt from its log by applying record after record; a command the incident accepts is
applied the same way once written, so the log and the state never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bcmlib.incident.errors import IncidentError
from bcmlib.incident.events import AVAILABLE, MESSAGE, UNAVAILABLE
from bcmlib.incident.levels import level_choices, logged_level
from bcmlib.incident.log import LogRecord
from bcmlib.incident.succession import Absence
from bcmlib.models import WorkflowTransition

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Incident

__all__ = ["replay"]


def replay(incident: Incident, record: LogRecord) -> None:
    """Apply a record of the log; one that does not follow from the state before it is an error.

    Two responders writing one log where the lock does not reach can both write the same number. The
    second such record may not follow from the state the first left: it is kept, its facts (level,
    what was hit or restored, who is out) count, and its move does not.
    """
    transition = incident.transitions.get(record.event)
    follows = _follows(incident, record, transition)
    clash = bool(incident.records) and record.seq == incident.records[-1].seq
    if not follows and not clash:
        raise IncidentError(
            "incident.log_inconsistent", seq=record.seq, event=record.event, state=incident.state
        )
    if clash and record.seq not in incident.clashes:
        incident.clashes.append(record.seq)
    effect = transition.effect if transition else None
    level = logged_level(incident.plan, record.level)
    if level is None:
        raise IncidentError(
            "incident.log_unknown_level",
            seq=record.seq,
            level=record.level,
            known=level_choices(incident.plan),
        )
    # Kept as the plan writes it (Ⅲ for a log's III), so every reader of the records finds the level.
    record = record.model_copy(update={"level": level}) if level != record.level else record
    incident.level = level
    if effect in ("open", "hit"):
        for item in record.processes:
            incident.hit.setdefault(item, record.at)
    if effect == "restore-process":
        down = incident.affected()
        for item in record.processes:
            incident.hit.setdefault(item, down.get(item, record.at))
            incident.restored.setdefault(item, record.at)
    if record.event == UNAVAILABLE:
        incident.absences.update(
            {person: Absence(person, record.since or record.at) for person in record.people}
        )
    for person in record.people if record.event == AVAILABLE else ():
        incident.absences.pop(person, None)
    incident.records.append(record)
    if follows:
        incident.state = record.dest


def _follows(incident: Incident, record: LogRecord, transition: WorkflowTransition | None) -> bool:
    if record.source != incident.state:
        return False
    if transition is None:
        return (
            record.event in (UNAVAILABLE, AVAILABLE, MESSAGE)
            and record.dest == record.source
            and bool(incident.records)
        )
    opening = transition.effect == "open"
    return (
        opening == (not incident.records)
        and record.source in transition.source
        and record.dest == (transition.dest or record.source)
    )
