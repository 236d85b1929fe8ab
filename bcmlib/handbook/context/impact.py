"""Each process's impact over time and minimum capacity, for the processes page and the department plans.

A rating's colour comes from its position on the plan's scale, never from plan text: a ramp from a pale
green (the mildest) to a deep red (the most severe) whose lightness falls step by step, so a grey
printout still tells the ratings apart, and the rating's name is written in every cell besides.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, radians, sin
from typing import Any

from markupsafe import Markup

from bcmlib.analysis.impact import ImpactGrid, impact_grid
from bcmlib.models import Plan

__all__ = ["Swatch", "impact", "swatches"]

# The ramp in OKLab, whose lightness is perceived lightness: even steps of it stay apart once printed
# in grey. Mildest first: light and green; most severe: dark and red.
_LIGHTEST, _DARKEST = 0.96, 0.45
_HUES = (145.0, 25.0)
_CHROMA = (0.05, 0.16)


@dataclass(frozen=True)
class Swatch:
    """The colours of a rating's cells."""

    background: str
    text: str

    @property
    def style(self) -> Markup:
        """The cell's inline style; both colours are the library's own hex values."""
        return Markup(f"background-color:{self.background};color:{self.text}")


def _linear(lightness: float, chroma: float, hue: float) -> tuple[float, float, float]:
    """An OKLCh colour in linear sRGB, clipped into its gamut."""
    a, b = chroma * cos(radians(hue)), chroma * sin(radians(hue))
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    red = 4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_
    green = -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_
    blue = -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_
    return (min(max(red, 0.0), 1.0), min(max(green, 0.0), 1.0), min(max(blue, 0.0), 1.0))


def _hex(linear: tuple[float, float, float]) -> str:
    def encoded(channel: float) -> int:
        value = 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055
        return round(value * 255)

    return "#" + "".join(f"{encoded(channel):02x}" for channel in linear)


def _text_on(linear: tuple[float, float, float]) -> str:
    """Black or white, whichever contrasts more with the background (WCAG's relative luminance)."""
    red, green, blue = linear
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def swatches(plan: Plan) -> dict[str, Swatch]:
    """Each rating of the plan's impact scale with its colours, by rating id."""
    count = len(plan.impact_scale)
    colours = {}
    for position, rating in enumerate(plan.impact_scale):
        share = position / (count - 1) if count > 1 else 0.0
        lightness = _LIGHTEST + (_DARKEST - _LIGHTEST) * share
        chroma = _CHROMA[0] + (_CHROMA[1] - _CHROMA[0]) * share
        hue = _HUES[0] + (_HUES[1] - _HUES[0]) * share
        linear = _linear(lightness, chroma, hue)
        colours[rating.id] = Swatch(_hex(linear), _text_on(linear))
    return colours


def impact(plan: Plan) -> dict[str, Any]:
    """Each process's grid (None without an analysis), by process id, and the scale's colours."""
    grids: dict[str, ImpactGrid | None] = {
        process.id: impact_grid(plan, process) for process in plan.processes
    }
    return {"grids": grids, "swatches": swatches(plan)}
