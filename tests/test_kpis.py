"""Each computed KPI, on a small plan with known records, gives the known value; a measured one its latest."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bcmlib import PlanLoadError, load_plan
from bcmlib.i18n import translate
from bcmlib.models import Plan
from bcmlib.monitoring.kpis import kpi_trend, kpi_value
from tests.conftest import TODAY, WritePlan
from tests.upkeep_plans import backups_trained, restore_tested

FORMULAS = ["rto-achievement", "backup-completeness", "backup-training", "drill-completion", "document-sync"]


def _kpis(data: dict[str, Any]) -> None:
    data["kpis"] = [
        {"id": formula, "name": formula, "target": 100, "measure": "m", "formula": formula}
        for formula in FORMULAS
    ]


def _records(data: dict[str, Any]) -> None:
    data["processes"].append({**data["processes"][0], "id": "pay", "name": "付款", "rto": "4h", "mao": "8h"})

    def drill(day: str, kind: str, results: dict[str, str] | None = None) -> dict[str, Any]:
        record: dict[str, Any] = {"id": f"{kind}-{day}", "date": day, "kind": kind}
        if results:
            record["review"] = {"results": [{"process": p, "rto_actual": t} for p, t in results.items()]}
        return record

    data["exercises"] = {
        "kinds": [
            {"id": "tabletop", "name": "桌上演练", "every": "182d"},  # twice a year
            {"id": "live", "name": "实战演练", "every": "365d"},  # once
        ],
        "records": [
            drill("2025-06-01", "live", {"ship": "30h", "pay": "1h"}),
            drill("2026-02-01", "tabletop", {"ship": "20h", "pay": "6h"}),
            drill("2026-05-01", "tabletop"),
            drill("2026-09-01", "tabletop"),  # a third tabletop does not make up for the missing live drill
        ],
    }
    restore_tested("2026-03-01")(data)
    untested = {**data["data_backups"][0], "id": "mail", "name": "邮件", "restore_tests": []}
    data["data_backups"].append(untested)
    backups_trained(None)(data)  # Ann, Bob and Cy of the four backups
    data["documents"] = [
        {"id": "a", "title": "A", "relation": "r", "synced_with": "v1"},
        {"id": "b", "title": "B", "relation": "r", "synced_with": "v0"},
        {"id": "c", "title": "C", "relation": "r"},
    ]
    _kpis(data)


@pytest.fixture
def recorded(plan_data: dict[str, Any], write_plan: WritePlan) -> Plan:
    _records(plan_data)
    return load_plan(write_plan(plan_data))


@pytest.mark.parametrize(
    ("formula", "met", "total"),
    [
        ("rto-achievement", 1, 2),  # this year: 出货 20h ≤ 24h met, 付款 6h > 4h missed
        ("backup-completeness", 1, 2),  # both 3-2-1, one restore-tested
        ("backup-training", 3, 4),
        ("drill-completion", 2, 3),  # two tabletops of two, no live drill of one
        ("document-sync", 1, 3),  # only A follows v1
    ],
)
def test_each_kpi_gives_the_value_its_records_make(
    recorded: Plan, formula: str, met: int, total: int
) -> None:
    kpi = recorded.collections["kpis"][formula]
    value = kpi_value(recorded, kpi, TODAY)
    assert (value.met, value.total, value.missing) == (met, total, None)
    assert value.percent == pytest.approx(100 * met / total)
    assert value.on_target is False


def test_the_latest_recovery_of_a_process_counts(recorded: Plan) -> None:
    # 2025's live drill is last year's: in 2025, 出货 30h missed and 付款 1h met.
    kpi = recorded.collections["kpis"]["rto-achievement"]
    assert kpi_value(recorded, kpi, date(2025, 12, 31)).percent == pytest.approx(50)
    trend = kpi_trend(recorded, kpi, TODAY)
    assert [(year, round(value or -1)) for year, value in trend] == [(2025, 50), (2026, 50)]


def test_a_trend_has_a_value_for_each_year_with_records(recorded: Plan) -> None:
    kpi = recorded.collections["kpis"]["backup-completeness"]
    assert kpi_trend(recorded, kpi, TODAY) == [(2025, 0), (2026, 50)]


@pytest.mark.parametrize(
    ("formula", "field"),
    [
        ("rto-achievement", "rto_actual"),
        ("backup-completeness", "data_backups"),
        ("backup-training", "training.backup_course"),
        ("drill-completion", "exercises.kinds"),
        ("document-sync", "synced_with"),
    ],
)
def test_a_kpi_without_its_records_says_what_is_missing(
    plan_data: dict[str, Any], write_plan: WritePlan, formula: str, field: str
) -> None:
    _kpis(plan_data)
    plan = load_plan(write_plan(plan_data))
    value = kpi_value(plan, plan.collections["kpis"][formula], TODAY)
    assert value.percent is None
    assert value.missing is not None
    assert field in translate(value.missing.key, "zh", **value.missing.params)


def _measured(data: dict[str, Any]) -> None:
    """A KPI no formula computes, measured by hand twice."""
    records = [{"on": "2025-06-30", "value": 80}, {"on": "2026-06-30", "value": 92.5, "note": "n"}]
    data["kpis"] = [{"id": "drills", "name": "演练参与率", "target": 90, "measure": "m", "records": records}]


@pytest.mark.parametrize(
    ("as_of", "percent", "on_target"),
    [(date(2026, 7, 1), 92.5, True), (date(2026, 6, 29), 80, False), (date(2025, 6, 1), None, None)],
)
def test_a_measured_kpi_takes_its_latest_value_up_to_the_day(
    as_of: date,
    percent: float | None,
    on_target: bool | None,
    plan_data: dict[str, Any],
    write_plan: WritePlan,
) -> None:
    _measured(plan_data)
    plan = load_plan(write_plan(plan_data))
    value = kpi_value(plan, plan.kpis[0], as_of)
    assert (value.percent, value.on_target) == (percent, on_target)
    if percent is None:
        assert value.missing is not None
        assert "2025-06-01" in translate(value.missing.key, "en", **value.missing.params)


def test_a_measured_kpi_has_a_trend(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    _measured(plan_data)
    plan = load_plan(write_plan(plan_data))
    assert kpi_trend(plan, plan.kpis[0], date(2026, 12, 1)) == [(2025, 80), (2026, 92.5)]


def test_a_kpi_is_computed_or_measured_never_both(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    _measured(plan_data)
    plan_data["kpis"][0]["formula"] = "drill-completion"
    with pytest.raises(PlanLoadError) as caught:
        load_plan(write_plan(plan_data))
    assert "formula" in caught.value.problems[0].describe("en")
