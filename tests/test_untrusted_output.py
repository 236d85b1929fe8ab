"""Plan text never forges a line of `bcm`'s output nor smuggles a control character into its JSON.

The plan is read as usual, then names are given a payload: a newline and a fake summary line, a
carriage return, an ESC sequence, a bidi override, a C1 control and a tab. The loader refuses such
names in a YAML file; the outputs must not rely on it, so the payload goes in after loading, and every
command runs its real output code on it.
"""

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.loading.loader import load_plan
from bcmlib.models import Plan
from bcmlib.untrusted import hidden, json_text, one_line, yaml_text
from tests.conftest import PLAN_DIR

FORGED = "0 个错误，0 个警告。"
PAYLOAD = f"x\n{FORGED}\r\x1b[2J\u202e\x9b\t"
SHOWN = one_line(PAYLOAD)
"""The payload as the terminal must show it: `x\\n0 个错误，0 个警告。\\r\\x1b[2J\\u202e\\x9b\\t`."""
PROSE = f"x\n{FORGED}\t"
"""The part of the payload an exercise record still holds: it refuses controls, but not in prose."""

HIT = "hazmat-storage-safety"
AT = "2026-11-24T09:00+08:00"
LATER = "2026-11-24T12:00+08:00"


def _renamed(items: list[Any], ids: set[str], suffix: str) -> list[Any]:
    return [
        item.model_copy(update={"name": item.name + suffix}) if item.id in ids else item for item in items
    ]


def _plan(suffix: str) -> Plan:
    """The plan with `suffix` after the names of Robert, the roles he holds first, and a process."""
    plan = load_plan(PLAN_DIR)
    return plan.model_copy(
        update={
            "people": _renamed(plan.people, {"robert"}, suffix),
            "roles": _renamed(plan.roles, {"bcm-deputy", "field-commander", "cto-quality"}, suffix),
            "processes": _renamed(plan.processes, {HIT}, suffix),
        }
    )


Run = Callable[..., tuple[int, str, str]]
PAIRS = (("hostile", "tame"), ("hostile-prose", "tame-prose"))
"""Each plan with a payload, and the same plan with the payload already escaped: plain text, so the
first plan's output must be exactly the second's, the payload shown escaped where it stands."""


@pytest.fixture
def bcm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], Run]:
    """`bcm` run on one of the plans, by name (`{plan}` in the arguments), in a folder of its own."""
    plans = {
        "hostile": _plan(PAYLOAD),
        "tame": _plan(SHOWN),
        "hostile-prose": _plan(PROSE),
        "tame-prose": _plan(one_line(PROSE)),
        "clean": _plan(""),
    }

    def read(path: Path) -> tuple[Plan, list[Any]]:
        return plans[path.name], []

    def read_at(version: str, plan_path: Path) -> tuple[Plan, list[Any]]:
        return plans[Path(version).name], []

    monkeypatch.setattr("bcmlib.cli.checking.read_plan", read)
    monkeypatch.setattr("bcmlib.cli.common.read_plan", read)
    monkeypatch.setattr("bcmlib.cli.changes.read_plan_at", read_at)

    def runner(variant: str) -> Run:
        folder = tmp_path / variant
        folder.mkdir(exist_ok=True)

        def run(*args: str) -> tuple[int, str, str]:
            given = [arg.replace("{plan}", variant).replace("{tmp}", str(folder)) for arg in args]
            result = CliRunner().invoke(cli, given)
            assert result.exception is None or isinstance(result.exception, SystemExit), result.output
            # Named alike, the folders of two variants leave their outputs comparable.
            return result.exit_code, result.stdout.replace(str(folder), "{tmp}"), result.stderr

        return run

    return runner


def _assert_shown(*outputs: str) -> None:
    """No raw control, bidi or line separator, and no line that the payload started."""
    for output in outputs:
        assert not [c for c in output if c != "\n" and hidden(c)], output
        assert not [line for line in output.split("\n") if line.startswith(FORGED)], output


def _texts(data: Any) -> list[str]:
    """Every string in JSON data."""
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in [key, *_texts(value)]]
    if isinstance(data, list):
        return [text for item in data for text in _texts(item)]
    return [data] if isinstance(data, str) else []


PLAN = ("--plan", "{plan}")
LOG = ("--log", "{tmp}/incident.jsonl")
STEP = ("--at", AT, "--as-of", AT, *LOG, *PLAN)
VIEW = ("--at", LATER, *LOG, *PLAN)
OPEN = (
    ("incident", "open", "--level", "II", "--hit", HIT, "--by", "robert", *STEP),
    ("incident", "unavailable", "kc", "--by", "robert", *STEP),
)
COMMANDS = (
    ("who-is-in-charge", "--unavailable", "kc", "--at", AT, *PLAN),
    ("who-is-in-charge", "--unavailable", "nobody", "--at", AT, *PLAN),
    ("recovery-order", "--hit", HIT, "--start", AT, "--as-of", LATER, *PLAN),
    ("recovery-order", "--start", AT, "--as-of", LATER, *PLAN),
    ("coverage", "--as-of", AT, *PLAN),
    ("diff", "clean", "{plan}", *PLAN),
    ("calendar", "-o", "{tmp}/drills.ics", "--from", "2026-11-24", "--as-of", AT, *PLAN),
    *OPEN,
    ("incident", "fire", "assess", "--by", "robert", *STEP),
    ("incident", "fire", "activate", "--by", "robert", *STEP),
    ("incident", "fire", "no-such-trigger", "--by", "robert", *STEP),
    ("incident", "available", "kc", "--at", LATER, "--as-of", LATER, *LOG, *PLAN),
    ("incident", "status", *VIEW),
    ("incident", "diagram", *LOG, *PLAN),
)
REVIEWS = (("incident", "review", *VIEW), ("incident", "review", "--format", "record", *VIEW))
"""The review writes the exercise record, which refuses controls in plan text: run on prose only."""
JSONS = (
    ("check", "{plan}", "--format", "json"),
    ("coverage", "--format", "json", "--as-of", AT, *PLAN),
    ("diff", "clean", "{plan}", "--format", "json", *PLAN),
    ("incident", "status", "--format", "json", *VIEW),
)


@pytest.mark.parametrize(("hostile", "tame"), PAIRS)
def test_each_text_output_shows_the_payload_on_its_own_line(
    bcm: Callable[[str], Run], hostile: str, tame: str
) -> None:
    shown = []
    for args in (*COMMANDS, *(REVIEWS if hostile == "hostile-prose" else ())):
        code, out, err = bcm(hostile)(*args)
        _assert_shown(out, err)
        tame_code, tame_out, _ = bcm(tame)(*args)
        assert code == tame_code, args
        assert len(out.splitlines()) == len(tame_out.splitlines()), args
        # Only the record's YAML may differ: it quotes a text with a line break, not the tame one.
        assert out == tame_out or args in REVIEWS, args
        shown.append(one_line(PAYLOAD if hostile == "hostile" else PROSE) in out + err)
    assert shown.count(True) >= 8, shown


def test_check_lists_the_findings_without_a_forged_summary(bcm: Callable[[str], Run]) -> None:
    _, out, err = bcm("hostile")("check", "{plan}")
    _assert_shown(out, err)
    assert SHOWN in out
    # The one summary is the CLI's own last line; the payload's stays inside the finding it is in.
    summaries = [line for line in out.splitlines() if "个错误，" in line and SHOWN not in line]
    assert summaries == [out.splitlines()[-1]]


@pytest.mark.parametrize("hostile", [pair[0] for pair in PAIRS])
def test_each_json_output_parses_with_every_hidden_character_escaped(
    bcm: Callable[[str], Run], hostile: str, tmp_path: Path
) -> None:
    run = bcm(hostile)
    for step in OPEN:
        assert run(*step)[0] == 0
    reviews = [("incident", "review", "--format", "json", *VIEW)] if hostile == "hostile-prose" else []
    outputs: dict[tuple[str, ...], str] = {args: run(*args)[1] for args in (*JSONS, *reviews)}
    written = tmp_path / "status.json"
    to_file = ("incident", "status", "--format", "json", "-o", str(written), *VIEW)
    assert run(*to_file)[0] == 0
    outputs[to_file] = written.read_text(encoding="utf-8")
    payload = PAYLOAD if hostile == "hostile" else PROSE
    for args, out in outputs.items():
        _assert_shown(out)
        texts = _texts(json.loads(out))
        # Neither the check nor the coverage of this plan has a finding about the renamed items.
        assert args[0] in {"check", "coverage"} or any(payload in text for text in texts), args


def test_a_payload_in_a_plan_file_is_shown_whether_it_loads_or_not(tmp_path: Path) -> None:
    """The loader may refuse the name or pass it on to the rules: either way `bcm check` shows it."""
    plan = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan)
    people = plan / "people.yaml"
    quoted = json.dumps(PAYLOAD)  # a YAML double-quoted scalar reads JSON's escapes
    people.write_text(people.read_text(encoding="utf-8").replace("name: Robert", f"name: {quoted}"), "utf-8")
    _, out, err = _check(plan)
    _assert_shown(out, err)
    assert "\\x1b[2J" in out + err
    _, out, _ = _check(plan, "--format", "json")
    _assert_shown(out)
    data = json.loads(out)
    assert data["findings" if data["loaded"] else "problems"]


def _check(plan: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", str(plan), *args])
    return result.exit_code, result.stdout, result.stderr


TEXTS = [PAYLOAD, "中文　全角，标点。😀 👩‍💻 ✓", "\u00ad\u200b\u2028\u2066\U000e0041\x7f\x85", "C:\\plan\\n"]


@pytest.mark.parametrize("text", TEXTS)
def test_escaped_text_is_one_line_and_the_data_survives(text: str) -> None:
    line = one_line(text)
    assert "\n" not in line
    assert not [c for c in line if hidden(c)]
    assert json.loads(json_text({text: [text]})) == {text: [text]}
    assert yaml.safe_load(yaml_text([{"name": text}])) == [{"name": text}]
    for dumped in (json_text([text]), yaml_text([text])):
        assert not [c for c in dumped if c != "\n" and hidden(c)]


def test_readable_text_passes_unchanged() -> None:
    text = "盛转红（BCM 副指挥）：30m → 4h；“引号” 'quote' <tag> & 😀 👩‍💻 C:\\plan\\n"
    assert one_line(text) == text
    assert json_text(text) == json.dumps(text, ensure_ascii=False)
    assert yaml_text(text) == yaml.safe_dump(text, allow_unicode=True, width=1000)
