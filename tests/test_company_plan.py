"""The company's plan: it passes, its gaps are exactly the waivers named here, and it holds the seeds."""

import json
from datetime import timedelta

from bcmlib import Plan, Severity, plan_file_schema, validate
from tests.conftest import PLAN_DIR, TODAY

# The gaps the seeds leave open, each accepted in plan/waivers.yaml. A new gap fails this test.
ACCEPTED_WAIVERS = {
    ("ROL002", "roles/it-recovery"),
    ("ROL001", "roles/purchasing-head"),
    ("ROL001", "roles/bcm-working-group"),
    ("CRS001", "crisis_levels/I"),
    # Their numbers are on SOP-28 §7's emergency call list, which the plan points at and does not copy.
    *(
        ("CON002", f"people/{person}")
        for person in [
            *("kc", "charles", "robert", "sheng-zhuanhong", "wang-jing"),
            *("cai-kunwang", "empryon-platform-team", "external-tech-consultant"),
        ]
    ),
}


def test_plan_has_no_unwaived_errors(company_plan: Plan) -> None:
    findings = validate(company_plan, today=TODAY)
    errors = [f for f in findings if f.severity is Severity.ERROR and f.waiver is None]
    assert errors == []
    assert {(f.code, f.item) for f in findings if f.waiver is not None} == ACCEPTED_WAIVERS


def test_every_role_has_a_holder_and_a_backup(company_plan: Plan) -> None:
    waived = {item.removeprefix("roles/") for code, item in ACCEPTED_WAIVERS if code.startswith("ROL")}
    for role in company_plan.roles:
        # The department head is whoever owns a process the incident hits: no chain of its own.
        if role.id in waived or role.held_in_incident_by is not None:
            continue
        chain = list(company_plan.holders(role))
        assert len(chain) >= 2, role.name
        assert chain[0] not in chain[1:], role.name


def test_every_process_has_rto_and_rpo(company_plan: Plan) -> None:
    for process in company_plan.processes:
        assert process.rto is not None, process.name
        assert process.rpo is not None, process.name


def test_seed_000_tables_are_whole(company_plan: Plan) -> None:
    processes = {p.name: p for p in company_plan.processes}
    assert len(processes) == 6
    assert (str(processes["客户出货"].rto), str(processes["客户出货"].rpo)) == ("24h", "4h")
    assert processes["危化品仓储安全"].rpo == timedelta(0)
    assert [s.name for s in company_plan.risk_scenarios] == [
        "关键人员失能",
        "系统故障",
        "物理灾害",
        "公共卫生事件",
        "政治事件",
    ]
    assert {f.number: str(f.retention) for f in company_plan.forms} == {
        "QEF-19-01": "permanent",
        "QEF-19-02": "while-current",
        "QEF-19-03": "permanent",
        "QEF-19-04": "while-current",
        "QEF-19-05": "5y",
    }
    assert company_plan.training.total == timedelta(hours=20)
    assert len(company_plan.kpis) == 5
    assert len(company_plan.systems) == 5
    assert len(company_plan.exercises.scenarios) == 5
    assert len(company_plan.glossary) >= 8
    assert [p.name for p in company_plan.priority_classes] == [
        "人员安全",
        "法规合规",
        "客户出货",
        "财务付款",
        "内部运营",
    ]
    chains = {
        r.name: [company_plan.person(p).name for p in company_plan.holders(r)] for r in company_plan.roles
    }
    assert chains["总经理"] == ["KC", "Charles", "Robert"]
    assert chains["CTO / 品质"] == ["Robert", "KC", "外聘技术顾问"]
    assert chains["业务 / 仓储"] == ["盛转红", "KC", "Robert"]
    assert chains["财务 / 行政"] == ["王婧", "KC", "外包会计"]
    assert chains["BCM 总指挥"] == ["KC", "Charles"]
    assert chains["对外联络"] == ["KC", "蔡坤旺律师"]
    assert chains["最高管理者（总经理）"] == chains["总经理"]


def test_seed_003_is_adopted(company_plan: Plan) -> None:
    assert [(level.id, str(level.report_within)) for level in company_plan.crisis_levels] == [
        ("I", "None"),
        ("II", "2h"),
        ("III", "2h"),
    ]
    assert len(company_plan.risk_categories) == 9
    operations = next(c for c in company_plan.risk_categories if c.id == "operations")
    assert len(operations.subtypes) == 3
    assert {t.id for t in company_plan.risk_treatments} == {"avoid", "transfer", "reduce"}
    assert [phase.id for phase in company_plan.crisis_management] == ["before", "during", "after"]


def test_general_manager_is_flagged_as_single_point_of_failure(company_plan: Plan) -> None:
    spof = [f for f in validate(company_plan, today=TODAY) if f.code == "ROL005"]
    assert [f.item for f in spof] == ["people/kc"]
    assert spof[0].params["first_backup"] == 5
    assert "KC" in spof[0].message()
    assert "5" in spof[0].message("en")


def test_findings_point_at_the_yaml(company_plan: Plan) -> None:
    finding = next(f for f in validate(company_plan, today=TODAY) if f.item == "roles/it-recovery")
    assert finding.location is not None
    assert finding.location.file == PLAN_DIR / "roles.yaml"
    line = (PLAN_DIR / "roles.yaml").read_text(encoding="utf-8").splitlines()[finding.location.line - 1]
    assert "it-recovery" in line


def test_every_plan_file_names_the_schema_and_the_schema_is_current() -> None:
    for path in sorted(PLAN_DIR.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=plan.schema.json", path.name
    written = json.loads((PLAN_DIR / "plan.schema.json").read_text(encoding="utf-8"))
    assert written == plan_file_schema(), "run: bcm schema -o plan/plan.schema.json"
