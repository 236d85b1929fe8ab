"""Exercises are held as often as the programme says, and every drill scenario comes round in turn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from bcmlib.models import DrillScenario, ExerciseKind, Plan
from bcmlib.validation.findings import Hit, Severity, rule
from bcmlib.validation.rules.upkeep import days_late, issued, owner_name

_YEAR = timedelta(days=365)
DUE_SOON = timedelta(days=30)
"""How far ahead a coming exercise is announced."""


def kind_due(plan: Plan, kind: ExerciseKind) -> date:
    """When the next exercise of `kind` is due: one period after the last one, or after the plan's issue."""
    dates = sorted(r.date for r in plan.exercises.records if r.kind == kind.id)
    return (dates[-1] if dates else issued(plan)) + kind.every


def scenario_due(plan: Plan, scenario: DrillScenario, period: timedelta) -> date:
    """When `scenario` must come round again, at a rotation of `period`."""
    dates = [r.date for r in plan.exercises.records if r.scenario == scenario.id]
    return max(dates, default=issued(plan)) + period


@rule("EXR001", Severity.WARNING)
def exercise_overdue(plan: Plan, today: date) -> Iterator[Hit]:
    """An exercise type has been held fewer times than the programme asks in its last period."""
    for index, kind in enumerate(plan.exercises.kinds):
        window_start = today - kind.every
        held = sum(1 for r in plan.exercises.records if r.kind == kind.id and r.date > window_start)
        due = kind_due(plan, kind)
        if held < kind.min_times and due < today:
            params = {
                "kind": kind.name,
                "every": kind.every,
                "times": kind.min_times,
                "due": due.isoformat(),
                "late": days_late(due, today),
                "owner": owner_name(plan, plan.exercises.owner),
            }
            yield Hit(f"exercise_kinds/{kind.id}", ("exercises", "kinds", index), params)


@rule("EXR003", Severity.WARNING)
def exercise_due_soon(plan: Plan, today: date) -> Iterator[Hit]:
    """An exercise type falls due within the next 30 days."""
    for index, kind in enumerate(plan.exercises.kinds):
        due = kind_due(plan, kind)
        if today <= due <= today + DUE_SOON:
            params = {
                "kind": kind.name,
                "due": due.isoformat(),
                "days": (due - today).days,
                "owner": owner_name(plan, plan.exercises.owner),
            }
            yield Hit(f"exercise_kinds/{kind.id}", ("exercises", "kinds", index), params)


def rotation_period(plan: Plan) -> timedelta | None:
    """How long the drills take to go through every scenario once, at the programme's minimum pace."""
    per_year = sum(kind.min_times * (_YEAR / kind.every) for kind in plan.exercises.kinds)
    scenarios = len(plan.exercises.scenarios)
    if not per_year or not scenarios:
        return None
    return _YEAR * (scenarios / per_year)


@rule("EXR002", Severity.WARNING)
def scenario_not_rotated(plan: Plan, today: date) -> Iterator[Hit]:
    """A drill scenario has not come round within the rotation the programme allows."""
    period = rotation_period(plan)
    if period is None:
        return
    for index, scenario in enumerate(plan.exercises.scenarios):
        due = scenario_due(plan, scenario, period)
        if due < today:
            params = {
                "scenario": scenario.name,
                "period": f"{period.days}d",
                "due": due.isoformat(),
                "late": days_late(due, today),
                "owner": owner_name(plan, plan.exercises.owner),
            }
            yield Hit(f"drill_scenarios/{scenario.id}", ("exercises", "scenarios", index), params)
