"""The base every plan model shares, identifiers, and typed references between plan items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from bcmlib.untrusted import hidden

__all__ = [
    "ID_PATTERN",
    "LABELS",
    "LEVEL_ID_PATTERN",
    "RESERVED",
    "AudienceId",
    "CrisisLevelId",
    "DepartmentId",
    "DocumentId",
    "ExternalPartyId",
    "FormId",
    "Id",
    "ImpactCategoryId",
    "ImpactRatingId",
    "LevelId",
    "LikelihoodId",
    "PersonId",
    "PlanModel",
    "PriorityClassId",
    "ProcessId",
    "RefTo",
    "RiskCategoryId",
    "RiskImpactId",
    "RiskScenarioId",
    "RoleId",
    "SiteId",
    "SupplierId",
    "SupplyId",
    "SystemId",
    "check_text",
]


LABELS = frozenset(
    {
        "name", "title", "number", "version", "value", "term", "english", "organisation", "aliases",
        "handbook_address", "assembly_point", "ref", "source", "synced_with", "clause", "rule", "item",
        "relation", "location", "primary", "short_name", "label",
    }
)  # fmt: skip
"""Fields that label something: one line and never blank, since they become page titles, menu entries,
calendar lines, file headers and terminal lines, where a newline would forge a line of its own."""


def check_text(text: str, *, label: bool) -> None:
    """Refuse text that could disguise itself on a page, a terminal or in a file (PydanticCustomError).

    Controls, bidirectional overrides and line separators (`bcmlib.untrusted.hidden`) have no place
    in a plan; prose keeps its newlines and tabs, a label is one line and never blank.
    """
    if not text.isprintable():  # the fast test, in C, that almost every text passes
        for char in text:
            if char in "\n\t" and not label:
                continue
            if char in "\n\t":
                raise PydanticCustomError("multi_line", "a label is one line")
            if hidden(char):
                raise PydanticCustomError(
                    "hidden_character", "holds the invisible character {code}", {"code": f"U+{ord(char):04X}"}
                )
    if label and not text.strip():
        raise PydanticCustomError("blank", "is blank")


class PlanModel(BaseModel):
    """Base of every plan model: unknown keys and disguised text are errors.

    A misspelt key never passes silently, and text holds nothing that could pass for something else
    (see `check_text`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: object, info: ValidationInfo) -> object:
        label = info.field_name in LABELS
        if isinstance(value, str):
            check_text(value, label=label)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    check_text(item, label=label)
        return value


RESERVED = frozenset(
    {
        # Pages and folders of the built site an item's own page would replace.
        "index", "404", "search", "assets", "runbooks", "sitemap", "latest",
        # Names Windows and SMB shares refuse as a file name, whatever the extension.
        "con", "prn", "aux", "nul",
        *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)),
    }
)  # fmt: skip
"""Identifiers refused because they name files: a person `index` would replace the runbooks' index page."""


def _not_reserved(identifier: str) -> str:
    if identifier in RESERVED:
        raise PydanticCustomError("reserved", "'{value}' is reserved", {"value": identifier})
    return identifier


ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64), AfterValidator(_not_reserved)]
"""An identifier: lower-case Latin letters, digits and hyphens, such as `person-1` or `drill-record`; not
a name the site or a file share keeps for itself (`index`, `404`, `con`)."""

LEVEL_ID_PATTERN = r"^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$"

LevelId = Annotated[str, StringConstraints(pattern=LEVEL_ID_PATTERN, max_length=16)]
"""A crisis level's own identifier, as the plan's procedures write it: one short token of letters of any
script, digits and inner hyphens, such as `Ⅰ`, `III`, `红`, `1` or `level-1`; no space, slash or mark,
since people type it (`--level 红`) and it keys findings and waivers (`crisis_levels/红`)."""


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
CrisisLevelId = Annotated[str, RefTo("crisis_levels")]
DepartmentId = Annotated[str, RefTo("departments")]
ExternalPartyId = Annotated[str, RefTo("external_parties")]
ImpactCategoryId = Annotated[str, RefTo("impact_categories")]
ImpactRatingId = Annotated[str, RefTo("impact_ratings")]
LikelihoodId = Annotated[str, RefTo("likelihood_levels")]
RiskImpactId = Annotated[str, RefTo("risk_impact_levels")]
SupplyId = Annotated[str, RefTo("supplies")]
AudienceId = Annotated[str, RefTo("audiences")]
