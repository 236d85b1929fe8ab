"""The plan file schema describes each field by the docstring under it, as pydantic would, read only then."""

from __future__ import annotations

from bcmlib.models import Plan
from bcmlib.models.base import PlanModel
from bcmlib.schema import _DescribedFields, plan_file_schema


class _Base(PlanModel):
    kept: int
    """Said once, in the base."""
    replaced: int
    """Said in the base."""
    silenced: int
    """Said in the base, and declared again below without a word."""


class _Derived(_Base):
    replaced: int
    """Said again.

        Indented as a docstring is.
    """
    silenced: int
    plain: str


def test_a_field_is_described_by_the_class_that_declares_it_last() -> None:
    properties = _Derived.model_json_schema(schema_generator=_DescribedFields)["properties"]
    assert properties["kept"]["description"] == "Said once, in the base."
    assert properties["replaced"]["description"] == "Said again.\n\nIndented as a docstring is."
    assert "description" not in properties["silenced"]
    assert "description" not in properties["plain"]


def test_the_models_do_not_read_their_docstrings_when_made() -> None:
    # Reading them took a fifth of loading the models, in every command; only the schema shows them.
    assert Plan.model_fields["people"].description is None
    assert plan_file_schema()["properties"]["people"]["description"]
