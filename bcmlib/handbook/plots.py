"""Small plots for the handbook, drawn by matplotlib at build time as SVG: no script, sharp on paper.

The plots hold numbers only; names and legends are the page's own text, where search and translation
reach them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from markupsafe import Markup

__all__ = ["trend_svg"]


def trend_svg(points: Sequence[tuple[int, float | None]], target: float, salt: str) -> Markup:
    """A KPI's yearly values in percent as a line (a gap where a year has none), and its target dashed.

    `salt` keeps the SVG's internal identifiers apart from other plots' on the same page.
    """
    # Imported here: only a build that draws a plot pays matplotlib's start-up.
    import matplotlib  # noqa: PLC0415

    matplotlib.use("svg")
    from matplotlib import pyplot  # noqa: PLC0415

    years = [year for year, _ in points]
    values = [float("nan") if value is None else value for _, value in points]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.size": 9}):
        figure, axes = pyplot.subplots(figsize=(4, 1.8))
        axes.plot(years, values, marker="o", color="#1f5fa8")
        axes.axhline(target, linestyle="--", color="#888888", linewidth=1)
        axes.set_ylim(0, 105)
        axes.set_xticks(years)
        axes.set_xticklabels([str(year) for year in years])
        axes.yaxis.set_major_formatter("{x:.0f}%")
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        pyplot.close(figure)
    svg = buffer.getvalue()
    # Inline in the page: no XML declaration or doctype before the <svg> element.
    return Markup(svg[svg.index("<svg") :])
