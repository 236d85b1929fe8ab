"""The JSON Schema of a plan file, for editors that check YAML while it is typed."""

from __future__ import annotations

from typing import Any

from bcmlib.models import Plan

__all__ = ["plan_file_schema"]


def plan_file_schema() -> dict[str, Any]:
    """The schema of one plan file: the plan's sections, none required, since a folder spreads them out."""
    schema = Plan.model_json_schema()
    schema.pop("required", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "bcm-handbook plan file",
    }
