"""What the coordinator watches: the ISO 22301 coverage matrix, the KPI page and the dashboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bcmlib import Plan, clock, load_plan, validate
from bcmlib.cli import cli
from bcmlib.monitoring.coverage import Coverage, coverage
from bcmlib.monitoring.kpis import kpi_value
from tests.conftest import PLAN_DIR, WritePlan
from tests.handbook_site import build, copy_project, page, rows


def _status(plan: Plan) -> dict[str, Coverage]:
    return {clause.clause: clause.status for clause in coverage(plan)}


def test_the_company_plan_answers_each_clause_with_its_own_data(company_plan: Plan) -> None:
    status = _status(company_plan)
    # Risk categories, scenarios, treatments and the matrix are there, but no scenario is scored on it.
    assert status["8.2.3"] == Coverage.PARTIAL
    # Roles and crisis levels are there, but two roles have nobody and one has no backup (waived):
    # the response structure is not ready, whatever the waivers say.
    assert status["8.4.2"] == Coverage.PARTIAL
    # No exercise has been held yet, and SOP-19 gives no MAO nor any impact analysis: partly covered,
    # never invented. Nor does either source give a message template (8.4.3).
    assert status["8.5"] == Coverage.PARTIAL
    assert status["8.2.2"] == Coverage.PARTIAL
    assert status["8.4.3"] == Coverage.PARTIAL
    assert Coverage.GAP not in status.values()


@pytest.mark.parametrize(
    ("removed", "clause", "expected"),
    [
        (["risk_categories", "risk_scenarios", "risk_treatments", "risk_matrix"], "8.2.3", Coverage.GAP),
        (["risk_treatments"], "8.2.3", Coverage.PARTIAL),
        (["crisis_levels", "crisis_management", "incident_flow", "incident_workflow"], "8.4.4", Coverage.GAP),
    ],
)
def test_removing_a_section_shows_as_a_gap(
    company_plan: Plan, write_plan: WritePlan, removed: list[str], clause: str, expected: Coverage
) -> None:
    data: dict[str, Any] = company_plan.model_dump(mode="json", exclude_defaults=True)
    for section in removed:
        data.pop(section)
    data.pop("waivers", None)
    assert _status(load_plan(write_plan(data)))[clause] == expected


def test_bcm_coverage_prints_the_matrix(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    path = write_plan(plan_data)
    result = CliRunner().invoke(cli, ["coverage", "--plan", str(path)])
    assert result.exit_code == 0, result.output
    missing = "risk_categories, risk_scenarios, risk_treatments, risk_matrix, risk_scenarios[].assessment"
    assert f"8.2.3  风险评估：缺口（缺少 {missing}）" in result.output
    assert "8.4.2  响应结构：部分覆盖（缺少 crisis_levels）" in result.output
    whole = CliRunner().invoke(cli, ["coverage", "--plan", str(PLAN_DIR), "--format", "json"])
    assert '"clause": "9.1"' in whole.output


def test_the_kpi_page_shows_target_against_actual_and_a_trend(site: Path, company_plan: Plan) -> None:
    governance = page(site, "governance.html")
    table = {row[0]: row for row in rows(governance) if len(row) == 4}
    for kpi in company_plan.kpis:
        value = kpi_value(company_plan, kpi, clock.today())
        cell = table[kpi.name][2]
        if value.percent is None:
            assert cell.startswith("无法计算")
        else:
            assert cell.startswith(f"{value.met} / {value.total} = {value.percent:.0f}%")
    plotted = [
        kpi for kpi in company_plan.kpis if kpi_value(company_plan, kpi, clock.today()).percent is not None
    ]
    figures = governance.select("figure.bcm-trend")
    assert len(figures) == len(plotted)
    for figure, kpi in zip(figures, plotted, strict=True):
        assert figure.select_one("svg") is not None
        assert kpi.name in figure.get_text()


def test_the_dashboard_lists_overdue_items_by_rule(site: Path, company_plan: Plan) -> None:
    dashboard = page(site, "dashboard.html")
    report = validate(company_plan, today=clock.today())
    late = [f for f in report if "late" in f.params and f.waiver is None and f not in report.readiness]
    assert dashboard.find_all("h2")[0].get_text().strip("¶ \n") == "危机准备缺口"
    heading = next(h2 for h2 in dashboard.find_all("h2") if "逾期事项" in h2.get_text())
    overdue = heading.find_next("table")
    assert overdue is not None
    table = [
        [" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in overdue.find_all("tr")[1:]
    ]
    assert {row[0]: int(row[2]) for row in table} == {
        code: sum(f.code == code for f in late) for code in {f.code for f in late}
    }
    ages = [int(row[4]) for row in table]
    assert ages == sorted(ages, reverse=True)  # the oldest first
    # Never younger than the rule's own count, which starts again with each new version.
    for row in table:
        assert int(row[4]) >= max(f.params["late"] for f in late if f.code == row[0])
    counts = next(row for row in rows(dashboard) if len(row) == 3 and row[0].isdigit())
    assert [len(report.errors), len(report.warnings), len(report.waived)] == [int(cell) for cell in counts]
    article = dashboard.find("article")
    assert article is not None
    text = article.get_text()
    assert ".yaml" not in text
    assert not re.search(r"\w\[\d*\]", text)
    # The coordinator's section opens with the dashboard, wherever the staff's pages put the section.
    nav = page(site, "index.html").select("nav.md-nav--primary > ul > li")
    coordinator = next(li for li in nav if li.get_text().split()[0] == "协调员")
    assert coordinator.select("li a")[0].get_text().strip() == "管理看板"


def _records(files: dict[str, dict[str, Any]]) -> None:
    backup = files["systems.yaml"]["data_backups"][0]
    backup["restore_tests"] = [{"date": "2026-06-01", "by": "robert", "passed": True, "note": "还原 2 小时"}]
    training = files["governance.yaml"]["training"]
    training["records"] = [{"person": "charles", "course": "backup-cross-training", "date": "2026-05-01"}]
    document = files["document.yaml"]
    document["document"]["reviews"] = [{"date": "2026-06-15", "by": ["kc"], "result": "可行"}]
    document["documents"][0]["synced_with"] = "v2"
    files["people.yaml"]["people"][0]["contacts"][0]["verified_on"] = "2026-06-01"


def test_the_records_that_age_show_in_the_handbook(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = build(copy_project(tmp_path / "project", _records), site, BCM_PDF="false")
    assert result.returncode == 0, result.stderr
    assert ["2026-06-01", "Robert", "是", "还原 2 小时"] in rows(page(site, "systems.html"))
    governance = rows(page(site, "governance.html"))
    assert ["Charles", "备援人技能交叉培训", "2026-05-01"] in governance
    assert ["2026-06-15", "KC", "可行"] in governance
    assert ["SOP-04 §6.3", "变更策划母版", "v2"] in governance
    assert "kc@twcio.com（2026-06-01 验证）" in page(site, "runbooks/people/robert.html").get_text()
    backups = next(row for row in governance if row[0] == "数据 3 处备份完整率")
    assert backups[2] == "1 / 1 = 100%（达标）"
