"""Departments, committees, outside parties and their reports, the company's name: model, rules, handbook."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bcmlib import PlanLoadError, load_plan, validate
from bcmlib.cli import cli
from bcmlib.handbook.pages import render_handbook
from bcmlib.handbook.printing import footer_text
from bcmlib.i18n import Lang, translate
from bcmlib.incident.workflow import Attempt, Incident
from bcmlib.models import Plan
from bcmlib.response.checklists import banded, every_checklist
from tests.conftest import PLAN_DIR, ROOT, TODAY, WritePlan
from tests.incident_driver import START


def _organised(data: dict[str, Any]) -> dict[str, Any]:
    """The small plan with a company, two departments, a committee, an outside party and its report."""
    data["company"] = {"name": "测试化工有限公司", "short_name": "测试化工"}
    data["departments"] = [
        {"id": "production", "name": "生产部", "head": "role-1"},
        {"id": "admin", "name": "行政部", "head": "role-2"},
    ]
    data["processes"][0]["department"] = "production"
    data["committees"] = [
        {
            "id": "working-group",
            "name": "BCM 工作小组",
            "chair": "role-0",
            "members": ["role-1", "role-2"],
            "duties": ["进行业务影响分析"],
            "source": "程序 §4.8",
        }
    ]
    data["external_parties"] = [
        {
            "id": "safety-bureau",
            "name": "区应急管理局",
            "kind": "authority",
            "contacts": [{"channel": "landline", "value": "021-5555 0100", "personal": False}],
        },
        {"id": "insurer", "name": "某保险公司", "kind": "insurer"},
    ]
    data["external_reports"] = [
        {
            "id": "chemical-accident",
            "to": "safety-bureau",
            "when": "危险化学品事故",
            "within": "1h",
            "by": "role-2",
            "source": "条例 §9",
        }
    ]
    data["sites"] = [{"id": "plant", "name": "一号厂区", "kind": "plant"}]
    data["document"]["approvals"] = [{"label": "编制", "approvers": ["ann"]}]
    data["people"][3]["kind"] = "contractor"
    return data


@pytest.fixture
def organised(plan_data: dict[str, Any], write_plan: WritePlan) -> Plan:
    return load_plan(write_plan(_organised(plan_data)))


def test_an_organised_plan_is_clean(organised: Plan) -> None:
    assert validate(organised, today=TODAY).findings == []
    assert organised.company is not None
    assert organised.company.title == "测试化工"
    assert organised.committees[0].roles == ["role-0", "role-1", "role-2"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["external_parties"][0].update(kind="police-station"), "kind"),
        (lambda d: d["sites"][0].update(kind="moon-base"), "kind"),
        (lambda d: d["external_reports"][0].pop("to"), "to"),
        (lambda d: d["departments"][0].pop("head"), "head"),
        (lambda d: d["company"].update(name=""), "name"),
        (lambda d: d["roles"][3].update(held_in_incident_by="someone-nice"), "held_in_incident_by"),
    ],
)
def test_the_model_refuses_what_it_cannot_hold(
    change: Any, field: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _organised(plan_data)
    change(data)
    with pytest.raises(PlanLoadError) as raised:
        load_plan(write_plan(data))
    assert field in str(raised.value)


@pytest.mark.parametrize(
    ("change", "ref"),
    [
        (lambda d: d["departments"][0].update(head="role-9"), "role-9"),
        (lambda d: d["committees"][0]["members"].append("role-9"), "role-9"),
        (lambda d: d["external_reports"][0].update(to="fire-brigade"), "fire-brigade"),
        (lambda d: d["external_reports"][0].update(levels=["IV"]), "IV"),
        (lambda d: d["processes"][0].update(department="sales"), "sales"),
    ],
)
def test_every_new_reference_is_checked(
    change: Any, ref: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _organised(plan_data)
    change(data)
    found = [f for f in validate(load_plan(write_plan(data)), today=TODAY) if f.code == "REF001"]
    assert [ref in f.message("en") for f in found] == [True]


def test_a_head_of_the_affected_department_needs_every_process_in_a_department(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _organised(plan_data)
    data["roles"].append(
        {
            "id": "department-head",
            "name": "部门主管",
            "group": "crisis-duty",
            "held_in_incident_by": "heads-of-hit-departments",
            "duties": ["收集信息"],
        }
    )
    assert validate(load_plan(write_plan(data)), today=TODAY).findings == []
    data["processes"][0].pop("department")
    found = validate(load_plan(write_plan(data)), today=TODAY).findings
    assert [(f.code, f.item) for f in found] == [("ORG002", "processes/ship")]


def test_a_report_owed_to_a_party_without_a_phone_is_an_error(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _organised(plan_data)
    data["external_reports"].append({"id": "claim", "to": "insurer", "when": "财产损失", "by": "role-0"})
    found = validate(load_plan(write_plan(data)), today=TODAY).findings
    assert sorted((f.code, f.item) for f in found) == [
        ("EXT001", "external_reports/claim"),
        ("EXT002", "external_parties/insurer"),
    ]


def _pages(plan: Plan, lang: Lang) -> dict[str, str]:
    report = validate(plan, today=TODAY)
    return {page.path: page.markdown for page in render_handbook(plan, report, TODAY, lang)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handbook_shows_the_organisation_where_people_need_it(organised: Plan, lang: Lang) -> None:
    pages = _pages(organised, lang)
    organisation = pages["organisation.md"]
    assert "生产部" in organisation
    assert "[角色1](runbooks/roles/role-1.md)" in organisation
    assert "BCM 工作小组" in organisation
    assert "进行业务影响分析" in organisation
    assert "[角色0](runbooks/roles/role-0.md)" in organisation.split("BCM 工作小组")[1]
    # The reporting role's runbook, the contacts, crisis-level pages and wallet card each carry the report,
    # with the authority's number a tap away.
    dialled = 'href="tel:02155550100"'
    for page in ("runbooks/roles/role-2.md", "contacts.md", "crisis-levels.md", "wallet-card.md"):
        assert "危险化学品事故" in pages[page], page
        assert dialled in pages[page], page
    # A member's runbook says which committee they sit on; others' do not.
    assert "BCM 工作小组" in pages["runbooks/roles/role-1.md"]
    assert "BCM 工作小组" not in pages["runbooks/roles/role-3.md"]
    assert "编制" in pages["governance.md"]
    department = translate("handbook.organisation.department", lang)
    assert f"**{department}**{translate('punctuation.colon', lang)}生产部" in pages["processes.md"]
    assert f"| 一号厂区 | {translate('handbook.systems.site_kinds.plant', lang)} |" in pages["systems.md"]


def test_the_company_s_name_is_on_every_printed_page(organised: Plan) -> None:
    assert footer_text(organised, "zh").startswith("测试化工 · ")
    assert footer_text(organised, "en").startswith("测试化工 · ")


def _company_with_departments(folder: Path) -> Plan:
    """The company's plan, its processes put in departments and its department head resolved by them.

    Customer shipping (owned by the business post) is put in the finance department and payments
    (owned by finance) in marketing, so the owner and the department head of each are different people.
    """
    shutil.copytree(PLAN_DIR, folder)
    processes = yaml.safe_load((folder / "processes.yaml").read_text(encoding="utf-8"))
    departments = {"customer-shipping": "finance", "payments": "marketing"}
    for process in processes["processes"]:
        process["department"] = departments.get(process["id"], "management")
    (folder / "processes.yaml").write_text(yaml.safe_dump(processes, allow_unicode=True), encoding="utf-8")
    roles = yaml.safe_load((folder / "roles.yaml").read_text(encoding="utf-8"))
    head = next(role for role in roles["roles"] if role["id"] == "department-head")
    head["held_in_incident_by"] = "heads-of-hit-departments"
    (folder / "roles.yaml").write_text(yaml.safe_dump(roles, allow_unicode=True), encoding="utf-8")
    return load_plan(folder)


@pytest.mark.parametrize(
    ("process", "confirmer"), [("customer-shipping", "wang-jing"), ("payments", "sheng-zhuanhong")]
)
def test_the_head_of_the_affected_department_is_resolved_per_incident(
    tmp_path: Path, process: str, confirmer: str
) -> None:
    plan = _company_with_departments(tmp_path / "plan")
    incident = Incident(plan)
    incident.fire(Attempt("alert", None, START, processes=(process,), level="II", scenario="system-failure"))
    at = START + timedelta(minutes=1)
    confirmers = [held.person for held in incident.holders_for(incident.transitions["assess"], at)]
    assert confirmers[0] == confirmer
    # The head confirms: the record says which role they acted as.
    incident.fire(Attempt("assess", confirmer, at))
    assert incident.records[-1].acting_as in {"finance-head", "marketing-head"}


def _company_reporting_out(folder: Path) -> Path:
    """The company's plan with an invented authority, owed a report at level II within an hour."""
    shutil.copytree(PLAN_DIR, folder)
    outside = {
        "external_parties": [
            {
                "id": "bureau",
                "name": "区应急管理局",
                "kind": "authority",
                "contacts": [{"channel": "landline", "value": "021-5555 0100", "personal": False}],
            }
        ],
        "external_reports": [
            {
                "id": "accident",
                "to": "bureau",
                "when": "危险化学品事故",
                "levels": ["II"],
                "within": "1h",
                "by": "admin-head",
            },
            {"id": "only-at-i", "to": "bureau", "when": "特别重大事故", "levels": ["I"], "by": "admin-head"},
        ],
    }
    (folder / "outside.yaml").write_text(yaml.safe_dump(outside, allow_unicode=True), encoding="utf-8")
    return folder


def test_the_incident_status_lists_the_reports_owed_outside(tmp_path: Path) -> None:
    plan = ("--plan", str(_company_reporting_out(tmp_path / "plan")))
    log = str(tmp_path / "incident.jsonl")
    opened = CliRunner().invoke(
        cli,
        [
            "incident",
            "open",
            "--level",
            "II",
            "--by",
            "王婧",
            "--at",
            "2026-11-24T09:00+08:00",
            "--log",
            log,
            *plan,
        ],
    )
    assert opened.exit_code == 0, opened.stderr
    status = CliRunner().invoke(
        cli, ["incident", "status", "--at", "2026-11-24T09:30+08:00", "--log", log, *plan]
    )
    assert status.exit_code == 0, status.stderr
    assert (
        "危险化学品事故 — 须在 2026-11-24 10:00 前由「管理部负责人」报告 区应急管理局（021-5555 0100）"
        in status.stdout
    )
    assert "特别重大事故" not in status.stdout  # owed at level I only
    late = CliRunner().invoke(
        cli, ["incident", "status", "--at", "2026-11-24T10:30+08:00", "--log", log, "--format", "json", *plan]
    )
    owed = json.loads(late.stdout)["external_reports"]
    assert [(duty["id"], duty["due"], duty["phones"]) for duty in owed] == [
        ("accident", "2026-11-24T10:00:00+08:00", ["021-5555 0100"])
    ]


SECOND = ROOT / "tests" / "fixtures" / "second_company"


def test_the_second_company_s_organisation_reaches_its_pages() -> None:
    plan = load_plan(SECOND)
    assert [committee.name for committee in plan.committees] == ["BCM 工作小组", "应急领导小组"]
    assert not [f for f in validate(plan, today=TODAY) if f.code[:3] in ("ORG", "EXT", "REF")]
    pages = _pages(plan, "zh")
    # The EHS lead sits on the leadership group and owes two reports, each a call away.
    ehs = pages["runbooks/roles/ehs-lead.md"]
    assert "应急领导小组" in ehs
    assert 'href="tel:02155500900"' in ehs
    assert 'href="tel:02155500901"' in ehs
    assert "| 生产部 | [厂长](runbooks/roles/plant-manager.md) | 方明 → 江涛 |" in pages["organisation.md"]
    assert "**审核**" in pages["governance.md"]


def test_a_report_owed_outside_is_among_its_reporter_s_first_actions(organised: Plan) -> None:
    # Cy holds role-2, which reports a chemical accident to the authority within an hour: the top of
    # Cy's own runbook (what the binder prints) says so, with the authority's number to tap.
    runbook = _pages(organised, "zh")["runbooks/people/cy.md"]
    first = runbook.split("\n## ", 2)[1]
    assert "危险化学品事故" in first
    assert 'href="tel:02155550100"' in first
    assert "危险化学品事故" not in _pages(organised, "zh")["runbooks/people/bob.md"].split("\n## ", 2)[1]


def test_a_report_narrowed_to_a_category_is_owed_only_in_its_scenarios(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _organised(plan_data)
    data["risk_categories"] = [
        {
            "id": "safety",
            "name": "安全危机",
            "description": "d",
            "subtypes": [{"id": "chemical", "name": "危化品事故", "description": "d"}],
        },
        {"id": "it", "name": "信息危机", "description": "d"},
    ]
    data["risk_treatments"] = [
        {"id": "reduce", "name": "降低", "description": "d", "impact": "high", "likelihood": "high"}
    ]
    scenario = {"level": "high", "frequency": "1y", "treatment": "reduce"}
    data["risk_scenarios"] = [
        {**scenario, "id": "leak", "name": "储罐泄漏", "category": "chemical"},
        {**scenario, "id": "outage", "name": "系统宕机", "category": "it"},
    ]
    data["external_reports"][0]["risk_categories"] = ["safety"]
    plan = load_plan(write_plan(data))
    owed = {
        scenario.name: [step.kind for step in steps if step.kind == "external"]
        for scenario, steps in every_checklist(plan)
    }
    assert owed == {"储罐泄漏": ["external"], "系统宕机": []}
    # Within the hour: the first hour's band of the checklist, where the one who reports reads it.
    (leak,) = [steps for scenario, steps in every_checklist(plan) if scenario.name == "储罐泄漏"]
    assert [band for band, listed in banded(leak) if any(s.kind == "external" for s in listed)] == [
        "first_hour"
    ]
