"""`bcm incident`, `bcm who-is-in-charge` and `bcm recovery-order` as a user runs them."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bcmlib.cli import cli
from tests.conftest import PLAN_DIR

PLAN = ("--plan", str(PLAN_DIR))


def bcm(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, *PLAN])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "drill.jsonl"
    code, out, err = bcm(
        "incident", "open", "--level", "II", "--scenario", "lithera-down-24h", "--drill",
        "--kind", "tabletop", "--hit", "lithera-platform,customer-shipping", "--by", "王婧",
        "--at", "2026-11-24T09:00+08:00", "--log", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("【演练】事件：情境 lithera-down-24h，II 级 较大危机")
    return path


def fire(log: Path, trigger: str, by: str, at: str, *extra: str) -> tuple[int, str, str]:
    return bcm(
        "incident", "fire", trigger, "--by", by, "--at", f"2026-11-24T{at}+08:00", "--log", str(log), *extra
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("activate", "kc", "09:10"),
            "触发器「activate」不能在状态 事件发生 (alert) 触发，只能在：确认危机与级别 (assessment)",
        ),
        (("assess", "wang-jing", "09:10"), "触发器「assess」被拒绝：王婧 现在无权触发"),
        (("assess", "nobody", "09:10"), "计划中没有「nobody」这个人"),
        (("assess", "robert", "08:59"), "早于事件开始"),
        (("launch", "robert", "09:10"), "没有触发器「launch」"),
        (("hit", "robert", "09:10", "--process", "customer-shipping"), "已登记为受影响：客户出货"),
    ],
)
def test_refusals_are_one_line_exit_1_and_leave_the_log_alone(
    log: Path, args: tuple[str, ...], expected: str
) -> None:
    before = log.read_bytes()
    code, out, err = fire(log, *args)
    assert code == 1
    assert out == ""
    assert err.startswith("bcm: ")
    assert expected in err
    assert err.count("\n") == 1
    assert log.read_bytes() == before


def test_a_drill_run_from_the_command_line(log: Path) -> None:
    assert fire(log, "assess", "robert", "09:05")[0] == 0
    assert fire(log, "report", "robert", "09:30")[0] == 0
    code, out, _ = bcm(
        "incident", "unavailable", "KC", "--by", "robert", "--at", "2026-11-24T09:31+08:00", "--log", str(log)
    )
    assert code == 0
    assert "unavailable" in out
    code, out, _ = fire(log, "activate", "Charles", "09:40")
    assert code == 0
    assert "由 Charles 以「BCM 总指挥」（备援 1）身份" in out
    assert fire(log, "mobilise", "charles", "09:50")[0] == 0
    assert fire(log, "start-recovery", "robert", "10:00")[0] == 0
    assert fire(log, "restore-process", "robert", "14:00", "--process", "lithera-platform")[0] == 0

    code, out, _ = bcm("incident", "status", "--at", "2026-11-24T14:30+08:00", "--log", str(log))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("状态：按优先级在 RTO 内恢复 (recovery)")
    assert "报告（II 级）：已于 2026-11-24 09:30 向「最高管理者（总经理）」KC 报告 — 按时。" in lines
    assert "不在岗：KC（自 2026-11-24 09:31）" in lines
    # 客户出货 depends on Lithera 平台, which comes first; 2. is 客户响应, down through Lithera 平台 too.
    assert (
        "  1. Lithera 平台 (lithera-platform)：RTO 4h，截止 2026-11-24 13:00；"
        "已于 2026-11-24 14:00 恢复【已逾期】" in lines
    )
    assert "  3. 客户出货 (customer-shipping)：RTO 24h，截止 2026-11-25 09:00；待恢复" in lines
    assert any(line.startswith("  restore（全部恢复）：") and "Charles" in line for line in lines)

    code, out, _ = bcm("incident", "review", "--at", "2026-11-25T09:01+08:00", "--log", str(log))
    assert code == 0
    assert "  Lithera 平台：5h / 4h — 未达成" in out
    # 客户出货 and 客户响应 (down with Lithera 平台) are not restored, and their deadlines have passed.
    assert "RTO 达成率：0/3（0%）" in out
    code, out, _ = bcm(
        "incident", "review", "--format", "record", "--at", "2026-11-24T15:00+08:00", "--log", str(log)
    )
    (record,) = yaml.safe_load(out)
    assert record["id"] == "drill-20261124-0900"
    assert record["review"]["results"] == [
        {"process": "lithera-platform", "rto_actual": "5h"},
        {"process": "customer-shipping"},
        {"process": "customer-response"},
    ]


def test_open_refuses_a_log_that_holds_an_incident(log: Path) -> None:
    before = log.read_bytes()
    code, _, err = bcm("incident", "open", "--level", "I", "--log", str(log))
    assert code == 1
    assert "已有一个事件" in err
    assert log.read_bytes() == before


def test_commands_on_an_empty_log_say_to_open_first(tmp_path: Path) -> None:
    code, _, err = bcm("incident", "status", "--log", str(tmp_path / "none.jsonl"))
    assert code == 1
    assert "bcm incident open" in err


def test_a_broken_plan_runs_no_incident(tmp_path: Path) -> None:
    broken = tmp_path / "plan.yaml"
    broken.write_text("people: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["recovery-order", "--plan", str(broken)])
    assert result.exit_code == 1
    assert "bcm check" in result.stderr


def test_who_is_in_charge_with_people_out() -> None:
    code, out, _ = bcm(
        "who-is-in-charge", "--unavailable", "KC@2026-11-10,robert", "--at", "2026-11-24T10:00+08:00"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("截至 2026-11-24 10:00，不在岗：KC（自 2026-11-10 00:00）、Robert")
    assert "BCM 总指挥：Charles（备援 1）；KC 不在" in lines
    assert "BCM 副指挥：空缺 — 无人可担任" in lines
    assert "质量负责人：外聘技术顾问（备援 2）；Robert、KC 不在" in lines
    assert any("已开放（自 2026-11-17 00:00）；可取得者：Charles、王婧" in line for line in lines)
    assert any(line.startswith("决策授权") and "现由 Charles（备援 1）" in line for line in lines)


def test_diagram_command(log: Path) -> None:
    code, out, _ = bcm("incident", "diagram")
    assert code == 0
    assert out.startswith('---\ntitle: "事件处置流程"\n---\nstateDiagram-v2')
    code, out, _ = bcm("incident", "diagram", "--log", str(log), "--lang", "en")
    assert "Class alert s_active" in out
    assert 'title: "Incident workflow"' in out


def test_a_refused_opening_writes_no_log(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    code, _, err = bcm("incident", "open", "--level", "II", "--scenario", "meteor", "--log", str(path))
    assert code == 1
    assert "计划中没有情境「meteor」" in err
    assert not path.exists()
