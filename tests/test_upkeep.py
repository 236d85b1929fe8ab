"""Each upkeep rule fires on the first day its item is late, and stays quiet the day before."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from bcmlib import load_plan, validate
from bcmlib.cli import cli
from tests.conftest import WritePlan
from tests.upkeep_plans import (
    Mutation,
    action_due,
    backups_trained,
    contact_verified,
    drill_held,
    plan_reviewed,
    restore_tested,
    scenario_drilled,
)

# code, the change, and the first day it fires ("quiet the day before"); for the records that end a
# finding (a restore test, a training), the day the record is dated ("fires the day before").
LATE: list[tuple[str, Mutation, str]] = [
    ("EXR001", drill_held("2026-03-01"), "2026-04-01"),  # due 30 days after the drill: 03-31
    ("EXR003", drill_held("2026-03-01"), "2026-03-01"),  # due 03-31: within 30 days from 03-01
    ("EXR002", scenario_drilled("2026-01-10"), "2027-01-11"),  # the rotation is 365 days
    ("CON001", contact_verified("2026-06-01"), "2026-08-31"),  # verified every 90 days: due 08-30
    ("ACT001", action_due("2026-06-30"), "2026-07-01"),
    ("DOC002", plan_reviewed("2026-02-01"), "2026-05-13"),  # reviewed every 100 days: due 05-12
]
ENDED: list[tuple[str, Mutation, str]] = [
    ("BAK002", restore_tested("2026-05-01"), "2026-05-01"),
    ("TRN001", backups_trained("2026-03-01"), "2026-03-01"),
]


def _codes(data: dict[str, Any], write_plan: WritePlan, day: date) -> set[str]:
    return {finding.code for finding in validate(load_plan(write_plan(data)), today=day)}


@pytest.mark.parametrize(("code", "mutate", "first"), LATE, ids=[case[0] for case in LATE])
def test_a_late_item_is_found_from_the_first_late_day(
    code: str, mutate: Mutation, first: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    mutate(plan_data)
    day = date.fromisoformat(first)
    assert code in _codes(plan_data, write_plan, day)
    assert code not in _codes(plan_data, write_plan, day - timedelta(days=1))


@pytest.mark.parametrize(("code", "mutate", "recorded"), ENDED, ids=[case[0] for case in ENDED])
def test_a_record_ends_the_finding_from_its_day(
    code: str, mutate: Mutation, recorded: str, plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    mutate(plan_data)
    day = date.fromisoformat(recorded)
    assert code in _codes(plan_data, write_plan, day - timedelta(days=1))
    assert code not in _codes(plan_data, write_plan, day)


def test_a_finding_says_how_late_and_who_owns_it(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan_reviewed("2026-02-01")(plan_data)
    (finding,) = [
        f for f in validate(load_plan(write_plan(plan_data)), today=date(2026, 5, 22)) if f.code == "DOC002"
    ]
    assert "已逾期 10 天" in finding.message("zh")
    assert "角色2（Cy）" in finding.message("zh")
    # English glues its own punctuation around the plan's names.
    assert "10 day(s) late (owner: 角色2 (Cy))" in finding.message("en")


def test_bcm_check_as_of_ages_the_plan(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    action_due("2026-06-30")(plan_data)
    path = write_plan(plan_data)
    before = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-06-30"])
    after = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-07-01"])
    assert "ACT001" not in before.output
    assert "ACT001" in after.output
    assert "修复备用电源" in after.output
