"""The practitioner's three drills, run from the command line as responders run them, reviews spelled out."""

from __future__ import annotations

from pathlib import Path

from tests.incident_driver import Drill


def test_kc_unreachable_for_seven_days_tabletop(tmp_path: Path) -> None:
    """SOP-19 §8.2 模拟 KC 失联 7 天: KC's roles pass on, the report goes to Charles, 1Password opens."""
    drill = Drill(tmp_path / "kc.jsonl")
    drill.run(
        "incident", "open", "--level", "Ⅱ", "--scenario", "模拟 KC 失联 7 天", "--drill",
        "--kind", "桌上演练", "--by", "王婧", at="24T09:00",
    )  # fmt: skip
    drill.run("incident", "unavailable", "KC", "--by", "Robert", at="24T09:05")
    drill.fire("assess", "Robert", "24T09:10")
    assert "报告对象：Charles" in drill.fire("report", "Robert", "24T09:20")
    assert "Charles 以「BCM 总指挥」（备援 1）身份" in drill.fire("activate", "Charles", "24T09:30")
    status = drill.run("incident", "status", at="24T09:31")
    assert "紧急访问「1Password" in status
    assert "将于 2026-12-01 09:05 开放" in status
    review = drill.review("24T10:00")
    assert review["highest_level"] == "II"
    assert [(r["level"], r["recipient"], r["outcome"]) for r in review["reports"]] == [
        ("II", "charles", "met")
    ]
    backups = review["record"]["review"]["backup_availability"]
    for passed in (
        "BCM 总指挥 由 Charles（备援 1）接替",
        "对外联络 由 蔡坤旺律师（备援 1）接替",
        "总经理 由 Charles（备援 1）接替",
    ):
        assert passed in backups
    assert review["record"]["scenario"] == "kc-unreachable-7d"
    assert review["record"]["kind"] == "tabletop"


def test_warehouse_fire_escalated_three_to_one_and_back(tmp_path: Path) -> None:
    """A warehouse fire, Ⅲ → Ⅱ → Ⅰ → Ⅱ → Ⅲ: one report up covers all owed, none owed on the way down."""
    drill = Drill(tmp_path / "fire.jsonl")
    opened = drill.run(
        "incident", "open", "--level", "Ⅲ", "--hit", "仓库", "--drill", "--by", "盛转红", at="24T09:00"
    )
    assert opened.index("危化品仓储安全") < opened.index("客户出货")
    drill.fire("assess", "盛转红", "24T09:05")  # the warehouse head: owner of what the fire took down
    assert "报告对象：Robert" in drill.fire("report", "盛转红", "24T09:30")
    drill.fire("escalate", "Robert", "24T09:40")
    drill.fire("escalate", "Robert", "24T10:00")
    drill.fire("stand-down", "Robert", "24T10:05", "--note", "火已灭", ok=False)  # Ⅰ: only the top manager
    assert "报告对象：KC" in drill.fire("report", "Robert", "24T10:10")
    drill.fire("de-escalate", "KC", "24T12:00", "--note", "火势受控")
    drill.fire("de-escalate", "Robert", "24T13:00", "--note", "仅余仓储恢复")
    review = drill.review("24T18:00")
    assert [level["level"] for level in review["levels"]] == ["III", "II", "I", "II", "III"]
    assert review["highest_level"] == "I"
    assert [(r["level"], r["recipient"], r["outcome"]) for r in review["reports"]] == [
        ("III", "robert", "met"),
        ("II", "kc", "met"),
        ("I", "kc", "no-deadline"),
        ("II", None, "not-owed"),  # lowered by KC, the Ⅱ recipient
        ("III", None, "not-owed"),  # lowered by Robert, the Ⅲ recipient
    ]
    assert review["record"]["review"]["findings"] == ["危化品仓储安全 未在 RTO 1h 内恢复。"]


def test_a_real_lithera_outage_with_a_late_report(tmp_path: Path) -> None:
    """A real incident at Ⅱ: the report 30 minutes late, Lithera back in 4h30m, 30 minutes of data lost."""
    drill = Drill(tmp_path / "lithera.jsonl")
    drill.run(
        "incident",
        "open",
        "--level",
        "2",
        "--scenario",
        "系统故障",
        "--hit",
        "Lithera 平台",
        "--by",
        "王婧",
        at="24T09:00",
    )
    drill.fire("assess", "Robert", "24T09:05")
    status = drill.run("incident", "status", at="24T11:10")
    assert "报告（II 级）：已逾期！须于 2026-11-24 11:00 前向「最高管理者（总经理）」KC 报告" in status
    drill.fire("report", "Robert", "24T11:30")
    drill.fire("activate", "KC", "24T11:35")
    drill.fire("mobilise", "KC", "24T11:40")
    drill.fire("开始恢复", "KC", "24T11:45")
    drill.fire(
        "restore-process",
        "Robert",
        "24T13:30",
        "--process",
        "Lithera 平台",
        "--data-as-of",
        "2026-11-24T08:30+08:00",
    )
    drill.fire("restore-process", "盛转红", "24T13:40", "--process", "客户响应")
    drill.fire("restore-process", "盛转红", "24T14:00", "--process", "客户出货")
    drill.fire("restore", "KC", "24T14:05")
    drill.fire("start-review", "KC", "24T15:00")
    drill.fire("close", "KC", "24T16:00")
    review = drill.review("25T09:00")
    assert review["drill"] is False
    assert [(r["level"], r["outcome"]) for r in review["reports"]] == [("II", "late")]
    outcomes = {p["item"]: (p["rto_actual"], p["rpo_actual"], p["outcome"]) for p in review["processes"]}
    assert outcomes == {
        "systems/lithera": ("4h30m", "30m", None),  # the plan gives the system no recovery time
        "lithera-platform": ("4h30m", "30m", "missed"),
        "customer-response": ("4h40m", None, "missed"),
        "customer-shipping": ("5h", None, "met"),
    }
    assert review["rto_achievement"] == {"met": 1, "measured": 3}
    findings = review["record"]["review"]["findings"]
    assert "II 级危机向「最高管理者（总经理）」的报告晚于 2026-11-24 11:00。" in findings
