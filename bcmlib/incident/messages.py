"""A message to an audience, ready to send: the plan's template for its stage with the incident's facts in.

The facts are the fields of `bcmlib.analysis.communication.FIELDS`, filled by plain substitution. When the
plan has no template for the audience and stage, the library's holding statement in the reader's language
stands in: facts only (what happened, since when, at which level, what is affected, when the next update
comes), marked as the library's draft for the approver to approve. A message is never refused in a crisis.

The message keeps the template's own lines; a value that holds a line break stays inside its line, for
the terminal to show escaped (`bcmlib.untrusted.one_line`), so plan or log text cannot forge a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from bcmlib.analysis.communication import audience_speaker, fill, template_for
from bcmlib.i18n import Lang, translate
from bcmlib.incident.cadence import AudienceClock, audience_clock
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.names import resolve_named
from bcmlib.incident.status_text import offset, when
from bcmlib.incident.succession import Holding, holding
from bcmlib.models.communication import Audience, MessageStage

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Incident

__all__ = ["Message", "compose", "message_facts", "resolve_audience"]


@dataclass(frozen=True)
class Message:
    """A message filled in for one audience at one stage, with who approves and who sends it."""

    audience: Audience
    stage: MessageStage
    subject: str | None
    """The subject line, filled in; None when the template has none."""
    body: tuple[str, ...]
    """The body, line by line as the template lays it out, filled in."""
    drafted: bool
    """True when the library's holding statement stands in for a template the plan lacks."""
    approver: Holding | None
    """Who approves it now; None when the plan names no approver."""
    sender: Holding | None
    """Who sends it now: the audience's owner, else the spokesperson; None when the plan names neither."""
    clock: AudienceClock
    """When the message was due, and the cadence it follows."""


def resolve_audience(incident: Incident, text: str) -> Audience:
    """The plan's audience `text` names by identifier or name; else `IncidentError` listing the audiences.

    A plan without crisis communication has none, which the error says in so many words.
    """
    communication = incident.plan.communication
    if communication is None:
        raise IncidentError("messages.no_communication")
    found = resolve_named(communication.audiences, text, "messages.unknown_audience")
    return next(audience for audience in communication.audiences if audience.id == found)


def message_facts(incident: Incident, audience: Audience, at: datetime, lang: Lang) -> dict[str, str]:
    """The value of every field for a message to `audience` at `at`, times in the incident's zone."""
    plan = incident.plan
    opening = incident.records[0]
    zone = opening.at.tzinfo
    scenarios = {**plan.collections["risk_scenarios"], **plan.collections["drill_scenarios"]}
    scenario = scenarios.get(opening.scenario or "")
    cadence = audience_clock(incident, audience).cadence
    if incident.over:
        next_update = translate("messages.no_more_updates", lang)
    elif cadence is None:
        next_update = translate("messages.next_update_open", lang)
    else:
        next_update = _time(at + cadence.every, zone)
    level = incident.crisis_level
    spokesperson = _holding(incident, plan.communication.spokesperson if plan.communication else None, at)
    nothing = translate("messages.nothing", lang)
    return {
        "company": plan.company.name if plan.company else translate("messages.the_company", lang),
        "audience": audience.name,
        "scenario": scenario.name if scenario else translate("messages.an_incident", lang),
        "level": translate("messages.level", lang, level=level.id, name=level.name),
        "state": next(state.name for state in incident.workflow.states if state.id == incident.state),
        "opened": _time(opening.at, zone),
        "at": _time(at, zone),
        "hit": translate("list_separator", lang).join(
            incident.item_name(item) for item in incident.affected()
        )
        or nothing,
        "restored": translate("list_separator", lang).join(
            incident.item_name(item) for item in incident.restored
        )
        or nothing,
        "next_update": next_update,
        "spokesperson": _held_by(incident, spokesperson) if spokesperson else nothing,
    }


def compose(
    incident: Incident, audience: Audience, at: datetime, lang: Lang, stage: MessageStage | None = None
) -> Message:
    """The message to `audience` at `at`, at `stage` or by default the stage the log says comes next."""
    plan = incident.plan
    communication = plan.communication
    if communication is None:
        raise IncidentError("messages.no_communication")
    clock = audience_clock(incident, audience)
    stage = stage or clock.stage
    facts = message_facts(incident, audience, at, lang)
    template = template_for(communication, audience.id, stage)
    if template is not None:
        subject, body, drafted = template.subject, template.body, False
    else:
        # The catalogue writes the fields with doubled braces, which `translate` turns into fields.
        subject = translate(f"messages.holding.{stage}.subject", lang)
        body = translate(f"messages.holding.{stage}.body", lang)
        drafted = True
    return Message(
        audience=audience,
        stage=stage,
        subject=fill(subject, facts) if subject is not None else None,
        body=tuple(fill(line, facts) for line in body.strip("\n").split("\n")),
        drafted=drafted,
        approver=_holding(incident, communication.approver, at),
        sender=_holding(incident, audience_speaker(communication, audience), at),
        clock=clock,
    )


def _holding(incident: Incident, role_id: str | None, at: datetime) -> Holding | None:
    if role_id is None:
        return None
    return holding(incident.plan, incident.plan.role(role_id), incident.unavailable(at))


def _held_by(incident: Incident, held: Holding) -> str:
    """The person who holds a role now, or the role's name when nobody does."""
    return incident.person_name(held.person) if held.person else held.role.name


def _time(at: datetime, zone: tzinfo | None) -> str:
    """A time to the minute in the incident's zone, with the zone, for readers outside the company."""
    local = at.astimezone(zone)
    return f"{when(local)} {offset(local)}"
