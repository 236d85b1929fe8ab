"""What the preparedness pages need: the risk matrix, the insurance register, strategies and supplies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from bcmlib.analysis.risk import RiskView, risk_views, suggested_treatment
from bcmlib.models import Plan, Process, Strategy
from bcmlib.models.continuity import LossKind
from bcmlib.models.risk import ScaleLevel, Treatment

__all__ = [
    "MatrixRow",
    "StrategyRow",
    "insurance",
    "matrix",
    "strategies",
    "supplies",
]


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the risk matrix: the treatment its quadrant suggests and the scenarios in it."""

    score: int
    suggested: Treatment
    views: list[RiskView]


@dataclass(frozen=True)
class MatrixRow:
    """One impact step of the matrix, most severe first, with a cell for each likelihood step."""

    impact: ScaleLevel
    place: int
    high: bool
    cells: list[MatrixCell]


def matrix(plan: Plan) -> dict[str, Any]:
    """The risk matrix as a grid (impact down, likelihood across) and each scenario's row of the register."""
    views = risk_views(plan)
    names = {treatment.id: treatment.name for treatment in plan.risk_treatments}
    grid = plan.risk_matrix
    if grid is None:
        return {"views": views, "columns": [], "rows": [], "unscored": [], "treatment_names": names}
    likelihood, impact = grid.likelihood.levels, grid.impact.levels
    high_likelihood = [level.id for level in likelihood].index(grid.likelihood.high_from) + 1
    high_impact = [level.id for level in impact].index(grid.impact.high_from) + 1
    rows = []
    for place in range(len(impact), 0, -1):
        cells = []
        for across in range(1, len(likelihood) + 1):
            suggested = suggested_treatment(
                plan,
                "high" if place >= high_impact else "low",
                "high" if across >= high_likelihood else "low",
            )
            inside = [
                view
                for view in views
                if view.score and (view.score.impact_score, view.score.likelihood_score) == (place, across)
            ]
            cells.append(MatrixCell(place * across, suggested, inside))
        rows.append(MatrixRow(impact[place - 1], place, place >= high_impact, cells))
    columns = [
        {"level": level, "place": across, "high": across >= high_likelihood}
        for across, level in enumerate(likelihood, start=1)
    ]
    unscored = [view.scenario for view in views if view.score is None]
    return {"views": views, "columns": columns, "rows": rows, "unscored": unscored, "treatment_names": names}


def insurance(plan: Plan) -> dict[str, Any]:
    """Each policy with the outside party to call to claim and the scenarios it carries."""
    parties = plan.collections["external_parties"]
    scenarios = plan.collections["risk_scenarios"]
    return {
        "policies": [
            {
                "policy": policy,
                "contact": parties.get(policy.claim_contact) if policy.claim_contact else None,
                "risks": [scenarios[risk] for risk in policy.risks if risk in scenarios],
            }
            for policy in plan.insurance
        ]
    }


@dataclass(frozen=True)
class StrategyRow:
    """A strategy and one process it recovers, weighed against that process's RTO and MBCO."""

    strategy: Strategy
    process: Process
    in_time: bool | None
    """Whether it is in place within the process's RTO; None where either is not known."""
    enough: bool | None
    """Whether it reaches the process's minimum capacity (MBCO); None where either is not known."""


def _row(strategy: Strategy, process: Process) -> StrategyRow:
    ready, rto = strategy.ready_within, process.rto
    needed = process.mbco.capacity if process.mbco else None
    return StrategyRow(
        strategy,
        process,
        ready <= rto if ready is not None and rto is not None else None,
        strategy.capacity >= needed if strategy.capacity is not None and needed is not None else None,
    )


def strategies(plan: Plan) -> dict[str, Any]:
    """The strategies by the loss they answer, in the model's order of losses, each row a process."""
    processes = plan.collections["processes"]
    groups: dict[str, list[StrategyRow]] = {kind: [] for kind in get_args(LossKind)}
    for strategy in plan.strategies:
        groups[strategy.loss] += [_row(strategy, processes[p]) for p in strategy.processes if p in processes]
    return {"losses": {kind: rows for kind, rows in groups.items() if rows}}


def supplies(plan: Plan) -> dict[str, Any]:
    """The stocks with the name of the site each is kept at."""
    sites = plan.collections["sites"]
    return {
        "stocks": [
            {
                "stock": stock,
                "site": sites[stock.site].name if stock.site is not None and stock.site in sites else None,
            }
            for stock in plan.emergency_supplies.items
        ]
    }
