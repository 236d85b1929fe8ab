"""What the dashboard, the KPI and the coverage pages show, computed once for them all."""

from __future__ import annotations

from datetime import date
from typing import Any

from bcmlib.coverage import Coverage, coverage
from bcmlib.drill_calendar import planned_drills
from bcmlib.handbook.plots import trend_svg
from bcmlib.i18n import Msg
from bcmlib.kpis import kpi_trend, kpi_value
from bcmlib.models import Plan
from bcmlib.validation.findings import Report

__all__ = ["NEXT_DRILLS", "kpis", "monitoring"]


NEXT_DRILLS = 3
"""How many coming drills the dashboard lists."""


def monitoring(plan: Plan, report: Report, built: date) -> dict[str, Any]:
    """What the dashboard, the KPI and the coverage pages show, computed once for them all."""
    late = [finding for finding in report if "late" in finding.params and finding.waiver is None]
    soon = [finding for finding in report if "days" in finding.params]
    clauses = coverage(plan)
    counts = {status.value: sum(clause.status == status for clause in clauses) for status in Coverage}
    return {
        "kpis": kpis(plan, built),
        "overdue": sorted(late, key=lambda finding: -finding.params["late"]),
        "due_soon": sorted(soon, key=lambda finding: finding.params["days"]),
        "drills": planned_drills(plan, built)[:NEXT_DRILLS],
        "clauses": clauses,
        "coverage_summary": Msg("coverage.summary", counts),
    }


def kpis(plan: Plan, built: date) -> list[dict[str, Any]]:
    """Each KPI's value as of the build day, and its yearly trend as a plot when it has a value."""
    rows = []
    for kpi in plan.kpis:
        trend = kpi_trend(plan, kpi, built)
        drawn = any(value is not None for _, value in trend)
        plot = trend_svg(trend, kpi.target, salt=kpi.id) if drawn else None
        rows.append({"kpi": kpi, "value": kpi_value(plan, kpi, built), "trend": plot})
    return rows
