"""One log shared by several responders: clashing numbers, seals that race, one write per record."""

import itertools
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bcmlib.clock import AS_OF
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LogRecord, append_record, read_log
from tests.incident_driver import START


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
    append_record(log, _record(1), None)
    append_record(log, _record(2, written_at=START), None)
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


def test_two_writers_sealing_one_torn_line_leave_a_readable_log(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    with log.open("ab") as file:
        file.write(_record(3, "kc").line()[:30])
    torn = read_log(log).torn_line
    append_record(log, _record(3, "charles"), torn)
    append_record(log, _record(3, "wang-jing"), torn)  # read the log before the first seal landed
    assert b"\n\n" in log.read_bytes()
    contents = read_log(log)
    assert (contents.torn_line, contents.clashes) == (None, (3,))
    assert _people(contents.records)[2:] == [(3, "charles"), (3, "wang-jing")]


def test_a_record_read_half_written_and_sealed_is_kept_once_complete(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    whole = _record(3, "kc").line()
    with log.open("ab") as file:
        file.write(whole[:30])
    torn = read_log(log).torn_line  # the other writer's record, seen before its write completed
    with log.open("ab") as file:
        file.write(whole[30:])
    append_record(log, _record(3, "charles"), torn)
    contents = read_log(log)
    assert contents.clashes == (3,)
    assert _people(contents.records)[2:] == [(3, "kc"), (3, "charles")]  # kc's says not when: first


def test_a_record_appended_onto_a_torn_start_is_kept(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _write(log, _record(1), _record(2))
    with log.open("ab") as file:
        file.write(_record(3, "kc").line()[:30])  # its writer killed mid-write
    append_record(log, _record(3, "charles"), None)  # read the log before that write began
    assert len(log.read_bytes().split(b"\n")) == 4
    contents = read_log(log)
    assert (contents.torn_line, contents.clashes) == (None, ())
    assert _people(contents.records) == [(1, "robert"), (2, "robert"), (3, "charles")]
    append_record(log, _record(4), None)
    assert [record.seq for record in read_log(log).records] == [1, 2, 3, 4]


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
            append_record(log, _record(2), None)
    assert short.value.msg.key == "incident.log_short_write"
    contents = read_log(log)
    assert (len(contents.records), contents.torn_line) == (1, 2)
    append_record(log, _record(2, "kc"), contents.torn_line)
    assert _people(read_log(log).records) == [(1, "robert"), (2, "kc")]
