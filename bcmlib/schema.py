"""The JSON Schema of a plan file, for editors that check YAML while it is typed."""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from bcmlib.models import Plan

__all__ = ["plan_file_schema"]


def plan_file_schema() -> dict[str, Any]:
    """The schema of one plan file: the plan's sections, none required, since a folder spreads them out."""
    schema = Plan.model_json_schema(schema_generator=_DescribedFields)
    schema.pop("required", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "bcm-handbook plan file",
    }


class _DescribedFields(GenerateJsonSchema):
    """Pydantic's schema, each field described by the docstring written under it in its model.

    The models do not read those docstrings themselves (pydantic's `use_attribute_docstrings`): that
    reads each model's source as the class is made, a fifth of the time every command took to load the
    models, for a description only this schema shows.
    """

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        properties = json_schema.get("properties", {})
        for name, docstring in _field_docstrings(schema["cls"]).items():
            if name in properties:
                properties[name]["description"] = docstring
        return json_schema


def _field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Each field's docstring, from the class that declares the field last, as pydantic would take it."""
    declared: dict[str, str | None] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, BaseModel) and cls is not BaseModel:
            declared.update(_declared_in(cls.__module__).get(cls.__qualname__, {}))
    return {name: docstring for name, docstring in declared.items() if docstring is not None}


@functools.cache
def _declared_in(module: str) -> dict[str, dict[str, str | None]]:
    """The fields each class of `module` annotates, by class, with the docstring under each (or None)."""
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    return {node.name: _fields(node.body) for node in tree.body if isinstance(node, ast.ClassDef)}


def _fields(body: list[ast.stmt]) -> dict[str, str | None]:
    fields: dict[str, str | None] = {}
    for statement, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            docstring = (
                after.value.value
                if isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
                else None
            )
            fields[statement.target.id] = None if docstring is None else inspect.cleandoc(docstring)
    return fields
