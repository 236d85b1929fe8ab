"""Risk scenarios on the plan's risk matrix: their scores, the treatment the matrix suggests, what they hit.

The plan's `risk_treatments` each name the quadrant (impact high or low, likelihood high or low) they are
chosen for, as a procedure's treatment matrix does; the suggestion for a scenario is the plan's treatment for
its quadrant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bcmlib.analysis.dependencies import DependencyGraph
from bcmlib.analysis.items import refs_in
from bcmlib.models import InsurancePolicy, Plan, Process, RiskScenario
from bcmlib.models.risk import RiskScale, ScaleLevel, Treatment

__all__ = [
    "OPEN_QUADRANT",
    "Half",
    "RiskView",
    "Score",
    "policies_for",
    "processes_hit",
    "risk_views",
    "score",
    "suggested_treatment",
]

Half = Literal["high", "low"]
"""Which half of a scale a step falls in, split at the scale's `high_from`."""

OPEN_QUADRANT: Treatment = "accept"
"""The treatment for a quadrant the plan chooses none for. Procedures often leave low impact with low
likelihood open; BCM practice (ISO 31000's retention) keeps such a risk and watches it, which is `accept`."""


@dataclass(frozen=True)
class Score:
    """A scenario's place on the matrix: its step on each scale, each step's score, and its half of each."""

    likelihood: ScaleLevel
    impact: ScaleLevel
    likelihood_score: int
    """The step's place on the likelihood scale, counting from 1."""
    impact_score: int
    """The step's place on the impact scale, counting from 1."""
    likelihood_half: Half
    impact_half: Half

    @property
    def value(self) -> int:
        """The risk score: likelihood times impact."""
        return self.likelihood_score * self.impact_score


def _place(scale: RiskScale, level_id: str) -> int | None:
    """Where `level_id` sits on `scale`, counting from 1; None for a step it lacks (REF001 reports it)."""
    ids = [level.id for level in scale.levels]
    return ids.index(level_id) + 1 if level_id in ids else None


def _half(scale: RiskScale, place: int) -> Half:
    threshold = _place(scale, scale.high_from)
    return "high" if threshold is not None and place >= threshold else "low"


def score(plan: Plan, scenario: RiskScenario) -> Score | None:
    """The scenario's score on the plan's matrix; None without a matrix, an assessment, or a known step."""
    matrix, assessment = plan.risk_matrix, scenario.assessment
    if matrix is None or assessment is None:
        return None
    likely = _place(matrix.likelihood, assessment.likelihood)
    severe = _place(matrix.impact, assessment.impact)
    if likely is None or severe is None:
        return None
    return Score(
        matrix.likelihood.levels[likely - 1],
        matrix.impact.levels[severe - 1],
        likely,
        severe,
        _half(matrix.likelihood, likely),
        _half(matrix.impact, severe),
    )


def suggested_treatment(plan: Plan, impact: Half, likelihood: Half) -> Treatment:
    """The plan's treatment for a quadrant of the matrix, or `OPEN_QUADRANT` where it chooses none."""
    return next(
        (t.id for t in plan.risk_treatments if t.impact == impact and t.likelihood == likelihood),
        OPEN_QUADRANT,
    )


def processes_hit(plan: Plan, scenario: RiskScenario, graph: DependencyGraph | None = None) -> list[Process]:
    """The processes the scenario takes down, nearest first: those it hits and all that depend on them."""
    graph = graph or DependencyGraph.of(plan)
    reached = graph.reach(refs_in(plan, scenario.hits), graph.dependents)
    processes = plan.collections["processes"]
    return [processes[ref.id] for ref in reached if ref.kind == "process"]


def policies_for(plan: Plan, scenario: RiskScenario) -> list[InsurancePolicy]:
    """The insurance policies that name the scenario among the risks they carry."""
    return [policy for policy in plan.insurance if scenario.id in policy.risks]


@dataclass(frozen=True)
class RiskView:
    """A scenario with everything the risk register says of it."""

    scenario: RiskScenario
    score: Score | None
    suggested: Treatment | None
    """What the matrix suggests; None for a scenario not scored."""
    processes: Sequence[Process]
    policies: Sequence[InsurancePolicy]


def risk_views(plan: Plan) -> list[RiskView]:
    """Every risk scenario with its score, suggested treatment, processes hit and policies, as listed."""
    graph = DependencyGraph.of(plan)
    views = []
    for scenario in plan.risk_scenarios:
        found = score(plan, scenario)
        suggested = suggested_treatment(plan, found.impact_half, found.likelihood_half) if found else None
        views.append(
            RiskView(
                scenario, found, suggested, processes_hit(plan, scenario, graph), policies_for(plan, scenario)
            )
        )
    return views
