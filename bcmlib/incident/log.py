"""The incident log: one JSON object per line, appended, flushed and fsynced, never rewritten.

A record counts once it is a whole line, ended by its own newline. A writer stopped mid-write (killed, or
the disk full) leaves the start of a record without a newline: a torn line. Every append first looks at
the end of the file, and when the last line is torn, ends it with `~` and a newline before its record:
the `~` keeps the torn line from ever reading as a record, even one that lacked only its newline, and the
record starts on a fresh line. Reading skips every torn line and reports each, however many appends in a
row were cut, and keeps every whole record; the file keeps every byte ever written, and a damaged line of
any other kind is an error.

Several people may share one log on a network share whose lock does not reach across machines. Each
record goes to the end of the file in one write, so two records never mix within a line, and reading
copes with what such writers leave behind:

- Two writers who read the same last record both write the next number: a clash, kept and ordered.
- A writer who finds another's record half-written at the end takes it for torn. The record completes
  with its own newline, so the `~` lands alone on a line of its own: nothing is lost.
- A writer who looked at the end before another was killed mid-write appends onto the torn start. The
  line holds that start and then the whole record: the record is kept, the start reported as torn.

Logs written before the `~` ended a torn line with a bare newline, and the next record named it (`torn`):
the line before such a record is still skipped.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bcmlib.clock import now
from bcmlib.incident.errors import IncidentError
from bcmlib.models.communication import MessageStage

__all__ = [
    "LOCK_TIMEOUT",
    "LOG_LOCK",
    "LogContents",
    "LogRecord",
    "append_record",
    "locked",
    "read_log",
]

LOCK_TIMEOUT = "BCM_LOCK_TIMEOUT"
"""The environment variable that sets how many seconds to wait for the log's lock (default 30)."""
LOG_LOCK = "BCM_LOG_LOCK"
"""The environment variable that turns the lock off with `off`: for tests, and shares where locks fail."""
_DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for the lock when `BCM_LOCK_TIMEOUT` is not set."""
_WAIT_NOTICE = 1.0
"""Seconds to wait for the lock before telling the user that it waits."""

_RECORD_START = b'{"seq":'
"""How every record begins; never inside a record, where JSON escapes each quote."""
_SEAL = b"~"
"""Ends a torn line before its newline. JSON allows nothing after a value and this cannot close one left
open, so the line never parses, even when it held a whole record but for the newline. One byte, so that
a writer stopped mid-write wrote all of it or none."""
_UNWRITTEN = datetime.min.replace(tzinfo=UTC)
"""Stands in for the writing time of a record written before records carried it: it sorts first."""


class LogRecord(BaseModel):
    """One line of the log: who did what, when, from which state to which, at which level."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    seq: int = Field(ge=1)
    """The record's number, counting from 1; two writers sharing the log may both write the same one."""
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
    fallback: str | None = None
    """`decision-chain` or `bcm-organisation` when they stood in because every chain named was out."""
    recipient: str | None = None
    """For a report: the person it was made to."""
    data_as_of: AwareDatetime | None = None
    """For a restore: the moment the restored data reaches back to; the RPO actual is the hit time less it."""
    source: str = Field(alias="from")
    """The state before."""
    dest: str = Field(alias="to")
    """The state after."""
    level: str
    """The crisis level after, by the plan's identifier; checked against the plan when the log is replayed."""
    drill: bool
    """True for a drill: every record says so."""
    note: str | None = None
    """Why, in the actor's words."""
    processes: list[str] = []
    """The processes hit or restored."""
    people: list[str] = []
    """The people who became unavailable or available again."""
    audience: str | None = None
    """For a message sent: the plan's audience it went to."""
    stage: MessageStage | None = None
    """For a message sent: its stage, `first-notice`, `update` or `resolution`."""
    since: AwareDatetime | None = None
    """Since when the people are unavailable, where it was before the record."""
    scenario: str | None = None
    """The risk or drill scenario (first record)."""
    exercise_kind: str | None = None
    """The kind of exercise, for a drill (first record)."""
    plan: str | None = None
    """The plan's number and version the incident is run by (first record)."""
    torn: int | None = None
    """In logs written before torn lines ended with `~`: the number of the line its writer found torn at the
    end of the log, and ended with the newline before this record."""
    written_at: AwareDatetime | None = None
    """When the record was written, as the writer's clock read it; `at` is when it happened, which may be
    earlier when an event is recorded after the fact. Empty in logs written before records carried it."""

    def line(self) -> bytes:
        """The record as one line of the log."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


@dataclass(frozen=True)
class LogContents:
    """The good records of a log in order, the numbers of its torn lines, and the numbers written twice."""

    records: tuple[LogRecord, ...]
    """By number; records that share a number by when they were written, then by their bytes."""
    torn_lines: tuple[int, ...] = ()
    """The lines, ascending, that hold part of a record its writer never finished: none of it counts."""
    clashes: tuple[int, ...] = ()
    """The record numbers that two or more writers wrote, ascending."""


@dataclass(frozen=True)
class _Line:
    number: int
    raw: bytes
    """The record's own bytes: the line without a torn start another writer left before it."""
    record: LogRecord
    torn_start: bool = False
    """Whether the line begins with part of a record whose writer was stopped, before this one."""


def read_log(path: Path) -> LogContents:
    """Read a log; a missing file is an empty log, torn lines are skipped, other damage is an error.

    Raises:
        IncidentError: `incident.log_unreadable` for a file that cannot be read, `incident.log_damaged`
            for a damaged line, `incident.log_sequence` for a number missing or ahead of its turn.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LogContents(())
    except OSError as error:
        raise IncidentError("incident.log_unreadable", path=str(path), reason=error.strerror) from error
    lines = data.split(b"\n")
    tail = lines.pop()
    parsed: list[_Line] = []
    torn: set[int] = set()
    damaged: dict[int, str] = {}
    for number, raw in enumerate(lines, start=1):
        if raw.endswith(_SEAL):
            # Ended by a writer who found it torn; only a `~` alone, left by one who raced, holds nothing.
            if raw.strip(_SEAL):
                torn.add(number)
            continue
        try:
            line = _parse(number, raw)
        except ValidationError as error:
            damaged[number] = error.errors()[0]["msg"]
            continue
        parsed.append(line)
        if line.torn_start:
            torn.add(number)
    if tail.strip(_SEAL):
        torn.add(len(lines) + 1)
    # An older writer ended a torn line with a bare newline and named it in its record: the line just
    # before that record, torn, or blank when its own writer completed it meanwhile.
    sealed = {line.number - 1 for line in parsed if line.record.torn is not None}
    for number, reason in damaged.items():
        if number not in sealed:
            raise IncidentError("incident.log_damaged", path=str(path), line=number, reason=reason)
        if lines[number - 1]:
            torn.add(number)
    # A record on such a line lacked its own newline: its writer never finished it.
    torn.update(line.number for line in parsed if line.number in sealed)
    kept = [line for line in parsed if line.number not in sealed]
    _check_sequence(path, kept)
    kept.sort(key=_order)
    counts = Counter(line.record.seq for line in kept)
    clashes = tuple(sorted(seq for seq, count in counts.items() if count > 1))
    return LogContents(tuple(line.record for line in kept), tuple(sorted(torn)), clashes)


def _parse(number: int, raw: bytes) -> _Line:
    """The record on a line, after a torn start that another writer's record was appended onto."""
    try:
        return _Line(number, raw, LogRecord.model_validate_json(raw))
    except ValidationError:
        start = raw.rfind(_RECORD_START)
        if start > 0 and _is_torn_start(raw[:start]):
            with suppress(ValidationError):
                record = LogRecord.model_validate_json(raw[start:])
                return _Line(number, raw[start:], record, torn_start=bool(raw[:start].strip(_SEAL)))
        raise


def _is_torn_start(text: bytes) -> bool:
    """Whether `text` is what stopped writers leave: `~`, then the first bytes of a record, if any."""
    text = text.lstrip(_SEAL)
    return text[: len(_RECORD_START)] == _RECORD_START[: len(text)]


def _check_sequence(path: Path, lines: list[_Line]) -> None:
    """Refuse a number ahead of its turn; a number already written is a clash between two writers.

    A writer without the lock may append its number after a faster one has written the next, so a
    number lower than the highest so far is a clash too. No number may skip one, so none is missing.
    """
    highest = 0
    for line in lines:
        if line.record.seq > highest + 1:
            raise IncidentError(
                "incident.log_sequence",
                path=str(path),
                line=line.number,
                seq=line.record.seq,
                expected=highest + 1,
            )
        highest = max(highest, line.record.seq)


def _order(line: _Line) -> tuple[int, bool, datetime, bytes]:
    """Sort key: the number, then when it was written (unknown first), then the bytes, for every reader."""
    written = line.record.written_at
    return line.record.seq, written is not None, written or _UNWRITTEN, line.raw


def append_record(path: Path, record: LogRecord) -> None:
    """Append `record` and wait until it is on disk; end a torn last line first.

    The record is stamped with when it is written, unless it says already. It goes down in one write to
    the end of the file, so a record another writer appends at the same moment stays on a line of its own.

    Raises:
        IncidentError: `incident.log_unwritable` when nothing could be written,
            `incident.log_short_write` when only part of the record was, `incident.log_unsynced` when all
            of it was but the disk or share did not confirm it is stored.
    """
    if record.written_at is None:
        record = record.model_copy(update={"written_at": now()})
    data = record.line()
    created = not path.exists()
    failure = "incident.log_unwritable"
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if not _ends_a_line(descriptor):
                data = _SEAL + b"\n" + data
            written = os.write(descriptor, data)
            if written < len(data):
                # Writing the rest could land after another writer's record: leave a torn line instead.
                raise IncidentError(
                    "incident.log_short_write", path=str(path), written=written, size=len(data)
                )
            failure = "incident.log_unsynced"
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
    except OSError as error:
        # A full disk, a share gone away, a read-only folder: the user's to fix, not a crash.
        raise IncidentError(failure, path=str(path), reason=error.strerror) from error


def _ends_a_line(descriptor: int) -> bool:
    """Whether the file is empty or ends with a newline, so that a record appended to it starts a line."""
    if os.fstat(descriptor).st_size == 0:
        return True
    os.lseek(descriptor, -1, os.SEEK_END)
    return os.read(descriptor, 1) == b"\n"


@contextmanager
def locked(
    path: Path, *, timeout: float | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the log's lock, so two people firing at once cannot both pass a guard on the same state.

    The lock is advisory, on the file `<log>.lock` beside the log, and may not reach across machines on a
    network share. `BCM_LOG_LOCK=off` leaves it out.

    Args:
        path: The log.
        timeout: Seconds to wait for the lock; by default `BCM_LOCK_TIMEOUT`, else 30. 0 tries once.
        on_wait: Called once when the lock is not had within about a second, to tell the user.

    Raises:
        IncidentError: `incident.log_locked` when the lock is not had in time,
            `incident.log_lock_unwritable` when the lock file cannot be made; `incident.log_lock_setting`
            or `incident.log_lock_timeout_setting` for an environment variable it cannot use.
    """
    if not _locking():
        yield
        return
    seconds = _lock_timeout() if timeout is None else timeout
    lock = FileLock(f"{path}.lock")
    try:
        _acquire(lock, seconds, on_wait)
    except Timeout as error:
        raise IncidentError("incident.log_locked", path=str(path), seconds=f"{seconds:g}") from error
    except OSError as error:
        # The lock file cannot be made: a read-only folder, a full disk, a share gone away.
        raise IncidentError("incident.log_lock_unwritable", path=str(path), reason=error.strerror) from error
    try:
        yield
    finally:
        lock.release()


def _acquire(lock: FileLock, seconds: float, on_wait: Callable[[], None] | None) -> None:
    """Take `lock` within `seconds`, calling `on_wait` once the first `_WAIT_NOTICE` seconds pass."""
    if on_wait is None or seconds <= _WAIT_NOTICE:
        lock.acquire(timeout=seconds)
        return
    try:
        lock.acquire(timeout=_WAIT_NOTICE)
    except Timeout:
        on_wait()
        lock.acquire(timeout=seconds - _WAIT_NOTICE)


def _locking() -> bool:
    """False when `BCM_LOG_LOCK` is `off`; it may otherwise only be unset or `on`."""
    value = os.environ.get(LOG_LOCK, "")
    setting = value.strip().lower()
    if setting not in ("", "on", "off"):
        raise IncidentError("incident.log_lock_setting", value=value)
    return setting != "off"


def _lock_timeout() -> float:
    """The seconds `BCM_LOCK_TIMEOUT` sets, or the default."""
    value = os.environ.get(LOCK_TIMEOUT, "").strip()
    if not value:
        return _DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise IncidentError("incident.log_lock_timeout_setting", value=value)
    return seconds
