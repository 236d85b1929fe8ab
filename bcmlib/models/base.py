"""The base every plan model shares, identifiers, and typed references between plan items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = [
    "DocumentId",
    "FormId",
    "Id",
    "PersonId",
    "PlanModel",
    "PriorityClassId",
    "ProcessId",
    "RefTo",
    "RiskCategoryId",
    "RiskScenarioId",
    "RoleId",
    "SiteId",
    "SupplierId",
    "SystemId",
]


class PlanModel(BaseModel):
    """Base of every plan model: unknown keys are errors, so a misspelt key never passes silently."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
"""An identifier: lower-case Latin letters, digits and hyphens, such as `wang-jing` or `qef-19-03`."""


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a reference to an item of another plan collection, checked by the validator."""

    collection: str


PersonId = Annotated[str, RefTo("people")]
RoleId = Annotated[str, RefTo("roles")]
ProcessId = Annotated[str, RefTo("processes")]
SystemId = Annotated[str, RefTo("systems")]
SiteId = Annotated[str, RefTo("sites")]
SupplierId = Annotated[str, RefTo("suppliers")]
FormId = Annotated[str, RefTo("forms")]
DocumentId = Annotated[str, RefTo("documents")]
RiskCategoryId = Annotated[str, RefTo("risk_categories")]
RiskScenarioId = Annotated[str, RefTo("risk_scenarios")]
PriorityClassId = Annotated[str, RefTo("priority_classes")]
