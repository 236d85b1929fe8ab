"""Crisis communication: one voice that speaks, one role that approves, words for each audience, a cadence.

Seed 003 asks the company to disclose "第一时间口径一致真实披露信息": early, with one voice, truthfully.
It names who releases information and who speaks to customers and staff, but not who approves a
statement, what is said, or how often; those gaps are warnings. The rules apply once the plan has a
`communication` section, so a plan that has not taken crisis communication up yet is not flooded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.analysis.communication import FIELDS, template_for, unknown_fields
from bcmlib.i18n import Msg
from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule

__all__: list[str] = []

_SECTION = ("communication",)


@rule("COM001", Severity.ERROR)
def unknown_message_field(plan: Plan, today: date) -> Iterator[Hit]:
    """A message template names a field the library cannot fill."""
    communication = plan.communication
    for index, template in enumerate(communication.templates if communication else []):
        for part in ("subject", "body"):
            for name in unknown_fields(getattr(template, part) or ""):
                params = {
                    "field": name,
                    "stage": Msg(f"messages.stage.{template.stage}"),
                    "known": [f"{{{f}}}" for f in FIELDS],
                }
                yield Hit(f"communication/templates/{index}", (*_SECTION, "templates", index, part), params)


@rule("COM002", Severity.WARNING)
def no_spokesperson(plan: Plan, today: date) -> Iterator[Hit]:
    """Crisis communication names no spokesperson to speak for the company."""
    if plan.communication is not None and plan.communication.spokesperson is None:
        yield Hit("communication", _SECTION)


@rule("COM003", Severity.WARNING)
def no_approver(plan: Plan, today: date) -> Iterator[Hit]:
    """Crisis communication names no role to approve a statement before it goes out."""
    # Seed 003 is silent on approval; BCM practice has one role sign off each statement so that every
    # audience hears the same facts (口径一致).
    if plan.communication is not None and plan.communication.approver is None:
        yield Hit("communication", _SECTION)


@rule("COM004", Severity.WARNING)
def no_first_notice(plan: Plan, today: date) -> Iterator[Hit]:
    """An audience has no first-notice template: the library's holding statement stands in for it."""
    communication = plan.communication
    for index, audience in enumerate(communication.audiences if communication else []):
        if communication is not None and template_for(communication, audience.id, "first-notice") is None:
            path = (*_SECTION, "audiences", index)
            yield Hit(f"communication/audiences/{audience.id}", path, {"audience": audience.name})


@rule("COM005", Severity.WARNING)
def no_cadence(plan: Plan, today: date) -> Iterator[Hit]:
    """A crisis level has no update cadence: nothing says when the first notice and updates are due."""
    # The seeds give no times; BCM practice (and PagerDuty's guide) sets a first-notice deadline and an
    # update interval per severity, so that silence is never mistaken for nothing to say.
    communication = plan.communication
    if communication is None:
        return
    covered = {item.level for item in communication.cadence}
    # Pointed at where the cadence is written, since that is where the gap is filled.
    path = (*_SECTION, "cadence") if communication.cadence else _SECTION
    for level in plan.crisis_levels:
        if level.id not in covered:
            yield Hit(f"crisis_levels/{level.id}", path, {"level": level.name})
