"""Crisis levels are the plan's own: 红/橙/黄/蓝 or Ⅰ/Ⅱ/Ⅲ run a drill from the command line, in its order."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bcmlib import load_plan
from bcmlib.cli import cli
from bcmlib.incident import Attempt, Incident, IncidentError, parse_level
from tests.conftest import PLAN_DIR
from tests.incident_driver import START, Drill

DAY = "2026-11-24T{}+08:00"


def _level(
    id_: str, name: str, confirmed_by: str, report_to: str, within: str, commander: str
) -> dict[str, Any]:
    """A level with the company's roles; the top manager decides where they command."""
    return {
        "id": id_,
        "name": name,
        "definition": f"{name}的定义",
        "examples": [f"{name}的事例"],
        "confirmed_by": confirmed_by,
        "report_to": report_to,
        "report_within": within,
        "commander": commander,
        "decided_by": commander if commander == TOP else None,
    }


TOP, QUALITY, DEPARTMENT = "top-management", "quality-head", "department-head"

COLOURS = [
    _level("红", "红色预警", QUALITY, TOP, "30m", TOP),
    _level("橙", "橙色预警", DEPARTMENT, TOP, "1h", QUALITY),
    _level("黄", "黄色预警", DEPARTMENT, QUALITY, "2h", QUALITY),
    _level("蓝", "蓝色预警", DEPARTMENT, QUALITY, "4h", QUALITY),
]
"""Four levels, most severe first, with the company's roles: each with its own reporting deadline."""

ROMAN = [
    _level("Ⅰ", "特别重大危机", QUALITY, TOP, "30m", TOP),
    _level("Ⅱ", "较大危机", DEPARTMENT, TOP, "2h", QUALITY),
    _level("Ⅲ", "一般性危机", DEPARTMENT, QUALITY, "2h", QUALITY),
]
"""The levels as the ISO 22301 procedure set writes them: Ⅰ级, Ⅱ级, Ⅲ级."""


def plan_with_levels(tmp_path: Path, levels: list[dict[str, Any]]) -> Path:
    """The company's plan with `levels` instead of its own, in a folder of its own."""
    folder = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, folder)
    crisis = folder / "crisis.yaml"
    data = yaml.safe_load(crisis.read_text(encoding="utf-8"))
    data["crisis_levels"] = [
        {key: value for key, value in level.items() if value is not None} for level in levels
    ]
    crisis.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The company's waiver for its level I has no level to stand for here.
    waivers = folder / "waivers.yaml"
    data = yaml.safe_load(waivers.read_text(encoding="utf-8"))
    data["waivers"] = [
        waiver for waiver in data["waivers"] if not waiver["item"].startswith("crisis_levels/")
    ]
    waivers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_drill_at_colour_levels_follows_the_plans_order_and_deadlines(tmp_path: Path) -> None:
    drill = Drill(tmp_path / "fire.jsonl", plan_with_levels(tmp_path, COLOURS), DAY)
    opened = drill.run(
        "incident", "open", "--level", "橙", "--hit", "仓库", "--drill", "--by", "盛转红", at="09:00"
    )
    assert opened.startswith("【演练】事件：情境 —，橙 级 橙色预警")
    drill.fire("assess", "盛转红", "09:05")
    assert "报告对象：KC" in drill.fire("report", "盛转红", "09:30")  # 橙 reports to the top manager
    assert drill.fire("escalate", "Robert", "09:40").endswith("；红 级。\n")
    refused = drill.fire("escalate", "Robert", "09:45", ok=False)
    assert "已是最高级别 红 级" in refused
    # 红's own deadline: 30 minutes from the move, not 橙's hour.
    status = drill.run("incident", "status", at="10:20")
    assert "红 级 红色预警" in status
    assert "报告（红 级）：已逾期！须于 2026-11-24 10:10 前" in status
    drill.fire("report", "Robert", "10:25")
    drill.fire("de-escalate", "KC", "11:00", "--note", "火势受控")
    drill.fire("de-escalate", "Robert", "12:00", "--note", "仅余仓储恢复")
    drill.fire("de-escalate", "Robert", "12:30", "--note", "只剩清理")
    assert "已是最低级别 蓝 级" in drill.fire("de-escalate", "Robert", "12:40", "--note", "再降", ok=False)
    review = drill.review("13:00")
    assert [level["level"] for level in review["levels"]] == ["橙", "红", "橙", "黄", "蓝"]
    assert review["highest_level"] == "红"
    assert [(r["level"], r["due"], r["outcome"]) for r in review["reports"]] == [
        ("橙", "2026-11-24T10:00:00+08:00", "met"),
        ("红", "2026-11-24T10:10:00+08:00", "late"),
        ("橙", "2026-11-24T12:00:00+08:00", "not-owed"),  # lowered by KC, whom 橙 reports to
        ("黄", "2026-11-24T14:00:00+08:00", "not-owed"),  # lowered by Robert, whom 黄 reports to
        ("蓝", "2026-11-24T16:30:00+08:00", "not-owed"),
    ]
    assert (
        "红 级危机向「最高管理者（总经理）」的报告晚于 2026-11-24 10:10。"
        in review["record"]["review"]["findings"]
    )


def test_a_drill_at_roman_levels_takes_them_however_typed(tmp_path: Path) -> None:
    drill = Drill(tmp_path / "drill.jsonl", plan_with_levels(tmp_path, ROMAN), DAY)
    opened = drill.run(
        "incident", "open", "--level", "III级", "--hit", "仓库", "--drill", "--by", "盛转红", at="09:00"
    )
    assert "Ⅲ 级 一般性危机" in opened
    assert '"level":"Ⅲ"' in drill.log.read_text(encoding="utf-8")
    drill.fire("assess", "盛转红", "09:05")
    drill.fire("escalate", "盛转红", "09:10")
    drill.fire("escalate", "Robert", "09:20")
    status = drill.run("incident", "status", at="09:21")
    assert "Ⅰ 级 特别重大危机" in status
    assert "报告（Ⅰ 级）：须在 2026-11-24 09:50 前" in status  # Ⅰ's own 30 minutes
    review = drill.review("10:00")
    assert review["highest_level"] == "Ⅰ"
    assert [level["level"] for level in review["levels"]] == ["Ⅲ", "Ⅱ", "Ⅰ"]
    assert [(r["level"], r["due"], r["outcome"]) for r in review["reports"]] == [
        ("Ⅲ", "2026-11-24T11:00:00+08:00", "pending"),
        ("Ⅱ", "2026-11-24T11:10:00+08:00", "pending"),
        ("Ⅰ", "2026-11-24T09:50:00+08:00", "missed"),
    ]


def test_a_log_written_at_iii_reads_with_a_plan_that_writes_it_as_the_seed_does(tmp_path: Path) -> None:
    """The company's plan writes III; once it writes Ⅲ, as its procedures print it, old logs still read."""
    log = tmp_path / "old.jsonl"
    Drill(log, PLAN_DIR, DAY).run(
        "incident", "open", "--level", "3", "--hit", "仓库", "--by", "盛转红", at="09:00"
    )
    assert '"level":"III"' in log.read_text(encoding="utf-8")
    drill = Drill(log, plan_with_levels(tmp_path, ROMAN), DAY)
    assert "Ⅲ 级 一般性危机" in drill.run("incident", "status", at="09:01")
    drill.fire("assess", "盛转红", "09:05")
    drill.fire("escalate", "盛转红", "09:10")
    assert [level["level"] for level in drill.review("09:30")["levels"]] == ["Ⅲ", "Ⅱ"]


def test_a_level_the_plan_does_not_have_is_a_clear_error_in_a_log(tmp_path: Path) -> None:
    log = tmp_path / "other.jsonl"
    Drill(log, PLAN_DIR, DAY).run("incident", "open", "--level", "II", "--by", "王婧", at="09:00")
    result = CliRunner().invoke(
        cli, ["incident", "status", "--log", str(log), "--plan", str(plan_with_levels(tmp_path, COLOURS))]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("bcm: 日志第 1 条记录的危机级别「II」不在计划中")
    assert (
        "1. 红 级（红色预警）、2. 橙 级（橙色预警）、3. 黄 级（黄色预警）、4. 蓝 级（蓝色预警）"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_opening_at_a_level_the_plan_does_not_have_lists_its_levels(tmp_path: Path) -> None:
    plan = str(plan_with_levels(tmp_path, COLOURS))
    result = CliRunner().invoke(
        cli,
        [
            "incident",
            "open",
            "--level",
            "II",
            "--log",
            str(tmp_path / "x.jsonl"),
            "--lang",
            "en",
            "--plan",
            plan,
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "bcm: The plan has no crisis level 'II'. Its levels, most severe first: 1. level 红 (红色预警), "
        "2. level 橙 (橙色预警), 3. level 黄 (黄色预警), 4. level 蓝 (蓝色预警); type the identifier, "
        "the name or the place (1 is the most severe).\n"
    )
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ⅲ", "III"), ("III", "III"), ("iii", "III"), ("Ⅲ级", "III"), ("III 級", "III"), ("Level III", "III"),
        ("3", "III"), ("３", "III"), ("一般性危机", "III"), ("1", "I"), ("特别重大危机", "I"), (" II ", "II"),
    ],
)  # fmt: skip
def test_every_way_people_write_a_level(text: str, level: str) -> None:
    assert parse_level(text, load_plan(PLAN_DIR)) == level


def test_a_text_two_levels_answer_to_is_refused() -> None:
    plan = load_plan(PLAN_DIR)
    # Numbered the other way round: 1 is the last level by its identifier and the first by its place.
    levels = [
        level.model_copy(update={"id": str(3 - index)}) for index, level in enumerate(plan.crisis_levels)
    ]
    with pytest.raises(IncidentError) as refused:
        parse_level("1", plan.model_copy(update={"crisis_levels": levels}))
    assert refused.value.msg.key == "incident.ambiguous_level"
    assert "1. 3 级（特别重大危机）" in refused.value.message("zh")


@pytest.mark.parametrize(("count", "line_of"), [(1, None), (6, "绿")])
def test_fewer_than_two_or_more_than_five_levels_are_refused(
    tmp_path: Path, count: int, line_of: str | None
) -> None:
    extra = [{**COLOURS[-1], "id": colour, "name": f"{colour}色预警"} for colour in "紫绿"]
    folder = plan_with_levels(tmp_path, [*COLOURS, *extra][:count])
    result = CliRunner().invoke(cli, ["check", str(folder), "--as-of", "2026-11-24"])
    assert result.exit_code == 1
    lines = (folder / "crisis.yaml").read_text(encoding="utf-8").splitlines()
    # At the first level too many, or at the list itself when there are too few.
    wanted = f"- id: {line_of}" if line_of else "crisis_levels:"
    line = next(number for number, text in enumerate(lines, start=1) if text.strip() == wanted)
    found = [text for text in result.stdout.splitlines() if " CRS002 " in text]
    assert len(found) == 1
    assert found[0].startswith(f"{folder / 'crisis.yaml'}:{line}:")
    assert f"计划列出 {count} 个危机级别" in found[0]
    assert "应为 2 到 5 个，由重到轻排列" in found[0]


def test_a_level_id_with_a_space_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = plan_with_levels(tmp_path, [{**COLOURS[0], "id": "红 色"}, *COLOURS[1:]])
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'crisis.yaml'}:" in result.stderr
    assert "危机级别的标识只能由字母（任何文字）、数字和中间的连字符组成" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_help_of_level_lists_the_plans_levels(tmp_path: Path) -> None:
    folder = plan_with_levels(tmp_path, COLOURS)
    result = CliRunner().invoke(cli, ["incident", "open", "--help"], env={"BCM_PLAN": str(folder)})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "most severe first: 1. level 红 (红色预警), 2. level 橙 (橙色预警), 3. level 黄" in text


def test_the_library_opens_at_a_roman_numeral_written_either_way(tmp_path: Path) -> None:
    incident = Incident(load_plan(plan_with_levels(tmp_path, ROMAN)))
    incident.fire(Attempt("alert", None, START, level="II"))
    assert (incident.records[0].level, incident.crisis_level.name) == ("Ⅱ", "较大危机")
