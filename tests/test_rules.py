"""Each rule fires on a small plan broken in one place, with its message; the clean plan has no finding."""

from collections.abc import Callable
from typing import Any

import pytest

from bcmlib import PlanLoadError, load_plan, validate
from bcmlib.validation.findings import RULES
from bcmlib.validation.validator import WAIVER_CODES
from tests.conftest import TODAY, WritePlan
from tests.risk_plans import MEASURED, insured, scenario, strategy, supplies
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


def _tolerable_past_the_mao(data: dict[str, Any]) -> None:
    """The analysis rates the outage tolerable (low) still at 48h, the typed MAO."""
    _points(data)[1]["rating"] = "low"


def _points(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The shipping process's impact on revenue over time: low at 24h, high (intolerable) at 48h."""
    points: list[dict[str, Any]] = _process(data)["bia"]["impacts"][0]["over_time"]
    return points


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


def _needs_slower_process(data: dict[str, Any]) -> None:
    slower = {**_process(data), "id": "pay", "name": "付款", "rto": "72h", "mao": None, "bia": None}
    data["processes"].append(slower)
    _process(data)["depends_on"] = {"processes": ["pay"]}


def _system_of_unknown_recovery(data: dict[str, Any]) -> None:
    data["systems"] = [{"id": "erp", "name": "ERP", "primary": "主", "fallback": "Excel"}]
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


def _levels(*ids: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["crisis_levels"] = [
            {
                "id": level,
                "name": f"{level}色预警",
                "definition": "d",
                "examples": ["e"],
                "confirmed_by": "role-0",
                "report_to": "role-1",
                "report_within": "1h",
                "commander": "role-0",
            }
            for level in ids
        ]

    return mutate


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


def _permanent(review_by: str) -> Mutation:
    """Bob's missing backup accepted for good, to be reviewed by `review_by`."""

    def mutate(data: dict[str, Any]) -> None:
        _waiver("2027-01-01")(data)
        data["waivers"][0].update(until=None, permanent=True, review_by=review_by)
        del data["waivers"][0]["until"]

    return mutate


def _backed_up_every(*every: str | None) -> Mutation:
    """The shipping process uses the ERP, whose data set's two backups are refreshed every `every`."""

    def mutate(data: dict[str, Any]) -> None:
        restore_tested("2026-06-01")(data)
        data["systems"] = [{"id": "erp", "name": "ERP", "primary": "p", "fallback": "f"}]
        data["processes"][0]["depends_on"] = {"systems": ["erp"]}
        backup = data["data_backups"][0]
        backup["systems"] = ["erp"]
        for copy, often in zip(backup["copies"][1:], every, strict=True):
            if often is not None:
                copy["every"] = often

    return mutate


def _head_of_affected_department(data: dict[str, Any]) -> None:
    data["departments"] = [{"id": "production", "name": "生产部", "head": "role-1"}]
    del _process(data)["department"]
    data["roles"][3].update(primary=None, backups=[], held_in_incident_by="heads-of-hit-departments")


def _report_to(contacts: list[dict[str, Any]], within: str | None) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["external_parties"] = [
            {"id": "bureau", "name": "应急管理局", "kind": "authority", "contacts": contacts}
        ]
        report = {"id": "accident", "to": "bureau", "when": "危化品事故", "by": "role-0"}
        data["external_reports"] = [report | ({"within": within} if within else {})]

    return mutate


def _communication(**change: Any) -> Mutation:
    """A communication section with everything set, changed by `change`; `drop` names fields to leave out."""

    def mutate(data: dict[str, Any]) -> None:
        section: dict[str, Any] = {
            "spokesperson": "role-0",
            "approver": "role-1",
            "audiences": [{"id": "customers", "name": "客户", "kind": "customers", "owner": "role-2"}],
            "templates": [{"audiences": ["customers"], "stage": "first-notice", "body": "{company}：{hit}"}],
        }
        for name in change.pop("drop", ()):
            del section[name]
        data["communication"] = section | change

    return mutate


def _no_cadence(data: dict[str, Any]) -> None:
    _levels("红")(data)
    _communication()(data)


_BUREAU_PHONE = [{"channel": "landline", "value": "12350", "personal": False}]


def _drop(item: dict[str, Any], *fields: str) -> None:
    for field in fields:
        del item[field]


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
    "PRC004": (_slow_system, "出货 → ERP"),
    "DEP001": (_system_of_unknown_recovery, "ERP"),
    "PRC005": (lambda d: _drop(_process(d), "mao", "bia"), "出货"),
    "PRC006": (lambda d: _process(d).pop("owner"), "出货"),
    "PRC007": (lambda d: d["document"].update(target_rto="12h"), "12"),
    "PRC008": (_needs_slower_process, "72"),
    "BIA001": (lambda d: _process(d).pop("bia"), "出货"),
    "BIA002": (lambda d: _points(d).append({"after": "72h", "rating": "low"}), "收入"),
    "BIA003": (lambda d: _process(d).update(mao="72h"), "72"),
    "BIA004": (lambda d: d["impact_categories"][0].pop("intolerable_from"), "收入"),
    "BIA005": (lambda d: _points(d).reverse(), "收入"),
    "BIA006": (_tolerable_past_the_mao, "48"),
    "MBC001": (lambda d: _process(d).pop("mbco"), "出货"),
    "MBC002": (lambda d: _process(d)["mbco"].update(roles=["role-1"]), "角色1"),
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
    "CRS002": (_levels(*"红橙黄蓝紫绿"), "绿"),
    "CRS003": (_levels("III", "Ⅲ"), "Ⅲ"),
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
    "COM001": (
        _communication(templates=[{"audiences": ["customers"], "stage": "update", "body": "{x.__class__}"}]),
        "x.__class__",
    ),
    "COM002": (_communication(drop=["spokesperson"]), "communication.spokesperson"),
    "COM003": (_communication(drop=["approver"]), "communication.approver"),
    "COM004": (_communication(drop=["templates"]), "客户"),
    "COM005": (_no_cadence, "红色预警"),
    "WAI001": (_waiver("2026-01-01"), "2026-01-01"),
    "WAI002": (_waiver("2027-01-01", rule="PRC001", item="processes/ship"), "PRC001"),
    "WAI003": (_permanent("2026-06-30"), "2026-06-30"),
    "PLH001": (lambda d: d["people"][0].update(name="待填写：总指挥的姓名"), "待填写：总指挥的姓名"),
    "BAK003": (_backed_up_every("1d", "1w"), "出货"),
    "BAK004": (_backed_up_every(None, None), "ERP 数据"),
    "ORG001": (lambda d: d.update(committees=[{"id": "wg", "name": "工作小组"}]), "工作小组"),
    "ORG002": (_head_of_affected_department, "出货"),
    "ORG003": (lambda d: _process(d).pop("department"), "出货"),
    "EXT001": (_report_to(_BUREAU_PHONE, None), "应急管理局"),
    "EXT002": (_report_to([], "1h"), "应急管理局"),
    "RSK002": (scenario(), "火灾"),
    "RSK003": (_scenario_without_treatment, "risk_matrix"),
    "RSK004": (scenario("likely", "severe", "avoid"), "火灾"),
    "INS001": (scenario("likely", "severe", "transfer"), "火灾"),
    "INS002": (insured(expires="2026-01-01"), "2026-01-01"),
    "INS003": (insured(claim_contact=False), "财产险"),
    "STR001": (strategy(**{**MEASURED, "ready_within": "48h"}), "备援仓"),
    "STR002": (strategy(mbco=80, **MEASURED), "备援仓"),
    "STR003": (strategy(), "备援仓"),
    "SUP001": (supplies(checked_on="2026-01-01"), "饮用水"),
    "SUP002": (supplies(checked_on="2026-11-01", expires="2026-06-01"), "2026-06-01"),
    "SUP003": (supplies(checked_on="2026-11-01", quantity=None), "饮用水"),
}


def test_every_rule_has_a_case() -> None:
    assert set(RULES) | set(WAIVER_CODES) == set(CASES)


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


@pytest.mark.parametrize("years", [0, 40])
def test_permanent_acceptance_never_expires_and_asks_for_its_review(
    years: int, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    _permanent("2026-06-30")(plan_data)
    plan = load_plan(write_plan(plan_data))
    findings = list(validate(plan, today=TODAY.replace(year=TODAY.year + years)))
    assert [(f.code, f.severity.value, f.waiver is not None) for f in findings] == [
        ("ROL002", "error", True),
        ("WAI003", "warning", False),
    ]
    assert "2026-06-30" in findings[0].describe("en")
    assert findings[0].as_dict()["waiver"]["permanent"] is True


def test_permanent_acceptance_reviewed_on_time_is_quiet(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    _permanent("2027-06-30")(plan_data)
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [(f.code, f.waiver is not None) for f in findings] == [("ROL002", True)]


@pytest.mark.parametrize(
    ("fields", "wanted"),
    [
        ({"until": "2027-01-01", "permanent": True, "review_by": "2027-01-01"}, "review_by"),
        ({"permanent": True}, "review_by"),
        ({}, "until"),
        ({"until": "2027-01-01", "review_by": "2027-01-01"}, "permanent"),
    ],
)
def test_a_waiver_either_expires_or_is_reviewed(
    fields: dict[str, Any], wanted: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    _waiver("2027-01-01")(plan_data)
    del plan_data["waivers"][0]["until"]
    plan_data["waivers"][0].update(fields)
    with pytest.raises(PlanLoadError) as caught:
        load_plan(write_plan(plan_data))
    (problem,) = caught.value.problems
    assert wanted in problem.describe("en")
    assert problem.location is not None
    assert problem.location.line > 0


@pytest.mark.parametrize(
    ("every", "rpo", "codes"),
    [
        (("4h", "1d"), "4h", []),  # the most frequent copy counts
        (("1d", None), "4h", ["BAK003"]),
        (("immediate", "1w"), "immediate", []),
        (("1h", None), "immediate", ["BAK003"]),
        ((None, None), "4h", ["BAK004"]),
    ],
)
def test_backups_keep_up_with_the_rpo_of_the_processes_using_the_data(
    every: tuple[str | None, str | None],
    rpo: str,
    codes: list[str],
    plan_data: dict[str, Any],
    write_plan: WritePlan,
) -> None:
    _backed_up_every(*every)(plan_data)
    plan_data["processes"][0]["rpo"] = rpo
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [f.code for f in findings if f.code.startswith("BAK")] == codes


def test_a_data_set_no_process_uses_has_no_rpo_to_meet(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    _backed_up_every(None, None)(plan_data)
    del plan_data["processes"][0]["depends_on"]
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [f.code for f in findings if f.code.startswith("BAK")] == []


def test_versions_that_differ_only_in_case_are_one_version(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    # On a Windows share v2 and V2 are one folder: the second publish would overwrite the first.
    plan_data["document"]["revisions"].append({"version": "V1", "date": "2026-02-01", "summary": "s"})
    findings = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [(f.code, f.params["version"]) for f in findings] == [("DOC001", "V1")]
