"""Every reference resolves, and identifiers are unique within their collection."""

from __future__ import annotations

import types
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from bcmlib.locations import FieldPath
from bcmlib.models import Plan, RefTo
from bcmlib.validation.findings import Hit, Severity, rule


@rule("REF001", Severity.ERROR, blocking=True)
def dangling_reference(plan: Plan, today: date) -> Iterator[Hit]:
    """A reference names an item that does not exist."""
    collections = plan.collections
    known: dict[str, str] = {}  # a collection's first identifiers, sorted once, not once per dangling name
    for model, path in _walk(plan, ()):
        for name, collection, words in _reference_fields(type(model)):
            value = getattr(model, name)
            refs = value if isinstance(value, list) else [value]
            for index, ref in enumerate(refs):
                if ref is not None and ref not in words and ref not in collections[collection]:
                    where = (*path, name, index) if isinstance(value, list) else (*path, name)
                    if collection not in known:
                        known[collection] = ", ".join(sorted(collections[collection])[:12])
                    params = {"ref": ref, "collection": collection, "known": known[collection]}
                    yield Hit(f"{collection}/{ref}", where, params)


@rule("REF002", Severity.ERROR, blocking=True)
def duplicate_identifier(plan: Plan, today: date) -> Iterator[Hit]:
    """Two items of one collection share an identifier."""
    for collection, items in plan.collection_lists().items():
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                yield Hit(
                    f"{collection}/{item.id}", _path_of(plan, item), {"id": item.id, "collection": collection}
                )
            seen.add(item.id)


def _path_of(plan: Plan, target: BaseModel) -> FieldPath:
    return next(path for model, path in _walk(plan, ()) if model is target)


def _walk(model: BaseModel, path: FieldPath) -> list[tuple[BaseModel, FieldPath]]:
    """Every model in the plan with its field path, depth first."""
    found: list[tuple[BaseModel, FieldPath]] = []
    _visit(model, path, found)
    return found


def _visit(model: BaseModel, path: FieldPath, found: list[tuple[BaseModel, FieldPath]]) -> None:
    found.append((model, path))
    # Only the fields whose type can hold a model: a 10,000-process plan has a million that cannot.
    for name in _model_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _visit(value, (*path, name), found)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                _visit(item, (*path, name, index), found)


@cache
def _model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model whose type holds another model, alone or in a list, in the model's order."""
    return tuple(name for name, info in model.model_fields.items() if _holds_model(info.annotation))


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))


@cache
def _reference_fields(model: type[BaseModel]) -> list[tuple[str, str, frozenset[str]]]:
    """The fields of a model that reference another collection, with that collection's name.

    Each comes with the words the field also accepts instead of a reference (`anyone` for a caller
    typed `RoleId | Literal["anyone"]`), which refer to nothing.
    """
    found = []
    for name, info in model.model_fields.items():
        marks = [m for m in info.metadata if isinstance(m, RefTo)] or _marks_in(info.annotation)
        if marks:
            found.append((name, marks[0].collection, frozenset(_literals_in(info.annotation))))
    return found


def _literals_in(annotation: Any) -> list[str]:
    if get_origin(annotation) is Literal:
        return [str(word) for word in get_args(annotation)]
    if get_origin(annotation) in (list, Union, types.UnionType):
        return [word for arg in get_args(annotation) for word in _literals_in(arg)]
    return []


def _marks_in(annotation: Any) -> list[RefTo]:
    if get_origin(annotation) is Annotated:
        return [m for m in annotation.__metadata__ if isinstance(m, RefTo)]
    if get_origin(annotation) in (list, Union, types.UnionType):
        return [mark for arg in get_args(annotation) for mark in _marks_in(arg)]
    return []
