"""What the crisis pages need: the home page, the scenario checklists, the contacts and the wallet card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bcmlib.handbook.context.shared import recovery_steps
from bcmlib.models import CrisisLevel, Person, Plan, Role
from bcmlib.response.calls import Call, calls_for, holders_now
from bcmlib.response.checklists import banded, every_checklist, scenarios, thin

__all__ = ["Holding", "LevelRow", "contacts", "home", "level_rows", "scenario_pages", "wallet_card"]


@dataclass(frozen=True)
class Holding:
    """A role and the people who hold it now, primary first."""

    role: Role
    people: list[Person]


@dataclass(frozen=True)
class LevelRow:
    """A crisis level with who confirms, commands and receives its report now."""

    level: CrisisLevel
    confirmer: Holding
    commander: Holding
    recipient: Holding | None


def _holding(plan: Plan, role: str) -> Holding:
    found = plan.role(role)
    return Holding(found, holders_now(plan, found))


def level_rows(plan: Plan) -> list[LevelRow]:
    """Every crisis level, as the plan lists it, with the people behind each of its roles now."""
    return [
        LevelRow(
            level,
            _holding(plan, level.confirmed_by),
            _holding(plan, level.commander),
            _holding(plan, level.report_to) if level.report_to else None,
        )
        for level in plan.crisis_levels
    ]


def _first_calls(plan: Plan) -> list[Call]:
    """Whom the person who finds an event calls, in order."""
    links = plan.call_tree.links if plan.call_tree else []
    return [call for link in links if link.caller == "anyone" for call in calls_for(plan, link)]


def home(plan: Plan) -> dict[str, Any]:
    """Life safety, the levels, who commands now, where to report, and a link to each scenario."""
    return {
        "life": plan.life_safety,
        "levels": level_rows(plan),
        "first_calls": _first_calls(plan),
        "no_answer_after": plan.call_tree.no_answer_after if plan.call_tree else None,
        "scenarios": scenarios(plan),
        "revision": plan.document.revisions[-1] if plan.document.revisions else None,
    }


def scenario_pages(plan: Plan) -> dict[str, Any]:
    """Each scenario's checklist on the time axis, and whether the plan leaves it thin."""
    return {
        "life": plan.life_safety,
        "first_calls": _first_calls(plan),
        "no_answer_after": plan.call_tree.no_answer_after if plan.call_tree else None,
        "recovery": recovery_steps(plan),
        "checklists": [(scenario, banded(steps), thin(steps)) for scenario, steps in every_checklist(plan)],
    }


def contacts(plan: Plan) -> dict[str, Any]:
    """The call tree with each role's holders, and everyone with their roles."""
    links = plan.call_tree.links if plan.call_tree else []
    held: dict[str, list[Role]] = {person.id: [] for person in plan.people}
    for role in plan.roles:
        for person in holders_now(plan, role):
            held[person.id].append(role)
    return {
        "tree": [(link, plan.collections["roles"].get(link.caller), calls_for(plan, link)) for link in links],
        "no_answer_after": plan.call_tree.no_answer_after if plan.call_tree else None,
        "held": held,
    }


def wallet_card(plan: Plan) -> dict[str, Any]:
    """Emergency services, whom to call in order, and every level's report recipient and deadline."""
    first_calls = _first_calls(plan)
    # On a card the size of a palm each role is listed once: the first calls, then the rest of the BCM team.
    called = {call.role.id for call in first_calls}
    return {
        "life": plan.life_safety,
        "first_calls": first_calls,
        "no_answer_after": plan.call_tree.no_answer_after if plan.call_tree else None,
        "chains": [
            (role, holders_now(plan, role))
            for role in plan.roles
            if role.group == "bcm-organisation" and role.id not in called
        ],
        "levels": level_rows(plan),
    }
