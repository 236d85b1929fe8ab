"""Each rule fires on a small plan broken in one place, with its message; the clean plan has no finding."""

from collections.abc import Callable
from typing import Any

import pytest

from bcmlib import load_plan, validate
from bcmlib.validation.findings import RULES
from tests.conftest import TODAY, WritePlan
from tests.upkeep_plans import (
    action_due,
    backups_trained,
    contact_verified,
    drill_held,
    plan_reviewed,
    restore_tested,
)

Mutation = Callable[[dict[str, Any]], None]


def _role(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    role: dict[str, Any] = data["roles"][index]
    return role


def _process(data: dict[str, Any]) -> dict[str, Any]:
    process: dict[str, Any] = data["processes"][0]
    return process


def _held_in_circle(data: dict[str, Any]) -> None:
    data["roles"] += [
        {"id": "a", "name": "甲", "group": "crisis-duty", "held_by": "b", "duties": ["x"]},
        {"id": "b", "name": "乙", "group": "crisis-duty", "held_by": "a", "duties": ["x"]},
    ]


def _first_backup_everywhere(data: dict[str, Any]) -> None:
    for role in data["roles"][1:]:
        role["backups"] = ["ann"]


def _slow_system(data: dict[str, Any]) -> None:
    data["systems"] = [
        {"id": "erp", "name": "ERP", "primary": "主", "fallback": "Excel", "recovery_time": "48h"}
    ]
    _process(data)["depends_on"] = {"systems": ["erp"]}


def _two_copies(data: dict[str, Any]) -> None:
    data["data_backups"] = [
        {
            "id": "erp-data",
            "name": "ERP 数据",
            "copies": [
                {"name": "主存", "location": "云", "medium": "cloud-ssd", "primary": True, "offsite": False},
                {"name": "备份", "location": "NAS", "medium": "cloud-ssd", "offsite": False},
            ],
        }
    ]


def _workflow(**change: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        opening = {"id": "open-it", "name": "开启", "source": ["normal"], "dest": "open", "by": ["anyone"]}
        opening["effect"] = "open"
        data["incident_workflow"] = {
            "initial": "normal",
            "states": [{"id": "normal", "name": "正常"}, {"id": "open", "name": "处置中", "final": True}],
            "transitions": [{**opening, **change}],
        }

    return mutate


def _tabletop_overdue(data: dict[str, Any]) -> None:
    data["exercises"] = {"kinds": [{"id": "tabletop", "name": "桌上演练", "every": "6mo"}]}


def _scenario_overdue(data: dict[str, Any]) -> None:
    data["document"]["revisions"][0]["date"] = "2024-01-01"
    data["exercises"] = {
        "kinds": [{"id": "live", "name": "实战演练", "every": "1y"}],
        "scenarios": [{"id": f"s{n}", "name": f"情境{n}"} for n in range(2)],
        "records": [{"id": "r1", "date": "2026-01-05", "kind": "live", "scenario": "s0"}],
    }


def _level_without_deadline(data: dict[str, Any]) -> None:
    data["crisis_levels"] = [
        {
            "id": "I",
            "name": "特别重大危机",
            "definition": "d",
            "confirmed_by": "role-0",
            "commander": "role-0",
        }
    ]


def _commander_with_only_mail(data: dict[str, Any]) -> None:
    _role(data)["group"] = "bcm-organisation"
    data["people"][0]["contacts"] = [{"channel": "email", "value": "ann@example.com", "personal": False}]


def _scenario_without_treatment(data: dict[str, Any]) -> None:
    data["risk_scenarios"] = [{"id": "fire", "name": "火灾", "level": "medium", "frequency": "5-20y"}]


def _nothing_to_do_first(data: dict[str, Any]) -> None:
    """No safety step or call for everyone: Bob's role fires no trigger and owns no process."""
    del data["life_safety"], data["call_tree"]


def _waiver(until: str, rule: str = "ROL002", item: str = "roles/role-0") -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["waivers"] = [{"rule": rule, "item": item, "reason": "r", "accepted_by": "ann", "until": until}]
        if rule == "ROL002":
            _role(data)["backups"] = []

    return mutate


CASES: dict[str, tuple[Mutation, str]] = {
    "REF001": (lambda d: _role(d).update(backups=["nobody"]), "nobody"),
    "REF002": (lambda d: d["people"].append(dict(d["people"][0])), "ann"),
    "ROL001": (lambda d: _role(d).update(primary=None, backups=[]), "角色0"),
    "ROL002": (lambda d: _role(d).update(backups=[]), "角色0"),
    "ROL003": (lambda d: _role(d).update(backups=["bob", "bob"]), "Bob"),
    "ROL004": (_held_in_circle, "a → b → a"),
    "ROL005": (_first_backup_everywhere, "Ann"),
    "ROL006": (lambda d: _role(d).update(duties=[]), "角色0"),
    "ROL007": (lambda d: d["people"][0].update(contacts=[]), "Ann"),
    "PRC001": (lambda d: _process(d).pop("rto"), "出货"),
    "PRC002": (lambda d: _process(d).pop("rpo"), "出货"),
    "PRC003": (lambda d: _process(d).update(rto="72h"), "72"),
    "PRC004": (_slow_system, "erp"),
    "PRC005": (lambda d: _process(d).pop("mao"), "出货"),
    "PRC006": (lambda d: _process(d).pop("owner"), "出货"),
    "PRC007": (lambda d: d["document"].update(target_rto="12h"), "12"),
    "BAK001": (_two_copies, "ERP 数据"),
    "EXR001": (_tabletop_overdue, "桌上演练"),
    "EXR002": (_scenario_overdue, "情境1"),
    "EXR003": (drill_held("2026-11-01"), "桌上演练"),
    "CON001": (contact_verified("2026-06-01"), "Ann"),
    "CON002": (_commander_with_only_mail, "Ann"),
    "CON003": (
        lambda d: d["people"][1]["contacts"].append(
            {"channel": "mobile", "value": "138 0013 8000 (night: 139…)", "personal": True}
        ),
        "Bob",
    ),
    "BAK002": (restore_tested(None), "ERP 数据"),
    "ACT001": (action_due("2026-06-30"), "修复备用电源"),
    "DOC002": (plan_reviewed("2026-02-01"), "2026-02-01"),
    "TRN001": (backups_trained(None), "Dee"),
    "CRS001": (_level_without_deadline, "特别重大危机"),
    "DOC001": (
        lambda d: d["document"]["revisions"].append({"version": "v2", "date": "2025-01-01", "summary": "s"}),
        "v2",
    ),
    "RSK001": (_scenario_without_treatment, "火灾"),
    "WFL001": (_workflow(by=[]), "open-it"),
    "WFL002": (_workflow(effect=None), "normal"),
    "LIF001": (lambda d: d["life_safety"].update(services=[]), "119"),
    "LIF002": (lambda d: d["life_safety"].pop("assembly_point"), "assembly_point"),
    "CAL001": (lambda d: d["call_tree"]["links"][0].update(caller="role-1"), "call_tree"),
    "LVL001": (_level_without_deadline, "特别重大危机"),
    "DOC003": (lambda d: d["document"].pop("handbook_address"), "handbook_address"),
    "SCN001": (_scenario_without_treatment, "火灾"),
    "RUN001": (_nothing_to_do_first, "Bob"),
    "WAI001": (_waiver("2026-01-01"), "2026-01-01"),
    "WAI002": (_waiver("2027-01-01", rule="PRC001", item="processes/ship"), "PRC001"),
}


def test_every_rule_has_a_case() -> None:
    assert set(RULES) | {"WAI001", "WAI002"} == set(CASES)


def test_clean_plan_has_no_finding(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    assert validate(load_plan(write_plan(plan_data)), today=TODAY).findings == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_with_its_message(code: str, plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    mutate, mentioned = CASES[code]
    mutate(plan_data)
    path = write_plan(plan_data)
    findings = [f for f in validate(load_plan(path), today=TODAY) if f.code == code]
    assert findings, f"{code} did not fire"
    finding = findings[0]
    assert mentioned in finding.message("zh")
    assert mentioned in finding.message("en")
    assert finding.location is not None
    assert finding.location.file == path
    assert finding.location.line > 0


def test_waiver_that_holds_marks_the_finding(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    _waiver("2027-01-01")(plan_data)
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [(f.code, f.waiver is not None) for f in findings] == [("ROL002", True)]


def test_expired_waiver_makes_the_finding_an_error_again(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    _waiver("2026-01-01")(plan_data)
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert sorted((f.code, f.waiver is None) for f in findings) == [("ROL002", True), ("WAI001", True)]


def test_versions_that_differ_only_in_case_are_one_version(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    # On a Windows share v2 and V2 are one folder: the second publish would overwrite the first.
    plan_data["document"]["revisions"].append({"version": "V1", "date": "2026-02-01", "summary": "s"})
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [(f.code, f.params["version"]) for f in findings] == [("DOC001", "V1")]
