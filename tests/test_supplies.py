"""Emergency supplies age like contacts: counted on time, used before they expire, placed and counted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bcmlib import load_plan, validate
from bcmlib.handbook import render_handbook
from bcmlib.i18n import Lang
from tests.conftest import TODAY, WritePlan
from tests.risk_plans import supplies


def _supply_findings(plan_data: dict[str, Any], write_plan: WritePlan, today: date) -> list[str]:
    return [
        f.code for f in validate(load_plan(write_plan(plan_data)), today=today) if f.code.startswith("SUP")
    ]


@pytest.mark.parametrize(
    ("today", "codes"),
    [
        (date(2026, 9, 29), []),  # counted on 1 July, every 3 months (90 days): due on 29 September
        (date(2026, 9, 30), ["SUP001"]),
    ],
)
def test_a_stock_not_counted_within_the_interval_is_late(
    today: date, codes: list[str], plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies(checked_on="2026-07-01")(plan_data)
    assert _supply_findings(plan_data, write_plan, today) == codes


def test_the_late_count_says_how_late_and_who_keeps_it(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies(checked_on="2026-07-01")(plan_data)
    (late,) = validate(load_plan(write_plan(plan_data)), today=date(2026, 11, 24))
    assert late.params["late"] == 56  # due 2026-09-29 (3mo = 90 days, as contacts)
    assert "角色1（Bob）" in late.message("zh")
    plan_data["emergency_supplies"]["items"][0]["custodian"] = "cy"
    (late,) = validate(load_plan(write_plan(plan_data)), today=date(2026, 11, 24))
    assert "(owner: Cy)" in late.message("en")


def test_a_stock_never_counted_is_late_from_the_plan_s_issue(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies()(plan_data)  # the plan was issued on 2026-01-01
    assert _supply_findings(plan_data, write_plan, date(2026, 3, 31)) == []
    assert _supply_findings(plan_data, write_plan, date(2026, 4, 2)) == ["SUP001"]


def test_without_a_check_interval_no_stock_is_late(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    supplies()(plan_data)
    del plan_data["emergency_supplies"]["check_every"]
    assert _supply_findings(plan_data, write_plan, date(2030, 1, 1)) == []


@pytest.mark.parametrize(("today", "codes"), [(date(2026, 11, 1), []), (date(2026, 11, 2), ["SUP002"])])
def test_a_stock_past_its_expiry_is_reported(
    today: date, codes: list[str], plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies(checked_on="2026-10-01", expires="2026-11-01")(plan_data)
    assert _supply_findings(plan_data, write_plan, today) == codes


@pytest.mark.parametrize(
    ("stock", "missing"),
    [
        ({"quantity": None}, "quantity"),
        ({"location": None}, "site/location"),
        ({"quantity": None, "location": None}, "quantity, site/location"),
    ],
)
def test_a_stock_says_how_much_and_where(
    stock: dict[str, Any], missing: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies(checked_on="2026-11-01", **stock)(plan_data)
    findings = [
        f for f in validate(load_plan(write_plan(plan_data)), today=TODAY) if f.code.startswith("SUP")
    ]
    assert [f.code for f in findings] == ["SUP003"]
    assert f"does not say: {missing}." in findings[0].message("en")


def test_a_site_is_a_place_enough(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan_data["sites"] = [{"id": "depot", "name": "仓库"}]
    supplies(checked_on="2026-11-01", location=None, site="depot")(plan_data)
    assert _supply_findings(plan_data, write_plan, TODAY) == []


def test_the_supplies_page_marks_expired_and_late_stocks_in_words(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    supplies(checked_on="2026-07-01", expires="2026-11-01")(plan_data)
    plan = load_plan(write_plan(plan_data))
    languages: dict[Lang, list[str]] = {
        "zh": ["已过期 23 天", "逾期未清点 56 天"],
        "en": ["expired 23 day(s) ago", "56 day(s) late"],
    }
    for lang, words in languages.items():
        pages = {p.path: p for p in render_handbook(plan, validate(plan, today=TODAY), TODAY, lang)}
        page = pages["supplies.md"]
        assert page.part == "crisis"
        assert "饮用水" in page.markdown
        for word in words:
            assert word in page.markdown, (lang, word)
