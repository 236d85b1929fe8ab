"""The coordinator's dashboard says what to fix first: crisis readiness gaps, one row per rule, with ages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bcmlib import Plan, load_plan, validate
from bcmlib.handbook.pages import render_handbook
from bcmlib.i18n import LANGUAGES, _catalogue
from bcmlib.monitoring.coverage import Coverage, coverage
from bcmlib.validation.findings import RULES, Report
from tests.conftest import TODAY, WritePlan

READINESS = "## 危机准备缺口"
FIELD_PATH = re.compile(r"\w\[\d*\]")
"""A field path as the validator and the coverage matrix write it: `roles[3].backups`, `people[].contacts`."""


def _dashboard(plan: Plan, built: date = TODAY) -> str:
    report = validate(plan, today=built)
    pages = render_handbook(plan, report, built)
    return next(page.markdown for page in pages if page.path == "dashboard.md")


def _row(markdown: str, code: str) -> list[str]:
    """The table row of `code`, its cells without Markdown's backslash escapes; the row must be unique."""
    found = [line for line in markdown.splitlines() if line.startswith(f"| {code} |")]
    assert len(found) == 1, found
    return [cell.strip().replace("\\", "") for cell in found[0].strip("|").split(" | ")]


def _section(markdown: str, heading: str) -> str:
    """The text under a `## ` heading, up to the next one."""
    return markdown.split(heading + "\n", 1)[1].split("\n## ", 1)[0]


def _unreachable_commanders(plan_data: dict[str, Any]) -> dict[str, Any]:
    """The small plan with a BCM commander role whose holder and backup have e-mail but no phone.

    It also keeps a data set that was never restore-tested, a gap whose age the rule counts from the
    current version's issue.
    """
    plan_data["roles"][0]["group"] = "bcm-organisation"  # held by ann, backed by bob
    for person in plan_data["people"][:2]:
        person["contacts"] = [{"channel": "email", "value": f"{person['id']}@example.com", "personal": False}]
    plan_data["data_backups"] = [
        {
            "id": "ledger",
            "name": "总账数据",
            "copies": [
                {"name": "主库", "location": "机房", "medium": "local-hdd", "offsite": False, "primary": True}
            ],
        }
    ]
    return plan_data


def test_readiness_gaps_come_first_one_row_per_rule(company_plan: Plan) -> None:
    markdown = _dashboard(company_plan)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[0] == READINESS
    report = validate(company_plan, today=TODAY)
    commanders = [f for f in report if f.code == "CON002"]
    assert len(commanders) > 1  # the company plan waives several: one row must hold them all
    code, title, count, who, _age, waived = _row(_section(markdown, READINESS), "CON002")
    assert (code, title, count) == ("CON002", "指挥或报告对象没有电话", str(len(commanders)))
    assert who.split("、") == [
        company_plan.collections["people"][f.item.split("/")[1]].name for f in commanders
    ]
    # Waived, and still listed as a gap, with where the waiver says the numbers are.
    assert waived.startswith("已豁免（至 2027-04-29）")
    assert "SOP-28 §7 应急联络名单" in waived


def test_every_readiness_finding_is_in_the_first_section(company_plan: Plan) -> None:
    report = validate(company_plan, today=TODAY)
    section = _section(_dashboard(company_plan), READINESS)
    codes = {f.code for f in report.readiness}
    assert {"CON002", "ROL001", "ROL002"} <= codes
    assert {
        line.split(" | ")[0].removeprefix("| ") for line in section.splitlines() if line.startswith("| ")
    } >= codes
    assert "ROL005" not in section  # one person in many chains: a risk, but every role can act today


def test_the_dashboard_shows_no_plan_file_and_no_field_path(
    company_plan: Plan, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    for plan in (company_plan, load_plan(write_plan(_unreachable_commanders(plan_data)))):
        markdown = _dashboard(plan)
        assert ".yaml" not in markdown
        assert not FIELD_PATH.search(markdown), FIELD_PATH.findall(markdown)


def test_an_invented_plan_lists_its_unreachable_commanders(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    markdown = _dashboard(load_plan(write_plan(_unreachable_commanders(plan_data))))
    row = _row(_section(markdown, READINESS), "CON002")
    assert row[2:4] == ["2", "Ann、Bob"]
    assert row[5] == "—"  # nothing waived


def test_a_plan_with_phones_and_holders_has_none_of_those_gaps(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    section = _section(_dashboard(load_plan(write_plan(plan_data))), READINESS)
    assert not re.search(r"^\| (CON002|ROL00\d) \|", section, re.MULTILINE)


def test_without_readiness_findings_the_section_says_so(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = load_plan(write_plan(plan_data))
    pages = render_handbook(plan, Report([]), TODAY)
    markdown = next(page.markdown for page in pages if page.path == "dashboard.md")
    assert _section(markdown, READINESS).strip() == "没有危机准备缺口。"


def test_ages_do_not_restart_with_a_new_version(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    data = _unreachable_commanders(plan_data)
    before = load_plan(write_plan(data))
    data["document"]["revisions"].append({"version": "v2", "date": "2026-10-01", "summary": "改版"})
    after = load_plan(write_plan(data))
    since_v1 = (TODAY - date(2026, 1, 1)).days

    # The rule itself counts the never-tested backup from the current version: the new version resets it.
    late = {
        plan.document.version: next(f for f in validate(plan, today=TODAY) if f.code == "BAK002").params[
            "late"
        ]
        for plan in (before, after)
    }
    assert late == {"v1": since_v1, "v2": (TODAY - date(2026, 10, 1)).days}

    for plan in (before, after):
        markdown = _dashboard(plan)
        assert _row(_section(markdown, READINESS), "CON002")[4] == str(since_v1)
        assert _row(_section(markdown, "## 逾期事项"), "BAK002")[4] == str(since_v1)


def _with_phones(company_plan: Plan, write_plan: WritePlan, *, except_for: str | None = None) -> Plan:
    data: dict[str, Any] = company_plan.model_dump(mode="json", exclude_defaults=True)
    for index, person in enumerate(data["people"]):
        if person["id"] != except_for:
            phone = {"channel": "mobile", "value": f"+86 138 0000 {index:04d}", "personal": False}
            person.setdefault("contacts", []).append(phone)
    # The sources give no message wording (8.4.3 asks for it too): one template, so phones decide.
    audience = data["communication"]["audiences"][0]["id"]
    data["communication"]["templates"] = [
        {"audiences": [audience], "stage": "first-notice", "body": "{company}"}
    ]
    return load_plan(write_plan(data))


def _clause(plan: Plan, clause: str) -> tuple[Coverage, list[str]]:
    found = next(c for c in coverage(plan, validate(plan, today=TODAY)) if c.clause == clause)
    return found.status, found.missing


def test_warning_and_communication_is_partial_while_a_commander_has_no_phone(
    company_plan: Plan, write_plan: WritePlan
) -> None:
    # Each CON002 finding is waived: still not met (nor is there a message template).
    assert _clause(company_plan, "8.4.3")[0] == Coverage.PARTIAL
    assert "CON002 ×8" in _clause(company_plan, "8.4.3")[1]
    assert _clause(_with_phones(company_plan, write_plan), "8.4.3") == (Coverage.COVERED, [])
    assert _clause(_with_phones(company_plan, write_plan, except_for="kc"), "8.4.3") == (
        Coverage.PARTIAL,
        ["CON002 ×1"],
    )


def test_a_clause_is_partial_while_any_readiness_finding_on_it_stands(company_plan: Plan) -> None:
    report = validate(company_plan, today=TODAY)
    standing = {RULES[f.code].readiness for f in report.readiness}
    assert "8.4.2" in standing  # the company plan waives roles nobody holds
    for clause in coverage(company_plan, report):
        if clause.clause in standing:
            assert clause.status is not Coverage.COVERED, clause


def test_coverage_without_a_report_validates_the_plan_itself(company_plan: Plan) -> None:
    assert coverage(company_plan) == coverage(company_plan, validate(company_plan))


def test_every_rule_has_a_plain_title() -> None:
    for lang in LANGUAGES:
        titles = {key for key in _catalogue(lang) if key.startswith("rule_titles.")}
        assert {f"rule_titles.{code}" for code in RULES} <= titles, lang
        for key in titles:
            assert not FIELD_PATH.search(_catalogue(lang)[key]), key
            assert "{" not in _catalogue(lang)[key], key


@pytest.mark.parametrize("code", ["SCN001", "LIF001", "RUN001"])
def test_the_crisis_content_rules_are_readiness_rules(code: str) -> None:
    """A scenario checklist without steps, no life-safety data, a runbook without a first action."""
    if code not in RULES:
        pytest.skip(f"{code} is not registered yet")
    assert RULES[code].readiness is not None


def test_a_permanent_acceptance_reads_as_one_with_its_review_day(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan_data["roles"][0]["backups"] = []  # ROL002, accepted for good
    waiver = {"rule": "ROL002", "item": "roles/role-0", "reason": "只有一人", "accepted_by": "ann"}
    plan_data["waivers"] = [{**waiver, "permanent": True, "review_by": "2027-03-31"}]
    row = _row(_dashboard(load_plan(write_plan(plan_data))), "ROL002")
    assert row[-1] == "长期接受（2027-03-31 前复核）：只有一人"


def test_a_measured_kpi_shows_its_value_and_day(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    records = [{"on": "2026-06-30", "value": 92.5}]
    plan_data["kpis"] = [{"id": "k", "name": "参与率", "target": 90, "measure": "m", "records": records}]
    plan = load_plan(write_plan(plan_data))
    pages = render_handbook(plan, validate(plan, today=TODAY), TODAY)
    governance = next(page.markdown for page in pages if page.path == "governance.md")
    assert "| 参与率 | 90% | 92.5%（2026-06-30 实测）（达标） | m |" in governance.replace("\\", "")
