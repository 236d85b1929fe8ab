"""Document control: the procedure's identity, history, approvals, related documents and glossary."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from bcmlib.models.base import RESERVED, DocumentId, Id, PersonId, PlanModel, RoleId
from bcmlib.models.values import Duration, Period

__all__ = [
    "VERSION_PATTERN",
    "Approval",
    "DocumentControl",
    "LinkedPlan",
    "PlanReview",
    "Regulation",
    "RelatedDocument",
    "Revision",
    "Term",
    "VersionName",
    "publishable",
]


def _publishable(version: str) -> str:
    """Refuse a version name that would clash with a file the published handbook keeps beside it."""
    folded = version.casefold()
    if folded in RESERVED or _FILE_SUFFIX.search(folded):
        raise PydanticCustomError("reserved", "'{value}' is reserved", {"value": version})
    return version


_FILE_SUFFIX = re.compile(r"\.[a-z]+$")
"""`index.html`, `versions.js`: a version is a folder of the published site, beside such files."""

VERSION_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9])?$"

VersionName = Annotated[str, StringConstraints(pattern=VERSION_PATTERN), AfterValidator(_publishable)]
"""A version's name: it names a folder of the published site on a file share, so Latin letters, digits,
`.`, `_` and `-` only (no `/ \\ : * ? " < > |`, nothing a browser or SMB reads otherwise), at most 32
characters, not a reserved name (`latest`, `index`) nor a file name (`index.html`)."""


_VERSION_NAME: TypeAdapter[str] = TypeAdapter(VersionName)


def publishable(version: str) -> bool:
    """Whether `version` may name a folder of the published site: what the plan's model accepts."""
    try:
        _VERSION_NAME.validate_python(version)
    except ValidationError:
        return False
    return True


class Revision(PlanModel):
    """One row of the revision history (文件变更履历)."""

    version: VersionName
    """The version label as the document writes it, such as `v2`; versions that differ only in case
    are the same folder on a Windows share, and the validator refuses them (DOC001)."""
    date: date
    """The day this version was issued."""
    summary: str
    """What this version changed."""


class PlanReview(PlanModel):
    """A review of the whole plan for feasibility and effectiveness (评审, ISO 22301 §8.6)."""

    date: date
    """The day of the review."""
    by: list[PersonId] = Field(min_length=1)
    """Who reviewed it."""
    result: str | None = None
    """What the review concluded."""


class Approval(PlanModel):
    """One row of the approval table: who signs together, and when they signed."""

    label: str | None = None
    """What signing this row means, as the document labels it: prepared, reviewed or approved by
    (编制, 审核, 核准)."""
    approvers: list[PersonId] = Field(min_length=1)
    """The people who sign this row together."""
    signed_on: date | None = None
    """The day they signed; empty while the signature line is still blank."""


class Regulation(PlanModel):
    """A law, regulation or standard the procedure rests on (法规依据)."""

    title: str
    """Its name as the document writes it, such as `ISO 22301:2019`."""
    clause: str | None = None
    """The clause cited, such as `§6.3`."""
    subject: str | None = None
    """What it covers, in a few words."""


class DocumentControl(PlanModel):
    """The identity of the continuity procedure and the control of its versions."""

    number: str
    """The document number, such as `BCM-PR-01`."""
    title: str
    """The document's title."""
    purpose: str
    """Why the procedure exists (目的)."""
    background: str | None = None
    """The problem it answers, as the document explains it."""
    scope: str
    """What it covers (适用范围)."""
    scope_document: DocumentId | None = None
    """The related document that lists the processes in scope."""
    target_rto: Duration | None = None
    """The recovery time the company aims for across its critical processes."""
    handbook_address: str | None = None
    """Where staff open the handbook when the intranet is down, such as its folder on the NAS share;
    printed on the wallet card."""
    revisions: list[Revision] = Field(min_length=1)
    """The revision history, oldest first; the last row is the current version."""
    approvals: list[Approval] = []
    """Who approves the document (审批)."""
    regulations: list[Regulation] = []
    """The regulatory basis (法规依据)."""
    review_every: Period | None = None
    """How often the whole plan is reviewed; unset, reviews do not age."""
    review_owner: RoleId | None = None
    """The role that organises the review."""
    reviews: list[PlanReview] = []
    """The reviews held, oldest first."""

    @property
    def version(self) -> str:
        """The current version: the last row of the revision history."""
        return self.revisions[-1].version


class RelatedDocument(PlanModel):
    """A document the plan refers to: an SOP, a linked plan, a report or a record (关联)."""

    id: Id
    """How the plan refers to it."""
    title: str
    """Its title as the document writes it, such as `PR-07 §5 供应商管理`."""
    relation: str
    """What it has to do with this plan."""
    synced_with: str | None = None
    """The version of this plan the document was last brought in line with, such as `v2`."""


class LinkedPlan(PlanModel):
    """Another continuity plan that works together with this one, and how the two hand over."""

    document: DocumentId
    """The related document that is this plan."""
    scope: str
    """What that plan handles."""
    handles: str
    """What this plan handles alongside it."""
    joint_triggers: list[str] = []
    """Events that set off both plans, and what each does."""


class Term(PlanModel):
    """A glossary entry (术语和定义)."""

    term: str
    """The term as staff use it."""
    english: str | None = None
    """The English name, if the term has one."""
    definition: str
    """What it means."""
