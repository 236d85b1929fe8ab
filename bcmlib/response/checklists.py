"""Each scenario's checklist: what to do, who does it and by when, on a time axis from the event.

A checklist is the plan's own data, never invented: the call tree's first calls, each crisis level's
report, the reports owed outside the company (to an authority, say) where they apply, the responses
the scenario's risk names (an emergency access that opens after a week, a chain of decision), the
plan's checklist steps, and the recovery of what the scenario hits and what depends on it, in the one
recovery order. A scenario that yields nothing beyond the calls and reports is thin: the validator
reports it, and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bcmlib.analysis.items import refs_in
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.models import (
    CallLink,
    ChecklistStep,
    CrisisLevel,
    DecisionChain,
    Dependencies,
    DrillScenario,
    Duration,
    EmergencyAccess,
    ExternalReport,
    Plan,
    Process,
    RiskScenario,
    Role,
)

__all__ = [
    "BANDS",
    "Band",
    "Scenario",
    "Step",
    "StepKind",
    "banded",
    "checklist",
    "every_checklist",
    "scenarios",
    "thin",
]

StepKind = Literal["call", "report", "external", "access", "decide", "step", "recover"]
Subject = (
    CallLink | CrisisLevel | ExternalReport | EmergencyAccess | DecisionChain | ChecklistStep | RecoveryItem
)

Band = Literal["first_15m", "first_hour", "first_day", "later", "untimed"]
BANDS: tuple[tuple[Band, timedelta], ...] = (
    ("first_15m", timedelta(minutes=15)),
    ("first_hour", timedelta(hours=1)),
    ("first_day", timedelta(days=1)),
    ("later", timedelta.max),
)
"""The time axis a checklist is read on: the first 15 minutes, the first hour, the first day, later."""

_EVENT = datetime(2000, 1, 1, tzinfo=UTC)
"""A fixed moment for the event, so each recovery deadline comes out as a time after it."""


@dataclass(frozen=True)
class Scenario:
    """A risk scenario or a drill scenario, as a checklist is made for it."""

    anchor: str
    """Its place on the checklists page, unique across both kinds."""
    name: str
    risk: RiskScenario | None
    drill: DrillScenario | None

    @property
    def hits(self) -> Dependencies:
        """What it strikes: a drill's own, narrower list, or else its risk's."""
        own = self.drill.hits if self.drill else Dependencies()
        if any((own.systems, own.sites, own.suppliers, own.processes)):
            return own
        return self.risk.hits if self.risk else own

    @property
    def steps(self) -> list[ChecklistStep]:
        """The plan's own checklist steps: its risk's, then a drill's own."""
        return [*(self.risk.checklist if self.risk else []), *(self.drill.checklist if self.drill else [])]


def scenarios(plan: Plan) -> list[Scenario]:
    """Every risk scenario, then every drill scenario (with the risk it rehearses)."""
    risks = plan.collections["risk_scenarios"]
    return [
        *(Scenario(f"risk-{risk.id}", risk.name, risk, None) for risk in plan.risk_scenarios),
        *(
            Scenario(f"drill-{drill.id}", drill.name, risks.get(drill.risk) if drill.risk else None, drill)
            for drill in plan.exercises.scenarios
        ),
    ]


@dataclass(frozen=True)
class Step:
    """One line of a checklist: what kind of step, by when after the event, which role does it, and what."""

    kind: StepKind
    within: Duration | None
    """How long after the event it must be done; None where the plan gives no time."""
    role: Role | None
    subject: Subject
    """The plan's data the line is made from: a call, a level's report, a response, a step, an item."""


def checklist(plan: Plan, scenario: Scenario) -> list[Step]:
    """What to do in `scenario`, in time order: the recovery of what it hits keeps the recovery order."""
    others = sorted(_own_steps(plan, scenario), key=lambda step: _sort_key(step.within))
    recovery = list(_recovery(plan, scenario.hits))
    merged: list[Step] = []
    for band, _ in [*BANDS, ("untimed", timedelta.max)]:
        merged += [step for step in others if band_of(step.within) == band]
        merged += [step for step in recovery if _band_at_least(step, recovery) == band]
    return merged


def every_checklist(plan: Plan) -> list[tuple[Scenario, list[Step]]]:
    """Every scenario with its checklist, computed once for all the pages and runbooks that read them."""
    return [(scenario, checklist(plan, scenario)) for scenario in scenarios(plan)]


def thin(steps: list[Step]) -> bool:
    """Whether a checklist says nothing beyond whom to call and report to."""
    return not any(step.kind not in ("call", "report", "external") for step in steps)


def band_of(within: timedelta | None) -> Band:
    """The band of the time axis a step due `within` after the event falls in."""
    if within is None:
        return "untimed"
    return next(band for band, limit in BANDS if within <= limit)


def banded(steps: list[Step]) -> list[tuple[Band, list[Step]]]:
    """`steps` grouped by band, in the order they come; a recovery step never moves ahead of the order."""
    groups: list[tuple[Band, list[Step]]] = []
    recovery = [step for step in steps if step.kind == "recover"]
    for step in steps:
        band = _band_at_least(step, recovery) if step.kind == "recover" else band_of(step.within)
        if groups and groups[-1][0] == band:
            groups[-1][1].append(step)
        else:
            groups.append((band, [step]))
    return groups


def _band_at_least(step: Step, recovery: list[Step]) -> Band:
    """A recovery step's band, no earlier than the band of any step before it in the recovery order.

    An item later in the order is recovered after those before it, whatever its own deadline: it is
    listed with them, its own deadline shown beside it.
    """
    order = [band for band, _ in BANDS] + ["untimed"]
    before = recovery[: recovery.index(step) + 1]
    return max((band_of(other.within) for other in before), key=order.index)


def _sort_key(within: timedelta | None) -> tuple[bool, timedelta]:
    return (within is None, within or timedelta())


def _own_steps(plan: Plan, scenario: Scenario) -> Iterator[Step]:
    """Every step but the recovery: the first calls, the reports, the risk's responses, the plan's steps."""
    if plan.call_tree is not None:
        for link in plan.call_tree.links:
            if link.caller == "anyone":
                yield Step("call", Duration("immediate"), None, link)
    for level in plan.crisis_levels:
        if level.report_to:
            yield Step("report", level.report_within, _role(plan, level.confirmed_by), level)
    for duty in plan.external_reports:
        if _owed_in(plan, duty, scenario):
            yield Step("external", duty.within, _role(plan, duty.by), duty)
    for response in scenario.risk.responses if scenario.risk else []:
        if isinstance(response, EmergencyAccess):
            yield Step("access", response.after, None, response)
        elif isinstance(response, DecisionChain):
            yield Step("decide", None, None, response)
    for step in scenario.steps:
        yield Step("step", step.within, _role(plan, step.by), step)


def _owed_in(plan: Plan, duty: ExternalReport, scenario: Scenario) -> bool:
    """Whether a report outside the company may be owed in `scenario`.

    It is when the duty names no category, or names the scenario's risk's category (or the category its
    sub-type belongs to). A duty narrowed to categories is left out of a scenario of no known category:
    a drill of its own says nothing of what kind of crisis it is.
    """
    if not duty.risk_categories:
        return True
    return scenario.risk is not None and bool(plan.categories_of(scenario.risk) & set(duty.risk_categories))


def _recovery(plan: Plan, hits: Dependencies) -> Iterator[Step]:
    """What `hits` takes down, in recovery order, each due when it or what needs it must be back."""
    refs = refs_in(plan, hits)
    if not refs:
        return
    for item in recovery_order(plan, refs, _EVENT):
        owner = item.item.owner if isinstance(item.item, Process) else None
        within = Duration.of(item.deadline - _EVENT) if item.deadline else None
        yield Step("recover", within, _role(plan, owner), item)


def _role(plan: Plan, role: str | None) -> Role | None:
    return plan.collections["roles"].get(role) if role else None
