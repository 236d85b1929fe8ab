"""An incident bound to its log file: read it to look, or hold it locked to fire triggers that append."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bcmlib.incident.log import append_record, locked, read_log
from bcmlib.incident.workflow import Incident
from bcmlib.models import Plan

__all__ = ["LoggedIncident", "logged_incident", "read_incident"]


@dataclass(frozen=True)
class LoggedIncident:
    """An incident rebuilt from a log, and the numbers of the log's torn lines, which do not count."""

    incident: Incident
    torn_lines: tuple[int, ...]


def read_incident(plan: Plan, path: Path) -> LoggedIncident:
    """The incident in the log at `path`, to look at; nothing is written."""
    contents = read_log(path)
    return LoggedIncident(Incident(plan, contents.records), contents.torn_lines)


@contextmanager
def logged_incident(
    plan: Plan, path: Path, *, on_wait: Callable[[], None] | None = None
) -> Iterator[LoggedIncident]:
    """The incident in the log at `path`, locked; each trigger it fires is on disk before it returns.

    Args:
        plan: The plan the incident is run by.
        path: The log.
        on_wait: Called once when another command holds the lock for more than about a second.

    Raises:
        IncidentError: `incident.log_locked` when the lock is not had within `BCM_LOCK_TIMEOUT` seconds.
    """
    with locked(path, on_wait=on_wait):
        contents = read_log(path)
        incident = Incident(plan, contents.records, write=lambda record: append_record(path, record))
        yield LoggedIncident(incident, contents.torn_lines)
