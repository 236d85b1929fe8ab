"""Small plots for the handbook, drawn at build time as SVG from a template: no script, sharp on paper.

The plots hold numbers only; names and legends are the page's own text, where search and translation
reach them. A plot is a few lines and dots on two axes, so it is drawn here rather than by a plotting
library, whose import alone took a second of every handbook build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

__all__ = ["trend_svg"]

_WIDTH, _HEIGHT = 384, 172
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 372, 10, 148
"""The plot's area inside the drawing: room on the left for the percentages, below for the years."""
_INSET = 16
"""From the axes to the first and the last year, so that their dots and labels stand clear of them."""
_CEILING = 105
"""The percentage at the top of the plot: a dot at 100% is not cut by the edge."""
_PERCENT_TICKS = range(0, 101, 20)


@dataclass(frozen=True)
class _Tick:
    at: float
    label: str


@cache
def _template() -> Template:
    # XML-escaped, not Markdown-escaped as the pages' templates: the drawing lands in the page as raw SVG.
    environment = Environment(
        loader=PackageLoader("bcmlib.handbook", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("trend.svg.j2")


def _height(percent: float) -> float:
    return round(_BOTTOM - (_BOTTOM - _TOP) * percent / _CEILING, 1)


def trend_svg(points: Sequence[tuple[int, float | None]], target: float) -> Markup:
    """A KPI's yearly values in percent as a line (a gap where a year has none), and its target dashed."""
    first, last = _LEFT + _INSET, _RIGHT - _INSET
    step = (last - first) / (len(points) - 1) if len(points) > 1 else 0
    # One year alone stands in the middle, as it would on any scale.
    xs = [round(first + step * index, 1) if step else (first + last) / 2 for index in range(len(points))]
    runs: list[list[tuple[float, float]]] = [[]]
    for x, (_, value) in zip(xs, points, strict=True):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((x, _height(value)))
    svg = _template().render(
        width=_WIDTH,
        height=_HEIGHT,
        left=_LEFT,
        right=_RIGHT,
        top=_TOP,
        bottom=_BOTTOM,
        target=_height(target),
        x_ticks=[_Tick(x, str(year)) for x, (year, _) in zip(xs, points, strict=True)],
        y_ticks=[_Tick(_height(percent), f"{percent}%") for percent in _PERCENT_TICKS],
        runs=[run for run in runs if run],
    )
    return Markup(svg)
