"""Who may act in an incident: the roles a trigger names, who holds them now, who stands in for them.

A trigger names duties of the current crisis level (confirmer, commander, report-to, decider) and roles.
Each role passes down its chain of primary and backups (`holding`). A role held in an incident by the
owners of the processes hit, or by the heads of their departments (the head of the affected
department), is those owner or head roles. When nobody in any of those chains is left, the incident must
not be stuck: the seeds say nothing of this case, so BCM practice decides, and the plan's
decision-authority chains and then the BCM organisation, in the order the plan lists it, take command.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from bcmlib.i18n import Msg
from bcmlib.incident.succession import Holding, holding
from bcmlib.models import CrisisLevel, DecisionChain, Plan, Role, WorkflowTransition

__all__ = [
    "DUTY_FIELDS",
    "bcm_organisation",
    "decider_role",
    "describe_holding",
    "holders",
    "rank_message",
    "roles_for",
]

DUTY_FIELDS: dict[str, str] = {
    "confirmer": "confirmed_by",
    "commander": "commander",
    "report-to": "report_to",
    "decider": "decided_by",
}
"""Each duty a trigger can name, and the crisis-level field that says which role has it."""


def decider_role(level: CrisisLevel) -> str:
    """The role that decides at `level`: its `decided_by`, or where it names none, its commander."""
    return level.decided_by or level.commander


def _duty_role(level: CrisisLevel, duty: str) -> str | None:
    if duty == "decider":
        return decider_role(level)
    role: str | None = getattr(level, DUTY_FIELDS[duty])
    return role


def roles_for(
    plan: Plan,
    transition: WorkflowTransition,
    level: CrisisLevel | None,
    processes: Sequence[str],
    *,
    hit: Iterable[str] = (),
) -> list[Role]:
    """The roles whose holders may fire `transition` at `level` for `processes`, duties first.

    `hit` is everything the incident hit: a role held per incident is held by their owners, or by the
    heads of their departments (`Plan.held_in_incident`).
    """
    ids: list[str] = []
    for duty in transition.by:
        if duty == "process-owner":
            # Restoring several processes at once needs the one role that owns them all.
            owners = _owners(plan, processes)
            ids.extend(owners if len(owners) == 1 else [])
        elif duty in DUTY_FIELDS and level is not None:
            duty_role = _duty_role(level, duty)
            ids.extend([duty_role] if duty_role else [])
    ids.extend(transition.roles)
    hits = list(hit)
    roles = [
        held for role_id in dict.fromkeys(ids) for held in plan.held_in_incident(plan.role(role_id), hits)
    ]
    return list({role.id: role for role in roles}.values())


def _owners(plan: Plan, processes: Sequence[str]) -> list[str]:
    known = plan.collections["processes"]
    owners = (known[process].owner for process in processes if process in known)
    return list(dict.fromkeys(owner for owner in owners if owner is not None))


def holders(plan: Plan, roles: Sequence[Role], unavailable: Collection[str]) -> list[Holding]:
    """Who holds each of `roles` now; when nobody does, also who takes command in their place."""
    held = [holding(plan, role, unavailable) for role in roles]
    if held and all(item.person is None for item in held):
        stand_in = _stand_in(plan, roles[0], unavailable)
        if stand_in is not None:
            held.append(stand_in)
    return held


def _stand_in(plan: Plan, role: Role, unavailable: Collection[str]) -> Holding | None:
    """The first person left in the decision chains, then in the BCM organisation, in the plan's order."""
    for chain in _decision_chains(plan):
        for person in (chain.holder, *chain.successors):
            if person not in unavailable:
                return Holding(role, person, None, (), fallback="decision-chain")
    for member in bcm_organisation(plan):
        if member not in unavailable:
            return Holding(role, member, None, (), fallback="bcm-organisation")
    return None


def _decision_chains(plan: Plan) -> list[DecisionChain]:
    return [
        response
        for scenario in plan.risk_scenarios
        for response in scenario.responses
        if isinstance(response, DecisionChain)
    ]


def bcm_organisation(plan: Plan) -> list[str]:
    """Everyone in the chain of a role of the BCM organisation, in the order the plan lists them."""
    members = (
        person for role in plan.roles if role.group == "bcm-organisation" for person in plan.holders(role)
    )
    return list(dict.fromkeys(members))


def rank_message(rank: int | None, fallback: str | None = None) -> Msg:
    """A place in a role's chain, as words: primary, backup N, or standing in when every chain is out."""
    if fallback is not None:
        return Msg(f"incident.rank_{fallback.replace('-', '_')}")
    return Msg("incident.rank_primary") if rank == 0 else Msg("incident.rank_backup", {"rank": rank})


def describe_holding(plan: Plan, held: Holding) -> Msg:
    """A role and who holds it now, or that nobody does."""
    if held.person is None:
        return Msg("incident.holding_gap", {"role": held.role.name})
    return Msg(
        "incident.holding",
        {
            "role": held.role.name,
            "person": plan.person(held.person).name,
            "rank": rank_message(held.rank, held.fallback),
        },
    )
