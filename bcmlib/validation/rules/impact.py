"""The business impact analysis holds together, and each critical process has one and a minimum capacity.

Ratings rise in time order and agree with a typed MAO; the minimum capacity's resources are dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from bcmlib.analysis.impact import derive_mtpd, scale_positions
from bcmlib.models import CategoryImpact, ImpactPoint, Plan, Process
from bcmlib.validation.findings import Hit, Severity, rule


def _category_name(plan: Plan, category: str) -> str:
    """The category's name; its identifier where the plan does not list it (REF001 reports that)."""
    known = plan.collections["impact_categories"].get(category)
    return known.name if known is not None else category


@rule("BIA001", Severity.WARNING)
def rto_without_analysis(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has an RTO but no business impact analysis behind it."""
    for index, process in enumerate(plan.processes):
        if process.critical and process.rto is not None and process.bia is None:
            yield Hit(f"processes/{process.id}", ("processes", index), {"process": process.name})


@rule("BIA002", Severity.WARNING)
def falling_ratings(plan: Plan, today: date) -> Iterator[Hit]:
    """An impact rating falls over time within a category of a process's analysis."""
    # The longer a process is down, the more it costs: a rating that falls later is usually a slip of
    # the pen (ISO/TS 22317 has impacts grow or hold), so it is asked about, not refused.
    positions = scale_positions(plan)
    for index, process, number, impact in _impacts(plan):
        rated = [(n, p, positions[p.rating]) for n, p in enumerate(impact.over_time) if p.rating in positions]
        for (_, before, was), (at, point, now) in pairwise(rated):
            if now < was:
                yield _point_hit(plan, (index, process, number, impact), at, "rating", before, point)


@rule("BIA003", Severity.ERROR)
def mao_against_analysis(plan: Plan, today: date) -> Iterator[Hit]:
    """A process's typed MAO disagrees with the MTPD its business impact analysis derives."""
    for index, process in enumerate(plan.processes):
        derived = derive_mtpd(plan, process)
        if derived is None or derived.set_by is None or process.mao is None:
            continue
        if process.mao != derived.set_by.point.after:
            params = {
                "process": process.name,
                "mao": process.mao,
                "mtpd": derived.set_by.point.after,
                "category": derived.set_by.category.name,
            }
            yield Hit(f"processes/{process.id}", ("processes", index, "mao"), params)


@rule("BIA006", Severity.ERROR)
def mao_within_tolerable_outage(plan: Plan, today: date) -> Iterator[Hit]:
    """A process's typed MAO is no longer than an outage its impact analysis still rates tolerable."""
    # With no intolerable point the analysis sets no MTPD (BIA003 has nothing to compare), but it does
    # say the outage is tolerable for as long as its latest point: a MAO at or before that point says
    # the opposite, and the RTO would be checked against the shorter of the two stories.
    for index, process in enumerate(plan.processes):
        derived = derive_mtpd(plan, process)
        if (
            derived is None
            or derived.set_by is not None
            or derived.last_assessed is None
            or process.mao is None
        ):
            continue
        if process.mao <= derived.last_assessed:
            params = {"process": process.name, "mao": process.mao, "tolerable": derived.last_assessed}
            yield Hit(f"processes/{process.id}", ("processes", index, "mao"), params)


@rule("BIA004", Severity.WARNING)
def category_without_tolerance(plan: Plan, today: date) -> Iterator[Hit]:
    """An impact category has no tolerance, so it can set no process's MTPD."""
    for index, category in enumerate(plan.impact_categories):
        if category.intolerable_from is None:
            yield Hit(
                f"impact_categories/{category.id}", ("impact_categories", index), {"category": category.name}
            )


@rule("BIA005", Severity.ERROR)
def points_out_of_order(plan: Plan, today: date) -> Iterator[Hit]:
    """The points in time of an impact category are not in increasing order, or one is repeated."""
    for index, process, number, impact in _impacts(plan):
        for at, (before, point) in enumerate(pairwise(impact.over_time), start=1):
            if point.after <= before.after:
                yield _point_hit(plan, (index, process, number, impact), at, "after", before, point)


_Rated = tuple[int, Process, int, CategoryImpact]
"""A category a process's analysis rates: the process's index and itself, the impact's index and itself."""


def _impacts(plan: Plan) -> Iterator[_Rated]:
    """Every category every process's analysis rates, as written (a category the plan lacks included)."""
    for index, process in enumerate(plan.processes):
        for number, impact in enumerate(process.bia.impacts if process.bia else []):
            yield index, process, number, impact


def _point_hit(
    plan: Plan, rated: _Rated, at: int, field: str, before: ImpactPoint, point: ImpactPoint
) -> Hit:
    """A finding at the `at`th point of a rated category, whose `field` does not follow the one before."""
    index, process, number, impact = rated
    path = ("processes", index, "bia", "impacts", number, "over_time", at, field)
    params = {
        "process": process.name,
        "category": _category_name(plan, impact.category),
        "after": point.after,
        "before": before.after,
    }
    return Hit(f"processes/{process.id}", path, params)


@rule("MBC001", Severity.WARNING)
def no_minimum_capacity(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process has no minimum business continuity objective (MBCO) to reach by its RTO."""
    for index, process in enumerate(plan.processes):
        if process.critical and process.mbco is None:
            yield Hit(f"processes/{process.id}", ("processes", index), {"process": process.name})


_RESOURCES = ("roles", "sites", "systems", "suppliers")
"""What a minimum capacity needs that a process's dependencies also list; its emergency supplies are
not a dependency of the process."""


@rule("MBC002", Severity.WARNING)
def resource_not_a_dependency(plan: Plan, today: date) -> Iterator[Hit]:
    """A resource the minimum capacity needs is not among the process's dependencies."""
    for index, process in enumerate(plan.processes):
        if process.mbco is None:
            continue
        for kind in _RESOURCES:
            listed = set(getattr(process.depends_on, kind))
            known = plan.collections[kind]
            for position, ref in enumerate(getattr(process.mbco, kind)):
                if ref not in listed:
                    params = {"process": process.name, "resource": known[ref].name if ref in known else ref}
                    params["field"] = f"depends_on.{kind}"
                    path = ("processes", index, "mbco", kind, position)
                    yield Hit(f"processes/{process.id}", path, params)
