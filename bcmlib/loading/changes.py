"""What changed between two versions of a plan, computed from the data.

Every section is compared the same way: items that carry an `id` are matched by it (added, removed, or
changed field by field), other rows by their whole content (added or removed), single values by value.
Two views are drawn from that for the readers who ask first: roles whose people changed (following
`held_by`, so a role held by another changes with it) and processes whose RTO, RPO or MAO changed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from bcmlib.locations import FieldPath, format_field_path
from bcmlib.models import Plan

__all__ = ["Change", "HolderChange", "PlanDiff", "TargetChange", "diff_plans"]

TARGETS = ("rto", "rpo", "mao")
"""The recovery targets of a process, in the order the handbook shows them."""


@dataclass(frozen=True)
class Change:
    """One difference: an item or row added or removed, or a value changed, at a place in the plan."""

    path: FieldPath
    """Where, with items named by their identifier: `("processes", "order-intake", "rto")`."""
    kind: Literal["added", "removed", "changed"]
    old: str | None
    """The value before, as text; None for an addition."""
    new: str | None
    """The value after, as text; None for a removal."""

    @property
    def where(self) -> str:
        """The place as a reader finds it in YAML: `processes.order-intake.rto`."""
        return format_field_path(self.path)


@dataclass(frozen=True)
class HolderChange:
    """A role whose people changed: its holders, primary first, before and after, by name."""

    role: str
    name: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class TargetChange:
    """A process whose recovery target changed."""

    process: str
    name: str
    target: str
    """`rto`, `rpo` or `mao`."""
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PlanDiff:
    """The differences from one plan version to the next."""

    old_version: str
    new_version: str
    holders: list[HolderChange]
    targets: list[TargetChange]
    changes: list[Change]
    """Every difference, the ones above included, in plan order."""

    def __bool__(self) -> bool:
        return bool(self.changes or self.holders)

    def of_kind(self, kind: Literal["added", "removed", "changed"]) -> list[Change]:
        """The changes of one kind."""
        return [change for change in self.changes if change.kind == kind]


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """Compare two versions of a plan."""
    changes = list(_compare((), _data(old), _data(new)))
    processes = new.collections["processes"]
    targets = [
        TargetChange(process, processes[process].name, target, change.old, change.new)
        for change in changes
        if len(change.path) == 3 and change.path[0] == "processes" and change.path[2] in TARGETS
        for process, target in [(str(change.path[1]), str(change.path[2]))]
    ]
    return PlanDiff(
        old.document.version, new.document.version, list(_holder_changes(old, new)), targets, changes
    )


def _data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = plan.model_dump(mode="json", exclude_defaults=True)
    return data


def _holder_changes(old: Plan, new: Plan) -> Iterator[HolderChange]:
    for role in new.roles:
        before = old.collections["roles"].get(role.id)
        if before is None:
            continue
        was = tuple(old.person(person).name for person in old.holders(before))
        now = tuple(new.person(person).name for person in new.holders(role))
        if was != now:
            yield HolderChange(role.id, role.name, was, now)


def _compare(path: FieldPath, old: Any, new: Any) -> Iterator[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(key for key in new if key not in old)]:
            if key not in new:
                yield Change((*path, key), "removed", _text(old[key]), None)
            elif key not in old:
                yield Change((*path, key), "added", None, _text(new[key]))
            else:
                yield from _compare((*path, key), old[key], new[key])
    elif isinstance(old, list) and isinstance(new, list):
        if _keyed(old) and _keyed(new):
            yield from _compare_items(path, old, new)
        else:
            yield from _compare_rows(path, old, new)
    elif old != new:
        yield Change(path, "changed", _text(old), _text(new))


def _keyed(rows: list[Any]) -> bool:
    return bool(rows) and all(isinstance(row, dict) and isinstance(row.get("id"), str) for row in rows)


def _compare_items(path: FieldPath, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[Change]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    for item_id, item in before.items():
        if item_id not in after:
            yield Change((*path, item_id), "removed", _text(item), None)
        else:
            yield from _compare((*path, item_id), item, after[item_id])
    for item_id, item in after.items():
        if item_id not in before:
            yield Change((*path, item_id), "added", None, _text(item))


def _compare_rows(path: FieldPath, old: list[Any], new: list[Any]) -> Iterator[Change]:
    """Rows without identifiers are matched by content; a changed row is one removed and one added."""
    before = Counter(_text(row) for row in old)
    after = Counter(_text(row) for row in new)
    for row in (before - after).elements():
        yield Change(path, "removed", row, None)
    for row in (after - before).elements():
        yield Change(path, "added", None, row)


def _text(value: Any) -> str:
    """A value as one line: text as it is, a row as its fields, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(field)}" for key, field in value.items())
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
