"""Crisis communication read from the plan: message fields, the template for a stage, who speaks, the cadence.

A message template names an incident's facts as fields in braces (`{company}`, `{next_update}`). They are
filled by a plain substitution of known names, never by `str.format`, which would let plan text such as
`{x.__class__}` reach into the library's objects. An unknown name is left as it stands when a message is
filled, so a crisis is never held up by a typo; the validator (COM001) reports it as an error beforehand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from bcmlib.models import Plan
from bcmlib.models.communication import (
    Audience,
    Communication,
    MessageStage,
    MessageTemplate,
    UpdateCadence,
)

__all__ = [
    "FIELDS",
    "STAGES",
    "audience_speaker",
    "cadence_for",
    "fill",
    "split_fields",
    "template_fields",
    "template_for",
    "unknown_fields",
]

FIELDS = (
    "company",
    "audience",
    "scenario",
    "level",
    "state",
    "opened",
    "at",
    "hit",
    "restored",
    "next_update",
    "spokesperson",
)
"""The fields a template may name: the company, the audience spoken to, the incident's scenario, crisis
level, state and opening time, the moment of the message, what is down and what runs again, when the next
update comes, and who speaks for the company now."""

STAGES: tuple[MessageStage, ...] = ("first-notice", "update", "resolution")
"""The stages in the order an incident goes through them."""

_FIELD = re.compile(r"\{([^{}\n]*)\}")
"""A name in braces; anything between them is a field, so `{x.__class__}` is found and refused."""


def template_fields(text: str) -> Iterator[str]:
    """The field names `text` uses, in order, each as often as it appears."""
    return (match[1] for match in _FIELD.finditer(text))


def split_fields(text: str) -> list[str]:
    """`text` cut at its fields: text, field name, text, ... (odd places hold the names, without braces)."""
    return _FIELD.split(text)


def unknown_fields(text: str) -> list[str]:
    """The names in braces in `text` that are not fields, once each, in order."""
    return list(dict.fromkeys(name for name in template_fields(text) if name not in FIELDS))


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with every known field replaced by its value; any other text in braces is left as it is."""
    return _FIELD.sub(lambda match: values.get(match[1], match[0]), text)


def template_for(communication: Communication, audience: str, stage: MessageStage) -> MessageTemplate | None:
    """The plan's template for `audience` at `stage`: the first one the plan lists, or None."""
    return next(
        (item for item in communication.templates if item.stage == stage and audience in item.audiences),
        None,
    )


def audience_speaker(communication: Communication, audience: Audience) -> str | None:
    """The role that speaks to `audience`: its owner, else the spokesperson; None when neither is set."""
    return audience.owner or communication.spokesperson


def cadence_for(plan: Plan, level: str) -> UpdateCadence | None:
    """The update cadence the plan sets for the crisis level `level`, or None."""
    communication = plan.communication
    if communication is None:
        return None
    return next((item for item in communication.cadence if item.level == level), None)
