"""What the crisis-communication page and the runbooks need: who speaks and approves, to whom, how often."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bcmlib.analysis.communication import FIELDS, STAGES, audience_speaker, split_fields
from bcmlib.handbook.context.crisis import Holding
from bcmlib.handbook.text import code, inline
from bcmlib.models import CrisisLevel, Plan, Role
from bcmlib.models.communication import Audience, MessageStage, MessageTemplate, UpdateCadence
from bcmlib.response.calls import holders_now

__all__ = [
    "AudienceRow",
    "CadenceRow",
    "Speaking",
    "StageTemplates",
    "TemplateView",
    "communication_page",
    "speaking",
]


@dataclass(frozen=True)
class AudienceRow:
    """An audience with the role that speaks to it and who holds that role now."""

    audience: Audience
    speaker: Holding | None


@dataclass(frozen=True)
class CadenceRow:
    """A crisis level and its update cadence, None when the plan sets none."""

    level: CrisisLevel
    cadence: UpdateCadence | None


@dataclass(frozen=True)
class TemplateView:
    """A template as the page shows it: its audiences, and its subject and lines with the fields marked."""

    template: MessageTemplate
    audiences: list[Audience]
    subject: Markup | None
    lines: list[Markup]


@dataclass(frozen=True)
class StageTemplates:
    """The templates of one stage."""

    stage: MessageStage
    templates: list[TemplateView]


@dataclass(frozen=True)
class Speaking:
    """What a role says in a crisis: whether it is the spokesperson or the approver, and whom it tells."""

    spokesperson: bool
    approver: bool
    audiences: list[Audience]

    def __bool__(self) -> bool:
        return self.spokesperson or self.approver or bool(self.audiences)


def _holding(plan: Plan, role_id: str | None) -> Holding | None:
    if role_id is None:
        return None
    role = plan.role(role_id)
    return Holding(role, holders_now(plan, role))


def _marked(text: str) -> Markup:
    """Plan text with each field shown as a code span, so a reader sees what the tool fills in."""
    parts = split_fields(text)
    return Markup("").join(
        code(f"{{{part}}}") if index % 2 else inline(part) for index, part in enumerate(parts)
    )


def _view(plan: Plan, template: MessageTemplate) -> TemplateView:
    known = plan.collections["audiences"]
    lines = [_marked(line) for line in template.body.splitlines() if line.strip()]
    subject = _marked(template.subject) if template.subject is not None else None
    audiences = [known[item] for item in template.audiences if item in known]
    return TemplateView(template, audiences, subject, lines)


def communication_page(plan: Plan) -> dict[str, Any]:
    """The spokesperson and approver, the audiences, the cadence per level, and the templates per stage."""
    communication = plan.communication
    if communication is None:
        return {"communication": None, "fields": FIELDS}
    return {
        "communication": communication,
        "spokesperson": _holding(plan, communication.spokesperson),
        "approver": _holding(plan, communication.approver),
        "audiences": [
            AudienceRow(audience, _holding(plan, audience_speaker(communication, audience)))
            for audience in communication.audiences
        ],
        "cadence": [
            CadenceRow(level, next((item for item in communication.cadence if item.level == level.id), None))
            for level in plan.crisis_levels
        ],
        "stages": [
            StageTemplates(
                stage, [_view(plan, item) for item in communication.templates if item.stage == stage]
            )
            for stage in STAGES
        ],
        "fields": FIELDS,
    }


def speaking(plan: Plan, role: Role) -> Speaking:
    """What `role` says in a crisis, for its runbook."""
    communication = plan.communication
    if communication is None:
        return Speaking(spokesperson=False, approver=False, audiences=[])
    told = [item for item in communication.audiences if audience_speaker(communication, item) == role.id]
    return Speaking(communication.spokesperson == role.id, communication.approver == role.id, told)
