"""One log shared by several responders: what each record says about its writing."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bcmlib.clock import AS_OF
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
