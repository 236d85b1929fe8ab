"""Risk scenarios on the plan's matrix: scores, the treatment each quadrant suggests, what a scenario hits,
and the rules about assessment, treatment and insurance."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bcmlib import load_plan, validate
from bcmlib.analysis.risk import processes_hit, risk_views, score, suggested_treatment
from tests.conftest import TODAY, WritePlan
from tests.risk_plans import insured, scenario


def _codes(plan_data: dict[str, Any], write_plan: WritePlan, today: date = TODAY) -> list[str]:
    report = validate(load_plan(write_plan(plan_data)), today=today)
    return [f.code for f in report if f.code[:3] in ("RSK", "INS")]


@pytest.mark.parametrize(
    ("likelihood", "impact", "value", "treatment"),
    [
        ("rare", "minor", 1, "accept"),  # the quadrant the procedure leaves open
        ("unlikely", "major", 4, "accept"),
        ("likely", "minor", 3, "reduce"),
        ("certain", "major", 8, "reduce"),
        ("rare", "severe", 3, "avoid"),
        ("unlikely", "severe", 6, "avoid"),
        ("likely", "severe", 9, "transfer"),
        ("certain", "severe", 12, "transfer"),
    ],
)
def test_each_quadrant_suggests_the_plan_s_treatment_for_it(
    likelihood: str, impact: str, value: int, treatment: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    scenario(likelihood, impact)(plan_data)
    plan = load_plan(write_plan(plan_data))
    found = score(plan, plan.risk_scenarios[0])
    assert found is not None
    assert found.value == value
    assert suggested_treatment(plan, found.impact_half, found.likelihood_half) == treatment
    (view,) = risk_views(plan)
    assert view.suggested == treatment


def test_a_quadrant_the_plan_fills_is_not_accept(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    scenario("rare", "minor")(plan_data)
    plan_data["risk_treatments"].append(
        {"id": "reduce", "name": "照看", "impact": "low", "likelihood": "low", "description": "d"}
    )
    plan = load_plan(write_plan(plan_data))
    assert suggested_treatment(plan, "low", "low") == "reduce"


def test_no_score_without_a_matrix_or_an_assessment(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    scenario()(plan_data)
    plan = load_plan(write_plan(plan_data))
    assert score(plan, plan.risk_scenarios[0]) is None
    plan_data["risk_scenarios"][0]["assessment"] = {"likelihood": "rare", "impact": "minor"}
    del plan_data["risk_matrix"]
    assert _codes(plan_data, write_plan).count("REF001") == 0  # the ids check only against a matrix
    plan = load_plan(write_plan(plan_data))
    assert score(plan, plan.risk_scenarios[0]) is None


def test_a_scenario_takes_down_what_depends_on_what_it_hits(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    scenario("rare", "minor", hits={"sites": ["depot"]})(plan_data)
    plan_data["sites"] = [{"id": "depot", "name": "仓库"}, {"id": "office", "name": "办公室"}]
    ship = plan_data["processes"][0]
    ship["depends_on"] = {"sites": ["depot"]}
    invoicing = {**ship, "id": "invoice", "name": "开票", "depends_on": {"processes": ["ship"]}}
    unrelated = {**ship, "id": "payroll", "name": "发薪", "depends_on": {"sites": ["office"]}}
    plan_data["processes"] += [invoicing, unrelated]
    plan = load_plan(write_plan(plan_data))
    assert [p.id for p in processes_hit(plan, plan.risk_scenarios[0])] == ["ship", "invoice"]


def test_unscored_scenarios_are_named_when_the_plan_has_a_matrix(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    scenario(treatment="accept")(plan_data)
    assert _codes(plan_data, write_plan) == ["RSK002"]
    del plan_data["risk_matrix"]
    assert _codes(plan_data, write_plan) == ["RSK003"]
    plan_data["risk_scenarios"] = []
    assert _codes(plan_data, write_plan) == []


@pytest.mark.parametrize(
    ("treatment", "reason", "codes"),
    [
        ("transfer", None, ["INS001"]),  # as suggested, but nothing carries it
        ("reduce", None, ["RSK004"]),
        ("reduce", "保费过高，改为加装喷淋", []),
        (None, None, ["RSK001"]),
    ],
)
def test_a_treatment_other_than_the_suggested_one_needs_a_reason(
    treatment: str | None,
    reason: str | None,
    codes: list[str],
    plan_data: dict[str, Any],
    write_plan: WritePlan,
) -> None:
    scenario("likely", "severe", treatment, **({"treatment_reason": reason} if reason else {}))(plan_data)
    assert _codes(plan_data, write_plan) == codes


def test_an_insured_transfer_is_quiet_until_the_policy_expires(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    insured(expires="2026-11-24")(plan_data)
    assert _codes(plan_data, write_plan, today=date(2026, 11, 24)) == []  # the last day still covers
    report = validate(load_plan(write_plan(plan_data)), today=date(2026, 11, 25))
    (expired,) = [f for f in report if f.code == "INS002"]
    assert expired.severity.value == "error"
    assert expired.field == "insurance[0].expires"
    assert "2026-11-24" in expired.message("en")
    assert "某财产保险公司" in expired.message("zh")


def test_a_policy_names_whom_to_call_to_claim(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    insured(claim_contact=False)(plan_data)
    report = validate(load_plan(write_plan(plan_data)), today=TODAY)
    (finding,) = [f for f in report if f.code[:3] in ("RSK", "INS")]
    assert finding.code == "INS003"
    assert finding.location is not None
    assert finding.location.line > 0
    assert "claim_contact" in finding.message("en")
