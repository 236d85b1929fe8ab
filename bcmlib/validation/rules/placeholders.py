"""Placeholders a coordinator has still to fill in, as `bcm init` writes them into a new plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel

from bcmlib.locations import FieldPath
from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule

__all__ = ["PLACEHOLDER_MARKERS"]

PLACEHOLDER_MARKERS = ("待填写", "TODO")
"""What marks a value as not yet filled in, in every language a new plan is written in."""


@rule("PLH001", Severity.WARNING)
def placeholder(plan: Plan, today: date) -> Iterator[Hit]:
    """A value is still a placeholder to fill in."""
    # A filled-in plan has none: one pass over its JSON (serialised in Rust) says so at once, where
    # walking every field in Python took a second for 10,000 roles.
    dumped = plan.model_dump_json()
    if not any(marker in dumped for marker in PLACEHOLDER_MARKERS):
        return
    for value, path, item in _texts(plan, (), "plan"):
        if any(marker in value for marker in PLACEHOLDER_MARKERS):
            yield Hit(item, path, {"value": value})


def _texts(node: object, path: FieldPath, item: str) -> Iterator[tuple[str, FieldPath, str]]:
    """Every text in the plan, with its field path and the item it belongs to (the nearest id)."""
    if isinstance(node, str):
        yield node, path, item
    elif isinstance(node, BaseModel):
        found = getattr(node, "id", None)
        owner = found if isinstance(found, str) else item
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), (*path, name), owner if path else name)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, (*path, index), item)
