"""The business impact analysis over time: the MTPD derived from the ratings, its grid, and its rules.

Each test writes a small plan: the clean test plan with a three-step scale (low, medium, high), two
categories (revenue intolerable from high, customers from medium) and the shipping process rated in
them, changed in one place.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bcmlib import Plan, load_plan, validate
from bcmlib.analysis.impact import derive_mtpd, effective_mtpd, impact_grid
from tests.conftest import TODAY, WritePlan

Points = list[tuple[str, str]]


def _analysed(data: dict[str, Any], revenue: Points, customers: Points | None = None) -> dict[str, Any]:
    """The plan with the scale and categories above, and the shipping process rated at these points."""
    data["impact_scale"] = [{"id": level, "name": name} for level, name in _SCALE]
    data["impact_categories"] = [
        {"id": "revenue", "name": "收入", "description": "d", "intolerable_from": "high"},
        {"id": "customers", "name": "客户", "description": "d", "intolerable_from": "medium"},
    ]
    impacts = [{"category": "revenue", "over_time": [{"after": a, "rating": r} for a, r in revenue]}]
    if customers is not None:
        impacts.append(
            {"category": "customers", "over_time": [{"after": a, "rating": r} for a, r in customers]}
        )
    process = data["processes"][0]
    process["bia"] = {"impacts": impacts}
    process.pop("mao")
    return data


_SCALE = [("low", "低"), ("medium", "中"), ("high", "高")]


def _plan(write_plan: WritePlan, data: dict[str, Any]) -> Plan:
    return load_plan(write_plan(data))


def _codes(plan: Plan) -> list[str]:
    return [finding.code for finding in validate(plan, today=TODAY)]


def test_the_mtpd_is_the_earliest_intolerable_point_over_the_categories(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(
        plan_data,
        revenue=[("4h", "low"), ("24h", "medium"), ("72h", "high")],
        customers=[("4h", "low"), ("48h", "medium"), ("1w", "high")],
    )
    plan = _plan(write_plan, data)
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert derived.mtpd == timedelta(hours=48)
    assert derived.set_by is not None
    assert derived.set_by.category.id == "customers"  # medium is already intolerable for customers
    assert str(derived.set_by.point.after) == "48h"
    assert effective_mtpd(plan, plan.processes[0]) == timedelta(hours=48)


def test_tolerable_throughout_sets_no_mtpd_and_says_how_long_was_assessed(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("24h", "medium"), ("1w", "medium")])
    plan = _plan(write_plan, data)
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert derived.mtpd is None
    assert derived.set_by is None
    assert str(derived.last_assessed) == "1w"  # the MTPD is longer than this
    assert effective_mtpd(plan, plan.processes[0]) is None
    data["processes"][0]["mao"] = "2w"
    plan = _plan(write_plan, data)
    assert str(effective_mtpd(plan, plan.processes[0])) == "2w"  # the typed MAO stands
    assert "BIA003" not in _codes(plan)


def test_intolerable_at_the_very_first_point(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan = _plan(write_plan, _analysed(plan_data, revenue=[("1h", "high"), ("4h", "high")]))
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert str(derived.mtpd) == "1h"
    # The shipping process's RTO of 24h comes long after.
    assert "PRC003" in _codes(plan)


def test_no_analysis_derives_nothing_and_the_typed_mao_stands(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    del plan_data["processes"][0]["bia"]
    plan = _plan(write_plan, plan_data)
    assert derive_mtpd(plan, plan.processes[0]) is None
    assert impact_grid(plan, plan.processes[0]) is None
    assert str(effective_mtpd(plan, plan.processes[0])) == "48h"


def test_a_category_without_a_tolerance_sets_no_mtpd(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("24h", "high")], customers=[("1h", "high")])
    del data["impact_categories"][1]["intolerable_from"]  # customers: rated high at 1h, but no tolerance
    plan = _plan(write_plan, data)
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert str(derived.mtpd) == "24h"
    assert derived.set_by is not None
    assert derived.set_by.category.id == "revenue"
    assert _codes(plan).count("BIA004") == 1
    # With no tolerance anywhere, the analysis cannot tell at all: not "tolerable as far as assessed".
    del data["impact_categories"][0]["intolerable_from"]
    plan = _plan(write_plan, data)
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert (derived.mtpd, derived.last_assessed) == (None, None)


def test_points_out_of_order_still_give_the_earliest_and_are_an_error(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = _plan(write_plan, _analysed(plan_data, revenue=[("72h", "high"), ("48h", "high"), ("4h", "low")]))
    derived = derive_mtpd(plan, plan.processes[0])
    assert derived is not None
    assert str(derived.mtpd) == "48h"
    assert _codes(plan).count("BIA005") == 2  # 48h after 72h, 4h after 48h


def test_a_repeated_point_is_an_error(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    # 24h and 1d are one point in time, however written.
    plan = _plan(write_plan, _analysed(plan_data, revenue=[("4h", "low"), ("24h", "low"), ("1d", "high")]))
    (finding,) = [f for f in validate(plan, today=TODAY) if f.code == "BIA005"]
    assert finding.field == "processes[0].bia.impacts[0].over_time[2].after"
    assert finding.location is not None
    assert finding.location.line > 0


@pytest.mark.parametrize(
    ("revenue", "fires"),
    [
        ([("4h", "low"), ("24h", "medium"), ("48h", "medium"), ("72h", "high")], False),  # holding is fine
        ([("4h", "medium"), ("24h", "low"), ("72h", "high")], True),
    ],
)
def test_a_rating_that_falls_over_time_is_asked_about(
    revenue: Points, fires: bool, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = _plan(write_plan, _analysed(plan_data, revenue=revenue))
    assert ("BIA002" in _codes(plan)) is fires


@pytest.mark.parametrize(("mao", "fires"), [("72h", False), ("48h", True), ("1w", True)])
def test_a_typed_mao_must_agree_with_the_derived_mtpd(
    mao: str, fires: bool, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("72h", "high")])
    data["processes"][0]["mao"] = mao
    plan = _plan(write_plan, data)
    assert ("BIA003" in _codes(plan)) is fires


@pytest.mark.parametrize(("mao", "fires"), [("48h", True), ("72h", True), ("1w", False)])
def test_a_typed_mao_must_outlast_what_the_analysis_rates_tolerable(
    mao: str, fires: bool, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    # Nothing intolerable up to 72h: the analysis sets no MTPD, but the outage is tolerable that long.
    data = _analysed(plan_data, revenue=[("4h", "low"), ("72h", "medium")])
    data["processes"][0]["mao"] = mao
    codes = _codes(_plan(write_plan, data))
    assert ("BIA006" in codes) is fires
    assert "BIA003" not in codes


def test_a_rating_off_the_scale_says_nothing_of_how_long_an_outage_is_tolerable(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("72h", "severe-ish")])
    data["processes"][0]["mao"] = "48h"
    codes = _codes(_plan(write_plan, data))
    # Only the rating the scale lacks is reported; the 4h point alone is rated, and 48h outlasts it.
    assert codes == ["REF001"]


@pytest.mark.parametrize(("rto", "fires"), [("71h", False), ("72h", True), ("4d", True)])
def test_the_rto_must_come_before_the_mtpd(
    rto: str, fires: bool, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("72h", "high")])
    data["processes"][0]["rto"] = rto
    plan = _plan(write_plan, data)
    assert ("PRC003" in _codes(plan)) is fires


def test_an_rto_without_an_analysis_is_reported_for_critical_processes_only(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    del plan_data["processes"][0]["bia"]
    assert "BIA001" in _codes(_plan(write_plan, plan_data))
    plan_data["processes"][0]["critical"] = False
    assert "BIA001" not in _codes(_plan(write_plan, plan_data))


def test_the_mbco_s_resources_must_be_dependencies(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan_data["systems"] = [{"id": "erp", "name": "ERP", "primary": "p", "fallback": "f"}]
    plan_data["processes"][0]["depends_on"] = {"systems": ["erp"], "roles": ["role-1"]}
    plan_data["processes"][0]["mbco"] = {
        "level": "半数订单",
        "systems": ["erp"],
        "roles": ["role-1", "role-2"],
    }
    findings = [f for f in validate(_plan(write_plan, plan_data), today=TODAY) if f.code == "MBC002"]
    assert [f.field for f in findings] == ["processes[0].mbco.roles[1]"]
    assert "角色2" in findings[0].message("zh")
    assert "depends_on.roles" in findings[0].message("en")


def test_a_process_with_no_department_is_reported_once(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    del plan_data["processes"][0]["department"]
    assert _codes(_plan(write_plan, plan_data)) == ["ORG003"]
    plan_data["processes"][0]["critical"] = False
    plan_data["processes"][0].pop("bia")
    plan_data["processes"][0].pop("mbco")
    assert _codes(_plan(write_plan, plan_data)) == []


def test_the_grid_has_a_row_per_point_a_column_per_category_and_marks_mtpd_and_rto(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(
        plan_data,
        revenue=[("4h", "low"), ("1d", "medium"), ("72h", "high")],
        customers=[("24h", "low"), ("72h", "medium")],
    )
    data["impact_categories"].reverse()  # columns follow the plan's order, not the analysis's
    point = data["processes"][0]["bia"]["impacts"][0]["over_time"][2]
    point.update(amount=120, unit="万元", reason="合同罚则")
    data["processes"][0]["rto"] = "12h"
    plan = _plan(write_plan, data)
    grid = impact_grid(plan, plan.processes[0])
    assert grid is not None
    assert [category.id for category in grid.categories] == ["customers", "revenue"]
    assert [str(row.after) for row in grid.rows] == ["4h", "12h", "24h", "72h"]
    assert [(row.mtpd, row.rto, row.assessed) for row in grid.rows] == [
        (False, False, True),
        (False, True, False),  # the RTO falls between the points assessed: a row of its own
        (False, False, True),
        (True, False, True),
    ]
    cells = [
        [(cell.rating.name, cell.position) if cell and cell.rating else None for cell in r.cells]
        for r in grid.rows
    ]
    assert cells[0] == [None, ("低", 0)]
    assert cells[2] == [("低", 0), ("中", 1)]  # 24h and 1d are one row
    last = grid.rows[3].cells[1]
    assert last is not None
    assert (last.point.amount, last.point.unit, last.point.reason, last.intolerable) == (
        120,
        "万元",
        "合同罚则",
        True,
    )
    assert grid.rows[3].cells[0] is not None
    assert grid.rows[3].cells[0].intolerable  # customers: medium is intolerable too
    assert grid.scale == 3


def test_the_grid_marks_a_typed_mtpd_and_an_rto_on_a_point(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _analysed(plan_data, revenue=[("4h", "low"), ("24h", "medium")])  # tolerable throughout
    data["processes"][0]["mao"] = "1w"
    plan = _plan(write_plan, data)
    grid = impact_grid(plan, plan.processes[0])
    assert grid is not None
    assert [(str(row.after), row.rto, row.mtpd) for row in grid.rows] == [
        ("4h", False, False),
        ("24h", True, False),
        ("1w", False, True),
    ]
