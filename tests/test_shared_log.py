"""One log shared by several responders: clashing numbers, seals that race, the lock's wait and timeout."""

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bcmlib import Plan
from bcmlib.clock import AS_OF
from bcmlib.i18n import LANGUAGES
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LOCK_TIMEOUT, LOG_LOCK, LogRecord, append_record, locked, read_log
from bcmlib.incident.session import logged_incident, read_incident
from bcmlib.incident.workflow import Attempt, Incident
from tests.conftest import PLAN_DIR
from tests.incident_driver import START

ROOT = PLAN_DIR.parent


def _record(seq: int, by: str = "robert", written_at: datetime | None = None) -> LogRecord:
    return LogRecord(
        seq=seq,
        at=START,
        event="e",
        by=by,
        source="s",
        dest="s",
        level="II",
        drill=False,
        written_at=written_at,
    )


def _write(log: Path, *records: LogRecord) -> None:
    log.write_bytes(b"".join(record.line() for record in records))


def _people(records: tuple[LogRecord, ...]) -> list[tuple[int, str | None]]:
    return [(record.seq, record.by) for record in records]


# Records and what they say ------------------------------------------------------------------------------


def test_each_record_says_when_it_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "incident.jsonl"
    monkeypatch.setenv(AS_OF, "2026-11-24T09:07:30+08:00")
    append_record(log, _record(1))
    append_record(log, _record(2, written_at=START))
    first, second = read_log(log).records
    assert first.written_at == START + timedelta(minutes=7, seconds=30)
    assert second.written_at == START


def test_a_log_written_before_records_said_when_is_still_read(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    assert b"written_at" not in log.read_bytes()
    assert [record.written_at for record in read_log(log).records] == [None, None]


# Numbers written twice -----------------------------------------------------------------------------------

_LATER = START + timedelta(seconds=1)
_CLASH = (
    _record(3, "kc"),  # from a writer that did not yet say when: first
    _record(3, "wang-jing", written_at=START),  # written at the same moment as the next: by the bytes
    _record(3, "charles", written_at=START),
    _record(3, "robert", written_at=_LATER),
)


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(_CLASH)))))
def test_a_clash_is_kept_and_read_in_one_order_whatever_the_file_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2), *(_CLASH[index] for index in order), _record(4))
    contents = read_log(log)
    assert contents.clashes == (3,)
    assert _people(contents.records) == [
        (1, "robert"),
        (2, "robert"),
        (3, "kc"),
        (3, "charles"),
        (3, "wang-jing"),
        (3, "robert"),
        (4, "robert"),
    ]


def test_a_slow_writer_s_number_after_the_next_one_is_a_clash(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    # Both read record 2; the first also wrote 4 before the slow one's 3 reached the file.
    _write(log, _record(1), _record(2), _record(3), _record(4), _record(3, "kc"), _record(5))
    contents = read_log(log)
    assert contents.clashes == (3,)
    assert [record.seq for record in contents.records] == [1, 2, 3, 3, 4, 5]


@pytest.mark.parametrize(
    ("seqs", "line", "found", "expected"),
    [([1, 2, 4], 3, 4, 3), ([1, 3, 2], 2, 3, 2), ([2, 3], 1, 2, 1), ([1, 2, 2, 4], 4, 4, 3)],
)
def test_a_missing_number_or_one_ahead_of_its_turn_is_refused(
    tmp_path: Path, seqs: list[int], line: int, found: int, expected: int
) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, *(_record(seq) for seq in seqs))
    with pytest.raises(IncidentError) as refused:
        read_log(log)
    assert refused.value.msg.key == "incident.log_sequence"
    assert refused.value.msg.params == {"path": str(log), "line": line, "seq": found, "expected": expected}
    message = refused.value.message("en")
    assert str(log) in message
    assert "missing" in message
    assert "edited" in message


# Seals that race ----------------------------------------------------------------------------------------


def test_two_writers_ending_one_torn_line_leave_a_readable_log(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    with log.open("ab") as file:
        file.write(_record(3, "kc").line()[:30])
    append_record(log, _record(3, "charles", written_at=START))
    with log.open("ab") as file:  # what a writer who found the torn end before the first one wrote
        file.write(b"~\n" + _record(3, "wang-jing", written_at=_LATER).line())
    assert b"\n~\n" in log.read_bytes()
    contents = read_log(log)
    assert (contents.torn_lines, contents.clashes) == ((3,), (3,))
    assert _people(contents.records)[2:] == [(3, "charles"), (3, "wang-jing")]


def test_a_record_found_half_written_is_kept_once_complete(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    whole = _record(3, "kc").line()
    with log.open("ab") as file:
        file.write(whole[:30])
        file.flush()
        assert read_log(log).torn_lines == (3,)  # the other writer's record, before its write completed
        file.write(whole[30:])
    with log.open("ab") as file:  # what the writer who found it torn wrote, once kc's write completed
        file.write(b"~\n" + _record(3, "charles", written_at=START).line())
    contents = read_log(log)
    assert (contents.torn_lines, contents.clashes) == ((), (3,))
    assert _people(contents.records)[2:] == [(3, "kc"), (3, "charles")]  # kc's says not when: first


def test_a_record_appended_onto_a_torn_start_is_kept(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    with log.open("ab") as file:
        file.write(_record(3, "kc").line()[:30])  # its writer killed mid-write
        # From a writer who looked at the end of the log before that write.
        file.write(_record(3, "charles", written_at=START).line())
    assert len(log.read_bytes().split(b"\n")) == 4
    contents = read_log(log)
    assert (contents.torn_lines, contents.clashes) == ((3,), ())
    assert _people(contents.records) == [(1, "robert"), (2, "robert"), (3, "charles")]
    append_record(log, _record(4))
    assert [record.seq for record in read_log(log).records] == [1, 2, 3, 4]


def _sealed_the_old_way(seq: int, line: int) -> LogRecord:
    return _record(seq, "charles").model_copy(update={"torn": line})


@pytest.mark.parametrize(
    ("before_seal", "torn", "clashes"),
    [
        (_record(3, "kc").line()[:30], (3,), ()),  # a torn line
        (_record(3, "kc").line(), (), (3,)),  # another's record, half-written when read: a blank line
        (_record(3, "kc").line()[:-1], (3,), ()),  # a record whole but for its newline: never finished
    ],
)
def test_a_log_that_ended_torn_lines_with_a_bare_newline_reads_as_before(
    tmp_path: Path, before_seal: bytes, torn: tuple[int, ...], clashes: tuple[int, ...]
) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    with log.open("ab") as file:
        file.write(before_seal + b"\n" + _sealed_the_old_way(3, 3).line())
    contents = read_log(log)
    assert (contents.torn_lines, contents.clashes) == (torn, clashes)
    kept = [(3, "kc")] if clashes else []  # neither says when it was written: by their bytes
    assert _people(contents.records) == [(1, "robert"), (2, "robert"), (3, "charles"), *kept]


@pytest.mark.parametrize("prefix", [b"edited", b"\n"])
def test_other_text_before_a_record_is_still_damage(tmp_path: Path, prefix: bytes) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1))
    with log.open("ab") as file:
        file.write(prefix + _record(2).line())
    with pytest.raises(IncidentError) as damaged:
        read_log(log)
    assert (damaged.value.msg.key, damaged.value.msg.params["line"]) == ("incident.log_damaged", 2)


def test_a_short_write_is_not_finished_by_a_second_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1))
    real_write = os.write
    with monkeypatch.context() as patched:
        patched.setattr(os, "write", lambda descriptor, data: real_write(descriptor, bytes(data)[:20]))
        with pytest.raises(IncidentError) as short:
            append_record(log, _record(2))
    assert short.value.msg.key == "incident.log_short_write"
    contents = read_log(log)
    assert (len(contents.records), contents.torn_lines) == (1, (2,))
    append_record(log, _record(2, "kc"))
    assert _people(read_log(log).records) == [(1, "robert"), (2, "kc")]


# The lock --------------------------------------------------------------------------------------------------


@contextmanager
def _held(log: Path, seconds: float | None = None) -> Iterator[None]:
    """The log's lock, held by another thread for `seconds` or until the block ends."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(log):
            taken.set()
            # Short sleeps, not Event.wait(timeout): under faketime (the suite must pass with the
            # machine's clock faked) a timed condition wait never wakes.
            until = None if seconds is None else time.monotonic() + seconds
            while not done.is_set() and (until is None or time.monotonic() < until):
                time.sleep(0.02)

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_a_lock_not_had_in_time_is_an_error_naming_the_log(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    waited: list[int] = []
    start = time.monotonic()
    with (
        _held(log),
        pytest.raises(IncidentError) as refused,
        locked(log, timeout=0.5, on_wait=lambda: waited.append(1)),
    ):
        pass
    elapsed = time.monotonic() - start
    assert 0.5 <= elapsed < 1.5
    assert not waited
    assert refused.value.msg.key == "incident.log_locked"
    assert refused.value.msg.params == {"path": str(log), "seconds": "0.5"}
    for lang in LANGUAGES:
        assert f"{log}.lock" in refused.value.message(lang)


def test_the_timeout_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "incident.jsonl"
    monkeypatch.setenv(LOCK_TIMEOUT, "0.2")
    with _held(log), pytest.raises(IncidentError) as refused, locked(log):
        pass
    assert refused.value.msg.params["seconds"] == "0.2"


def test_a_wait_past_a_second_is_told_once(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    waits: list[int] = []
    start = time.monotonic()
    with _held(log, seconds=1.5), logged_incident(company_plan, log, on_wait=lambda: waits.append(1)):
        had = time.monotonic() - start
    assert len(waits) == 1
    assert 1.5 <= had < 3
    with logged_incident(company_plan, log, on_wait=lambda: waits.append(2)):
        pass
    assert waits == [1]


def test_the_lock_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "incident.jsonl"
    monkeypatch.setenv(LOG_LOCK, "off")
    start = time.monotonic()
    with _held(log), locked(log, timeout=5):
        assert time.monotonic() - start < 1


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        (LOG_LOCK, "no", "incident.log_lock_setting"),
        (LOCK_TIMEOUT, "soon", "incident.log_lock_timeout_setting"),
        (LOCK_TIMEOUT, "-1", "incident.log_lock_timeout_setting"),
        (LOCK_TIMEOUT, "inf", "incident.log_lock_timeout_setting"),
    ],
)
def test_a_setting_the_lock_cannot_use_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(IncidentError) as refused, locked(tmp_path / "incident.jsonl"):
        pass
    assert (refused.value.msg.key, refused.value.msg.params) == (key, {"value": value})


# Two processes, one log, no lock ---------------------------------------------------------------------------

# A responder on one laptop: marks their colleague out and back, 50 times, as fast as the log allows.
_RESPONDER = """
import sys, time
from datetime import timedelta
from pathlib import Path
from bcmlib import load_plan
from bcmlib.incident.session import logged_incident
from tests.incident_driver import START
log, by, person, origin = Path(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
plan = load_plan("plan")
print("ready", flush=True)
sys.stdin.readline()
for _ in range(50):
    for available in (False, True):
        with logged_incident(plan, log) as logged:
            # Read after the log: later than any record in it, whichever laptop wrote it.
            at = START + timedelta(seconds=time.time() - origin)
            logged.incident.mark([person], available=available, by=by, at=at)
"""

_PAIRS = (("robert", "kc"), ("charles", "wang-jing"))


def test_two_processes_sharing_a_log_without_the_lock_lose_nothing(
    company_plan: Plan, tmp_path: Path
) -> None:
    log = tmp_path / "incident.jsonl"
    origin = str(time.time())  # one clock for both, so that each record's time follows the last one's
    incident = Incident(company_plan, write=lambda record: append_record(log, record))
    incident.fire(Attempt(incident.opener().id, None, START, level="III"))
    with ExitStack() as stack:
        children = [
            stack.enter_context(
                subprocess.Popen(
                    [sys.executable, "-c", _RESPONDER, str(log), by, person, origin],
                    cwd=ROOT,
                    env={**os.environ, LOG_LOCK: "off"},
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
            )
            for by, person in _PAIRS
        ]
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n"
        for child in children:  # both start together, so that their writes meet
            assert child.stdin is not None
            child.stdin.write(b"go\n")
            child.stdin.close()
        for child in children:
            assert child.wait(timeout=60) == 0

    data = log.read_bytes()
    assert data.endswith(b"\n")
    # A `~` alone is from a writer who found the other's record half-written at the end.
    lines = [line for line in data.split(b"\n")[:-1] if line != b"~"]
    assert len(lines) == 1 + 200
    contents = read_log(log)
    assert (len(contents.records), contents.torn_lines) == (len(lines), ())
    for by, person in _PAIRS:
        marks = [record.event for record in contents.records if record.by == by]
        assert marks == ["unavailable", "available"] * 50
        assert all(record.people == [person] for record in contents.records if record.by == by)
    rebuilt = read_incident(company_plan, log).incident
    assert len(rebuilt.records) == len(lines)
    assert not rebuilt.absences
