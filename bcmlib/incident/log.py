"""The incident log: one JSON object per line, appended, flushed and fsynced, never rewritten.

A line counts once its newline is on disk. A process killed mid-write leaves a last line without one:
reading reports it as torn and keeps every line before it. The next append seals the torn line with a
newline and says in its own record which line it sealed, so the file keeps every byte ever written and a
damaged line anywhere else is still an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bcmlib.clock import now
from bcmlib.incident.errors import IncidentError

__all__ = ["LogContents", "LogRecord", "append_record", "locked", "read_log"]

Level = Literal["I", "II", "III"]


class LogRecord(BaseModel):
    """One line of the log: who did what, when, from which state to which, at which level."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    seq: int = Field(ge=1)
    """The record's number, counting from 1."""
    at: AwareDatetime
    """When it happened."""
    event: str
    """The trigger fired, or `unavailable` / `available`."""
    by: str | None = None
    """The person who did it; empty when someone outside the plan raised the alert."""
    acting_as: str | None = None
    """The role under whose authority they acted."""
    rank: int | None = None
    """Their place in that role's chain: 0 for the primary, 1 for the first backup, and so on."""
    source: str = Field(alias="from")
    """The state before."""
    dest: str = Field(alias="to")
    """The state after."""
    level: Level
    """The crisis level after."""
    drill: bool
    """True for a drill: every record says so."""
    note: str | None = None
    """Why, in the actor's words."""
    processes: list[str] = []
    """The processes hit or restored."""
    people: list[str] = []
    """The people who became unavailable or available again."""
    since: AwareDatetime | None = None
    """Since when the people are unavailable, where it was before the record."""
    scenario: str | None = None
    """The risk or drill scenario (first record)."""
    exercise_kind: str | None = None
    """The kind of exercise, for a drill (first record)."""
    plan: str | None = None
    """The plan's number and version the incident is run by (first record)."""
    torn: int | None = None
    """The number of a torn line this record follows and seals."""
    written_at: AwareDatetime | None = None
    """When the record was written, as the writer's clock read it; `at` is when it happened, which may be
    earlier when an event is recorded after the fact. Empty in logs written before records carried it."""

    def line(self) -> bytes:
        """The record as one line of the log."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


@dataclass(frozen=True)
class LogContents:
    """The good records of a log, and the number of a torn last line if there is one."""

    records: tuple[LogRecord, ...]
    torn_line: int | None


def read_log(path: Path) -> LogContents:
    """Read a log; a missing file is an empty log, a damaged line other than a torn last one is an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LogContents((), None)
    except OSError as error:
        raise IncidentError("incident.log_unreadable", path=str(path), reason=error.strerror) from error
    lines = data.split(b"\n")
    tail = lines.pop()
    torn_line = len(lines) + 1 if tail else None
    parsed: list[tuple[int, LogRecord]] = []
    damaged: dict[int, str] = {}
    for number, raw in enumerate(lines, start=1):
        try:
            parsed.append((number, LogRecord.model_validate_json(raw)))
        except ValidationError as error:
            damaged[number] = error.errors()[0]["msg"]
    sealed = {record.torn for _, record in parsed if record.torn is not None}
    for number, reason in damaged.items():
        if number not in sealed:
            raise IncidentError("incident.log_damaged", path=str(path), line=number, reason=reason)
    records = tuple(record for number, record in parsed if number not in sealed)
    for expected, record in enumerate(records, start=1):
        if record.seq != expected:
            raise IncidentError("incident.log_sequence", path=str(path), seq=record.seq, expected=expected)
    return LogContents(records, torn_line)


def append_record(path: Path, record: LogRecord, torn_line: int | None) -> None:
    """Append `record` and wait until it is on disk; seal a torn last line first.

    The record is stamped with when it is written, unless it says already.
    """
    if record.written_at is None:
        record = record.model_copy(update={"written_at": now()})
    data = record.line()
    if torn_line is not None:
        data = b"\n" + record.model_copy(update={"torn": torn_line}).line()
    created = not path.exists()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as error:
        raise IncidentError("incident.log_unwritable", path=str(path), reason=error.strerror) from error
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created and os.name == "posix":
        # A new file survives a crash only once its directory entry is on disk too.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the log's lock, so two people firing at once cannot both pass a guard on the same state."""
    with FileLock(f"{path}.lock"):
        yield
