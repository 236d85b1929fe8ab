"""The business impact analysis over time: each process's MTPD, derived from its ratings, and its grid.

Each impact category's tolerance (`intolerable_from`) is a rating of the plan's impact scale, which lists
its ratings mildest first. In one category, a process's outage turns intolerable at the first point in
time whose rating is at or above the tolerance; the process's maximum tolerable period of disruption
(MTPD) is the earliest of those points over its categories (ISO/TS 22317: the MTPD is the time after
which the impact becomes unacceptable). A category without a tolerance, or a rating the scale does not
list, cannot set it; the validator reports both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from bcmlib.models import Plan, Process
from bcmlib.models.impact import CategoryImpact, ImpactCategory, ImpactPoint, ImpactRating
from bcmlib.models.values import Duration

__all__ = [
    "DerivedMtpd",
    "GridCell",
    "GridRow",
    "ImpactGrid",
    "Intolerable",
    "derive_mtpd",
    "effective_mtpd",
    "impact_grid",
    "rated_categories",
    "scale_positions",
]


@dataclass(frozen=True)
class Intolerable:
    """Where a process's outage becomes intolerable in one category.

    It is the category's first point rated at or above its tolerance.
    """

    category: ImpactCategory
    point: ImpactPoint


@dataclass(frozen=True)
class DerivedMtpd:
    """What a process's business impact analysis says of its MTPD."""

    set_by: Intolerable | None
    """The category and point that set it, the earliest intolerable one; None when none is intolerable."""
    last_assessed: Duration | None
    """The latest point assessed in a category with a tolerance: with no `set_by`, the outage stays
    tolerable at least that long, so the MTPD is longer. None when no category rated has a tolerance,
    and the analysis cannot tell."""

    @property
    def mtpd(self) -> Duration | None:
        """The derived MTPD, or None when the analysis sets none."""
        return self.set_by.point.after if self.set_by else None


def scale_positions(plan: Plan) -> dict[str, int]:
    """Each rating's position on the plan's impact scale, 0 for the mildest."""
    return {rating.id: position for position, rating in enumerate(plan.impact_scale)}


def rated_categories(plan: Plan, process: Process) -> list[tuple[ImpactCategory, CategoryImpact]]:
    """The categories the process's analysis rates, in the plan's order, each with its ratings.

    A category the plan does not list is left out (REF001 reports it); one rated twice counts once,
    with its first ratings.
    """
    if process.bia is None:
        return []
    rated: dict[str, CategoryImpact] = {}
    for impact in process.bia.impacts:
        rated.setdefault(impact.category, impact)
    return [(category, rated[category.id]) for category in plan.impact_categories if category.id in rated]


def _intolerable(positions: dict[str, int], category: ImpactCategory, point: ImpactPoint) -> bool:
    """Whether `point` is rated at or above `category`'s tolerance; False when either is off the scale."""
    if category.intolerable_from is None:
        return False
    limit, rating = positions.get(category.intolerable_from), positions.get(point.rating)
    return limit is not None and rating is not None and rating >= limit


def derive_mtpd(plan: Plan, process: Process) -> DerivedMtpd | None:
    """What the process's analysis says of its MTPD; None when it has no analysis.

    The earliest intolerable point wins whatever order the points are listed in (a list out of order is
    reported, not trusted); between categories intolerable at the same time, the plan's first.
    """
    # Derived once per plan for all its processes: three rules and the grids each ask for every one.
    derived = plan.derived(_every_derived_mtpd)
    return derived[id(process)] if id(process) in derived else _derive_mtpd(plan, process)


def _every_derived_mtpd(plan: Plan) -> dict[int, DerivedMtpd | None]:
    """Each process's derived MTPD, by the process object (two may share an identifier, REF002)."""
    positions = scale_positions(plan)
    return {id(process): _derive_mtpd(plan, process, positions) for process in plan.processes}


def _derive_mtpd(plan: Plan, process: Process, positions: dict[str, int] | None = None) -> DerivedMtpd | None:
    if process.bia is None:
        return None
    positions = positions if positions is not None else scale_positions(plan)
    first: Intolerable | None = None
    last: Duration | None = None
    for category, impact in rated_categories(plan, process):
        if category.intolerable_from not in positions:
            continue
        for point in impact.over_time:
            if point.rating not in positions:
                continue  # a rating the scale lacks says nothing (REF001 reports it)
            last = point.after if last is None else max(last, point.after)
            if _intolerable(positions, category, point) and (
                first is None or point.after < first.point.after
            ):
                first = Intolerable(category, point)
    return DerivedMtpd(first, last)


def effective_mtpd(plan: Plan, process: Process) -> Duration | None:
    """The MTPD the process's RTO must stay under: derived where its analysis sets one, else the typed MAO."""
    derived = derive_mtpd(plan, process)
    return derived.mtpd if derived is not None and derived.mtpd is not None else process.mao


@dataclass(frozen=True)
class GridCell:
    """One category's impact at one point in time."""

    point: ImpactPoint
    rating: ImpactRating | None
    """The rating, or None when the scale does not list it (REF001 reports it)."""
    position: int | None
    """The rating's position on the scale, 0 for the mildest, which sets its colour."""
    intolerable: bool
    """Whether the category cannot tolerate it."""


@dataclass(frozen=True)
class GridRow:
    """A point in time and the impact in each column at it."""

    after: Duration
    cells: tuple[GridCell | None, ...]
    """One per column of the grid; None where the category has no rating at this point."""
    mtpd: bool = False
    """Whether the process's MTPD is this point."""
    rto: bool = False
    """Whether the process's RTO is this point."""

    @property
    def assessed(self) -> bool:
        """Whether any category is rated at this point.

        A row that is not only marks where the RTO or a typed MTPD falls between the points assessed.
        """
        return any(cell is not None for cell in self.cells)


@dataclass(frozen=True)
class ImpactGrid:
    """A process's impact over time: a row per point in time, a column per category it rates."""

    categories: tuple[ImpactCategory, ...]
    rows: tuple[GridRow, ...]
    derived: DerivedMtpd
    mtpd: Duration | None
    """The effective MTPD: derived, or typed where the analysis sets none."""
    scale: int
    """How many ratings the plan's scale has, for the colour of a position on it."""


def impact_grid(plan: Plan, process: Process) -> ImpactGrid | None:
    """The process's impact-over-time grid, with its MTPD and RTO marked; None when it has no analysis.

    The rows are every point any category rates, earliest first (`24h` and `1d` are one point). A point
    a category lists twice shows its first rating (the validator reports the repeat).
    """
    derived = derive_mtpd(plan, process)
    if derived is None:
        return None
    positions = scale_positions(plan)
    ratings = {rating.id: rating for rating in plan.impact_scale}
    columns = rated_categories(plan, process)
    times: dict[timedelta, Duration] = {}
    cells: dict[tuple[timedelta, int], GridCell] = {}
    for column, (category, impact) in enumerate(columns):
        for point in impact.over_time:
            times.setdefault(point.after, point.after)
            cell = GridCell(
                point,
                ratings.get(point.rating),
                positions.get(point.rating),
                _intolerable(positions, category, point),
            )
            cells.setdefault((point.after, column), cell)
    rows = [
        GridRow(after, tuple(cells.get((after, column)) for column in range(len(columns))))
        for after in sorted(times.values())
    ]
    mtpd = effective_mtpd(plan, process)
    if mtpd is not None:
        rows = list(_marked(rows, mtpd, len(columns), mtpd=True))
    if process.rto is not None:
        rows = list(_marked(rows, process.rto, len(columns), rto=True))
    return ImpactGrid(tuple(c for c, _ in columns), tuple(rows), derived, mtpd, len(plan.impact_scale))


def _marked(
    rows: list[GridRow], at: Duration, width: int, *, mtpd: bool = False, rto: bool = False
) -> Iterator[GridRow]:
    """`rows` with the row at `at` marked as the MTPD or the RTO.

    Where `at` falls between the points assessed, a row of its own is added there.
    """
    placed = False
    for row in rows:
        if not placed and row.after >= at:
            placed = True
            if row.after == at:
                yield GridRow(row.after, row.cells, mtpd=row.mtpd or mtpd, rto=row.rto or rto)
                continue
            yield GridRow(at, (None,) * width, mtpd=mtpd, rto=rto)
        yield row
    if not placed:
        yield GridRow(at, (None,) * width, mtpd=mtpd, rto=rto)
