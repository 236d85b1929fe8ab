"""Crisis levels in order, and the ways people write them (Ⅲ, III, 3)."""

from __future__ import annotations

from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import Level

__all__ = ["LEVELS", "parse_level"]

LEVELS: tuple[Level, ...] = ("III", "II", "I")
"""Crisis levels from the least to the most severe."""

_SPELLINGS: dict[str, Level] = {
    **{level: level for level in LEVELS},
    "Ⅲ": "III",
    "Ⅱ": "II",
    "Ⅰ": "I",
    "3": "III",
    "2": "II",
    "1": "I",
}


def parse_level(text: str) -> Level:
    """The level `text` names: Ⅰ/Ⅱ/Ⅲ as the procedures print them, I/II/III, or 1/2/3 (1 is the worst)."""
    wanted = text.strip().upper().removesuffix("级").removesuffix("級")
    level = _SPELLINGS.get(wanted) or _SPELLINGS.get(wanted.replace("LEVEL", "").strip())
    if level is None:
        raise IncidentError(
            "incident.unknown_level", level=text, known=["Ⅲ / III / 3", "Ⅱ / II / 2", "Ⅰ / I / 1"]
        )
    return level
