"""A plan's crisis levels in order of severity, and the ways people write them.

The plan chooses its levels (Ⅰ/Ⅱ/Ⅲ, 红/橙/黄/蓝, 1-4) and lists them from the most severe to the least.
People type a level by its identifier or its name, with or without 级 or "level", or by its place in that
list (1 is the most severe); a Roman numeral is the same level whichever way it is written (Ⅲ, III,
iii). Every way is compared as one folded spelling, so the validator can refuse a plan in which two
levels answer to the same text (CRS003) with the very rule `parse_level` reads by.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bcmlib.i18n import Msg
from bcmlib.incident.errors import IncidentError
from bcmlib.models import CrisisLevel, Plan

__all__ = [
    "MAX_LEVELS",
    "MIN_LEVELS",
    "by_severity",
    "level_choices",
    "level_definition",
    "level_ids",
    "logged_level",
    "most_severe",
    "parse_level",
    "spellings",
]

MIN_LEVELS = 2
"""Fewer levels leave nothing to raise or lower to."""
MAX_LEVELS = 5
"""More levels than people can tell apart in the first minutes of a crisis."""

_LEVEL_WORDS = ("级", "級", "level")
"""What people write around a level's identifier: Ⅲ级, Level 3, 红 level."""


def level_ids(plan: Plan) -> list[str]:
    """The plan's level identifiers, most severe first."""
    return [level.id for level in plan.crisis_levels]


def by_severity(plan: Plan, levels: Iterable[str]) -> list[str]:
    """`levels` (identifiers of the plan's levels) each once, most severe first."""
    order = level_ids(plan)
    return sorted(set(levels), key=order.index)


def most_severe(plan: Plan, levels: Iterable[str]) -> str:
    """The most severe of `levels`, identifiers of the plan's levels (at least one)."""
    return by_severity(plan, levels)[0]


def _fold(text: str) -> str:
    """One spelling for every way of writing a text: NFKC turns Ⅲ into III and １ into 1, then casefold."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _bare(folded: str) -> str:
    """A folded text without the 级 or "level" written around it, nor the space or hyphen that joined them."""
    for word in _LEVEL_WORDS:
        folded = folded.removeprefix(word).removesuffix(word).strip(" -_")
    return folded


def spellings(level: CrisisLevel, position: int) -> set[str]:
    """Every folded text that names `level`, the `position`-th of its plan (1 is the most severe)."""
    return {_fold(level.id), _bare(_fold(level.id)), _fold(level.name), str(position)} - {""}


def level_choices(plan: Plan) -> list[Msg]:
    """The plan's levels as an error message lists them to choose from, most severe first."""
    return [
        Msg("incident.level_choice", {"position": position, "id": level.id, "name": level.name})
        for position, level in enumerate(plan.crisis_levels, start=1)
    ] or [Msg("incident.none")]


def level_definition(plan: Plan, level: str) -> CrisisLevel:
    """The plan's definition of the level with identifier `level`; `incident.unknown_level` if none."""
    levels = plan.collections["crisis_levels"]
    if level not in levels:
        raise IncidentError("incident.unknown_level", level=level, known=level_choices(plan))
    definition: CrisisLevel = levels[level]
    return definition


def parse_level(text: str, plan: Plan) -> str:
    """The identifier of the plan's level that `text` names, in any of the ways people write it.

    Raises:
        IncidentError: `incident.unknown_level` when no level answers to `text`,
            `incident.ambiguous_level` when several do; both list the plan's levels.
    """
    folded = _fold(text)
    typed = {folded, _bare(folded)} - {""}
    found = [
        level.id
        for position, level in enumerate(plan.crisis_levels, start=1)
        if typed & spellings(level, position)
    ]
    if not found:
        raise IncidentError("incident.unknown_level", level=text, known=level_choices(plan))
    if len(found) > 1:
        raise IncidentError("incident.ambiguous_level", level=text, matches=found, known=level_choices(plan))
    return found[0]


def logged_level(plan: Plan, text: str) -> str | None:
    """The identifier of the plan's level that a log's record names, or None when the plan has none.

    A log holds identifiers, and only the identifier counts, never a name or a place in the list, which
    a later version of the plan may change. A Roman numeral written the other way is the same level, so
    logs written when the plan wrote III stay readable once it writes Ⅲ.
    """
    ids = level_ids(plan)
    if text in ids:
        return text
    same = [level for level in ids if _fold(level) == _fold(text)]
    return same[0] if len(same) == 1 else None
