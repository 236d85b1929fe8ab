"""The incident log: append-only JSON Lines on disk, torn last lines, damage, and resuming after a crash."""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bcmlib import Plan
from bcmlib.cli import cli
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LogRecord, append_record, read_log
from bcmlib.incident.workflow import Attempt, Incident
from tests.conftest import PLAN_DIR
from tests.incident_driver import START

ROOT = PLAN_DIR.parent


def _logged(plan: Plan, path: Path) -> Incident:
    """An incident whose records go to `path`, opened and assessed."""
    incident = Incident(plan, write=lambda record: append_record(path, record))
    incident.fire(Attempt("alert", "wang-jing", START, level="II", note="仓库起火"))
    incident.fire(Attempt("assess", "robert", START))
    return incident


def test_every_record_is_one_json_line_with_who_when_from_to(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _logged(company_plan, log)
    lines = log.read_bytes().split(b"\n")
    assert lines[-1] == b""
    first, second = (json.loads(line) for line in lines[:-1])
    assert first["by"] == "wang-jing"
    assert first["note"] == "仓库起火"
    assert (first["from"], first["to"], first["level"]) == ("normal", "alert", "II")
    assert (second["seq"], second["event"], second["acting_as"]) == (2, "assess", "quality-head")
    assert second["at"] == "2026-11-24T09:00:00+08:00"


def test_each_append_is_fsynced(company_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(descriptor: int) -> None:
        synced.append(descriptor)
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", spy)
    _logged(company_plan, tmp_path / "incident.jsonl")
    assert len(synced) == 3  # two records, and the new file's directory entry once


def test_resuming_from_the_log_gives_the_same_incident(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    original = _logged(company_plan, log)
    original.mark(["kc"], available=False, by="robert", at=START)
    resumed = Incident(company_plan, read_log(log).records)
    # Only the log knows when each record was written: the incident was handed the records before.
    unstamped = [record.model_copy(update={"written_at": None}) for record in resumed.records]
    assert (resumed.state, resumed.level, unstamped) == (original.state, original.level, original.records)
    assert resumed.unavailable(START) == {"kc"}


def test_a_torn_last_line_is_reported_and_the_good_lines_kept(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _logged(company_plan, log)
    good = log.read_bytes()
    with log.open("ab") as file:
        file.write(b'{"seq":3,"at":"2026-11-24T09:')
    contents = read_log(log)
    assert contents.torn_lines == (3,)
    assert [record.seq for record in contents.records] == [1, 2]
    incident = Incident(company_plan, contents.records)
    append_record(log, incident.fire(Attempt("report", "robert", START)))
    data = log.read_bytes()
    assert data.startswith(good + b'{"seq":3,"at":"2026-11-24T09:~\n{"seq":3,')
    resumed = read_log(log)
    assert resumed.torn_lines == (3,)  # still there, and still reported: it never counts
    assert [(record.seq, record.event) for record in resumed.records] == [
        (1, "alert"),
        (2, "assess"),
        (3, "report"),
    ]


def test_a_complete_record_without_its_newline_never_counts(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    _logged(company_plan, log)
    log.write_bytes(log.read_bytes()[:-1])
    contents = read_log(log)
    assert (contents.torn_lines, len(contents.records)) == ((2,), 1)
    # Its writer never returned: the next record takes its number, and the line stays torn.
    incident = Incident(company_plan, contents.records)
    append_record(log, incident.fire(Attempt("assess", "robert", START, note="again")))
    resumed = read_log(log)
    assert resumed.torn_lines == (2,)
    assert [(record.seq, record.note) for record in resumed.records] == [(1, "仓库起火"), (2, "again")]


@pytest.mark.parametrize(
    ("damage", "key"),
    [
        (lambda lines: [lines[0], b"not json", *lines[1:]], "incident.log_damaged"),
        (lambda lines: [lines[1]], "incident.log_sequence"),
        (lambda lines: [lines[0], lines[1].replace(b'"to":"assessment"', b'"to":"closed"')], None),
    ],
)
def test_damage_anywhere_else_is_an_error_naming_the_place(
    company_plan: Plan, tmp_path: Path, damage: object, key: str | None
) -> None:
    log = tmp_path / "incident.jsonl"
    _logged(company_plan, log)
    lines = log.read_bytes().split(b"\n")[:-1]
    log.write_bytes(b"\n".join(damage(lines)) + b"\n")  # type: ignore[operator]
    with pytest.raises(IncidentError) as damaged:
        Incident(company_plan, read_log(log).records)
    assert damaged.value.msg.key == (key or "incident.log_inconsistent")
    assert ("第 2 行" if key == "incident.log_damaged" else "2") in damaged.value.message("zh")


def test_log_record_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="extra"):
        LogRecord.model_validate_json(
            '{"seq":1,"at":"2026-11-24T09:00:00+08:00","event":"alert","from":"normal","to":"alert",'
            '"level":"II","drill":false,"oops":1}'
        )


# A child that fires one trigger through the CLI and is killed (SIGKILL) halfway through writing its line.
_KILLED_MID_WRITE = """
import os, signal, sys
real_write = os.write
def write_half_then_die(descriptor, data):
    real_write(descriptor, bytes(data)[: len(data) // 2])
    os.kill(os.getpid(), signal.SIGKILL)
os.write = write_half_then_die
from bcmlib.cli import cli
cli(args=sys.argv[1:])
"""


def _bcm(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_killed_mid_write_then_resumed(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    common = ("--log", str(log), "--plan", str(PLAN_DIR))
    code, _, _ = _bcm(
        "incident", "open", "--level", "II", "--by", "王婧", "--at", "2026-11-24T09:00+08:00", *common
    )
    assert code == 0
    before = log.read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_WRITE, "incident", "fire", "assess", "--by", "robert", *common],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL
    torn = log.read_bytes()
    assert torn.startswith(before)
    assert len(torn) > len(before)
    assert not torn.endswith(b"\n")

    code, out, err = _bcm("incident", "status", *common)
    assert code == 0
    assert "第 2 行不完整" in err
    assert "(alert)" in out.splitlines()[1]

    code, out, _ = _bcm(
        "incident", "fire", "assess", "--by", "robert", "--at", "2026-11-24T09:05+08:00", *common
    )
    assert code == 0, out
    assert log.read_bytes().startswith(torn + b"~\n")
    contents = read_log(log)
    assert contents.torn_lines == (2,)
    assert [(r.seq, r.event) for r in contents.records] == [(1, "alert"), (2, "assess")]


# A child that keeps appending large records until it is killed at a moment the test does not choose.
_WRITE_UNTIL_KILLED = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from bcmlib import load_plan
from bcmlib.incident.session import logged_incident
from bcmlib.incident.workflow import Attempt
plan, log = load_plan(sys.argv[1]), Path(sys.argv[2])
session = logged_incident(plan, log)
incident = session.__enter__().incident
at = incident.records[-1].at if incident.records else datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
if not incident.records:
    incident.fire(Attempt("alert", "wang-jing", at, level="II"))
    incident.fire(Attempt("assess", "robert", at))
print("ready", flush=True)
while True:
    at += timedelta(seconds=1)
    record = incident.fire(Attempt("report", "robert", at, note="x" * 4_000_000))
    print(record.seq, flush=True)
"""


def test_killed_at_any_moment_loses_nothing_written_before(company_plan: Plan, tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    returned: set[int] = set()
    torn: set[int] = set()
    for delay in (0.05, 0.2, 0.4):
        before = log.read_bytes() if log.exists() else b""
        good_before = len(read_log(log).records)
        with subprocess.Popen(
            [sys.executable, "-c", _WRITE_UNTIL_KILLED, str(PLAN_DIR), str(log)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        ) as child:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n"
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            returned.update(int(seq) for seq in child.stdout.read().split())
        data = log.read_bytes()
        assert data.startswith(before)
        if not data.endswith(b"\n"):  # killed mid-write: wherever the kill landed, that line is torn
            torn.add(data.count(b"\n") + 1)
        contents = read_log(log)
        assert len(contents.records) > good_before
        assert [record.seq for record in contents.records] == list(range(1, len(contents.records) + 1))
        assert returned <= {record.seq for record in contents.records}
        assert contents.torn_lines == tuple(sorted(torn))
        assert Incident(company_plan, contents.records).state == "assessment"


# A child that appends a 1 MB record and is killed (SIGKILL) once the kernel has written its first CUT bytes
# (all but the last -CUT when negative): what a kill mid-write leaves, at a place the test chooses.
_APPEND_KILLED_AFTER = """
import os, signal, sys
from datetime import datetime, timezone
from pathlib import Path
from bcmlib.incident.log import LogRecord, append_record
log, cut = Path(sys.argv[1]), int(sys.argv[2])
real_write = os.write
def write_then_die(descriptor, data):
    real_write(descriptor, bytes(data)[:cut])
    os.kill(os.getpid(), signal.SIGKILL)
os.write = write_then_die
at = datetime(2026, 11, 24, 1, tzinfo=timezone.utc)
append_record(log, LogRecord(
    seq=9, at=at, event="report", by="kc", **{"from": "s", "to": "s"}, level="II", drill=False,
    note="y" * 1_000_000,
))
"""


def _big_record(seq: int) -> LogRecord:
    return LogRecord(
        seq=seq,
        at=START,
        event="report",
        by="robert",
        source="s",
        dest="s",
        level="II",
        drill=False,
        note="x" * 1_000_000,
        written_at=START,
    )


def test_appends_killed_mid_write_again_and_again_lose_no_record_returned(tmp_path: Path) -> None:
    log = tmp_path / "incident.jsonl"
    returned: list[LogRecord] = []
    torn: set[int] = set()

    def append(seq: int) -> None:
        append_record(log, _big_record(seq))
        returned.append(_big_record(seq))

    def killed_after(cut: int) -> None:
        before = log.read_bytes()
        child = subprocess.run(
            [sys.executable, "-c", _APPEND_KILLED_AFTER, str(log), str(cut)], cwd=ROOT, check=False
        )
        assert child.returncode == -signal.SIGKILL
        data = log.read_bytes()
        assert data.startswith(before)
        # Every record starts on a fresh line: after a torn one, the child wrote `~` and a newline first.
        assert data[len(before) : len(before) + 1] == (b"{" if before.endswith(b"\n") else b"~")
        assert not data.endswith(b"\n")
        torn.add(data.count(b"\n") + 1)

    append(1)
    append(2)
    # Torn; torn right after a torn one, `~\n` and half a record; then only the `~` of a third.
    for cut in (500_000, 400_000, 1):
        killed_after(cut)
        assert read_log(log).records == tuple(returned)
    append(3)
    # A record whole but for its newline, then the one that ended its line torn too: neither counts.
    for cut in (-1, 1_000):
        killed_after(cut)
    append(4)
    contents = read_log(log)
    assert contents.records == tuple(returned)
    assert contents.torn_lines == tuple(sorted(torn)) == (3, 4, 6, 7)
    assert log.read_bytes().endswith(_big_record(4).line())


# `bcm` in a child whose files may not grow past LIMIT bytes: past it, the disk is full. Python ignores
# SIGXFSZ, so a write across the limit writes what fits and one at it fails (EFBIG), as on a full disk.
_FULL_DISK = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[1:] = sys.argv[2:]
from bcmlib.cli import main
main()
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_disk_full_again_and_again_is_one_clear_line_and_the_log_still_works(
    tmp_path: Path, lang: str
) -> None:
    log = tmp_path / "incident.jsonl"
    common = ("--log", str(log), "--plan", str(PLAN_DIR), "--lang", lang)
    code, _, _ = _bcm(
        "incident", "open", "--level", "II", "--by", "王婧", "--at", "2026-11-24T09:00+08:00", *common
    )
    assert code == 0
    opened = log.read_bytes()
    advice = {"zh": "请腾出磁盘或共享的空间", "en": "Free space on the disk or share"}[lang]
    # Part of a record; then `~`, a newline and part of the next; then not one byte. Each time, the torn
    # lines so far are noted first.
    for room, written, torn in ((100, True, 0), (102, True, 1), (0, False, 2)):
        before = log.read_bytes()
        fire = ("incident", "fire", "assess", "--by", "robert", "--at", "2026-11-24T09:05+08:00", *common)
        child = subprocess.run(
            [sys.executable, "-c", _FULL_DISK, str(len(before) + room), *fire],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert child.returncode == 1
        assert child.stdout == ""
        *notes, message = child.stderr.splitlines()
        assert len(notes) == torn
        assert message.startswith("bcm: ")
        assert str(log) in message
        assert advice in message
        assert "internal error" not in child.stderr
        assert (log.read_bytes() != before) == written
    assert log.read_bytes().startswith(opened)

    code, out, err = _bcm("incident", "status", *common)
    assert code == 0
    assert len(err.splitlines()) == 2  # one note for each torn line
    assert "(alert)" in out.splitlines()[1]
    code, _, _ = _bcm(
        "incident", "fire", "assess", "--by", "robert", "--at", "2026-11-24T09:05+08:00", *common
    )
    assert code == 0
    contents = read_log(log)
    assert [(record.seq, record.event) for record in contents.records] == [(1, "alert"), (2, "assess")]
    assert contents.torn_lines == (2, 3)


def test_a_log_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("a file where the log's folder should be")
    log = blocker / "incident.jsonl"
    with pytest.raises(IncidentError) as refused:
        append_record(log, _big_record(1))
    assert refused.value.msg.key == "incident.log_unwritable"
    assert str(log) in refused.value.message("en")
    code, out, err = _bcm(
        "incident", "open", "--level", "II", "--by", "王婧", "--at", "2026-11-24T09:00+08:00",
        "--log", str(log), "--plan", str(PLAN_DIR), "--lang", "en",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith(f"bcm: Cannot create the lock file {log}.lock beside the log: ")
    assert len(err.splitlines()) == 1


def test_a_record_the_disk_does_not_confirm_is_an_error_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "incident.jsonl"
    append_record(log, _big_record(1))

    def failing(descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    # No file system at hand fails fsync on demand: the operating system's answer is stood in for.
    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(IncidentError) as unsynced:
        append_record(log, _big_record(2))
    assert unsynced.value.msg.key == "incident.log_unsynced"
    assert str(log) in unsynced.value.message("zh")
    assert "bcm incident status" in unsynced.value.message("en")
    assert [record.seq for record in read_log(log).records] == [1, 2]
