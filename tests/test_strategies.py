"""Continuity strategies against the RTO and the MBCO of the processes they recover."""

from __future__ import annotations

from typing import Any

import pytest

from bcmlib import load_plan, validate
from bcmlib.handbook import render_handbook
from bcmlib.i18n import Lang
from tests.conftest import TODAY, WritePlan
from tests.risk_plans import MEASURED, strategy


def _findings(plan_data: dict[str, Any], write_plan: WritePlan) -> list[tuple[str, str]]:
    report = validate(load_plan(write_plan(plan_data)), today=TODAY)
    return [(f.code, f.field) for f in report if f.code.startswith("STR")]


@pytest.mark.parametrize(
    ("measures", "mbco", "found"),
    [
        (MEASURED, 50, []),
        ({**MEASURED, "ready_within": "24h"}, None, []),  # exactly the RTO is in time
        ({**MEASURED, "ready_within": "25h"}, None, [("STR001", "strategies[0].ready_within")]),
        ({**MEASURED, "capacity": 60}, 60, []),
        ({**MEASURED, "capacity": 40}, 60, [("STR002", "strategies[0].capacity")]),
        ({**MEASURED, "capacity": 10}, None, []),  # no MBCO to fall short of
        ({"ready_within": "4h"}, None, [("STR003", "strategies[0]")]),
    ],
)
def test_a_strategy_is_weighed_against_what_it_recovers(
    measures: dict[str, Any],
    mbco: int | None,
    found: list[tuple[str, str]],
    plan_data: dict[str, Any],
    write_plan: WritePlan,
) -> None:
    strategy(mbco, **measures)(plan_data)
    assert _findings(plan_data, write_plan) == found


def test_a_strategy_too_slow_is_an_error_that_names_the_process(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    strategy(**{**MEASURED, "ready_within": "2d"})(plan_data)
    report = validate(load_plan(write_plan(plan_data)), today=TODAY)
    assert [f.code for f in report.errors] == ["STR001"]
    assert "出货" in report.errors[0].message("zh")
    assert "takes 2 d to put in place" in report.errors[0].message("en")


def test_the_missing_measures_are_named(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    strategy()(plan_data)
    (finding,) = [f for f in validate(load_plan(write_plan(plan_data)), today=TODAY) if f.code == "STR003"]
    assert "ready_within, lasts, capacity" in finding.message("en")


@pytest.mark.parametrize(
    ("measures", "zh", "en"),
    [
        (
            {**MEASURED, "ready_within": "48h", "capacity": 40},
            ["超过 RTO", "低于 MBCO"],
            ["beyond the RTO", "below"],
        ),
        (MEASURED, ["在 RTO 24 小时 内", "达到 MBCO 50%"], ["within the RTO", "meets the MBCO"]),
    ],
)
def test_the_strategies_page_says_whether_each_meets_the_rto_and_mbco(
    measures: dict[str, Any], zh: list[str], en: list[str], plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    strategy(50, **measures)(plan_data)
    plan = load_plan(write_plan(plan_data))
    languages: dict[Lang, list[str]] = {"zh": zh, "en": en}
    for lang, wanted in languages.items():
        pages = {p.path: p for p in render_handbook(plan, validate(plan, today=TODAY), TODAY, lang)}
        page = pages["strategies.md"]
        assert page.part == "coordinator"
        assert "备援仓" in page.markdown
        assert "processes.md#process-ship" in page.markdown
        for words in wanted:
            assert words in page.markdown, (lang, words)
