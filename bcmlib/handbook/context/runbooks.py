"""What each role's and each person's runbook says: duties by level, first actions, processes, contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bcmlib.handbook.context.communication import speaking
from bcmlib.handbook.context.shared import StepRow, handbook_order, recovery_steps
from bcmlib.models import Person, Plan, Process, Role
from bcmlib.response.calls import holders_now
from bcmlib.response.checklists import every_checklist
from bcmlib.response.duties import actions, duties
from bcmlib.response.first_actions import Everyone, everyone, first_actions

__all__ = ["Post", "Runbooks", "person_runbook", "posts", "role_runbook", "runbooks"]


def role_runbook(plan: Plan, role: Role, shared: Runbooks) -> dict[str, Any]:
    """A role's runbook page: the role, its holders, and the parts of its runbook.

    `shared` is `runbooks(plan)`.
    """
    parts = _role_parts(plan, role, shared.processes)
    return {"role": role, "holders": parts["holders"], "runbook": parts, "steps": shared.steps}


def _role_parts(plan: Plan, role: Role, processes: list[Process]) -> dict[str, Any]:
    """What a role's runbook says: holders, duties by level, first actions, processes and flow steps.

    `processes` are the plan's, in recovery order: the role's own are listed in that order.
    """
    return {
        "role": role,
        "holders": holders_now(plan, role),
        "held_by": plan.role(role.held_by) if role.held_by else None,
        "carried": [other for other in plan.roles if other.held_by == role.id],
        # A role held per incident (by the owners, or department heads, of the processes hit): the
        # roles it can be, whichever processes an incident hits.
        "owners": (
            plan.held_in_incident(role, [process.id for process in processes])
            if role.held_in_incident_by
            else []
        ),
        "committees": [committee for committee in plan.committees if role.id in committee.roles],
        "external_reports": [report for report in plan.external_reports if report.by == role.id],
        "duties_by_level": duties(plan, role),
        "actions": actions(plan, role),
        "owned": [process for process in processes if process.owner == role.id],
        "flow_steps": [step for step in plan.incident_flow if step.by == role.id],
        "speaking": speaking(plan, role),
    }


@dataclass(frozen=True)
class Post:
    """A role a person holds, at which rank, and who is ahead of them or backs them up."""

    role: Role
    rank: int
    ahead: list[Person]
    """The people before this person in the role's chain."""
    behind: list[Person]
    """The people after this person, who take over when they are out."""


def posts(plan: Plan) -> dict[str, list[Post]]:
    """Every person's posts: each role they are in the chain of, at which rank."""
    found: dict[str, list[Post]] = {person.id: [] for person in plan.people}
    for role in plan.roles:
        people = holders_now(plan, role)
        for rank, holder in enumerate(people):
            found[holder.id].append(Post(role, rank, people[:rank], people[rank + 1 :]))
    return found


@dataclass(frozen=True)
class Runbooks:
    """What every runbook page shares, computed once for them all."""

    posts: dict[str, list[Post]]
    """Every person's posts, as `posts(plan)`."""
    processes: list[Process]
    """Every process, in the handbook's recovery order."""
    steps: dict[str, list[StepRow]]
    """Each process's recovery steps, as `recovery_steps(plan)`."""
    everyone: Everyone
    """Everyone's first actions, indexed once (see `bcmlib.response.first_actions.everyone`)."""


def runbooks(plan: Plan) -> Runbooks:
    """What the runbooks of every role and every person share."""
    order = handbook_order(plan)
    processes = [item.process for item in order]
    index = everyone(plan, order, every_checklist(plan))
    return Runbooks(posts(plan), processes, recovery_steps(plan), index)


def person_runbook(plan: Plan, person: Person, shared: Runbooks) -> dict[str, Any]:
    """A person's runbook on one or two pages: their own roles' demands merged, and whom they back up.

    The roles a person backs up are linked, not repeated: their runbooks are a page each. `shared` is
    `runbooks(plan)`.
    """
    posts = shared.posts[person.id]
    primary = [post for post in posts if post.rank == 0]
    parts = [_role_parts(plan, post.role, shared.processes) for post in primary]
    owners = {post.role.id for post in primary}
    contacts = {p.id: p for post in posts for p in [*post.ahead, *post.behind]}
    reporting = [duty for part in parts for duty in part["duties_by_level"]]
    for duty in reporting:
        if duty.report_to is not None:
            contacts.update({p.id: p for p in holders_now(plan, duty.report_to)[:1]})
    contacts.pop(person.id, None)
    return {
        "person": person,
        "primary": primary,
        "backing": [post for post in posts if post.rank > 0],
        # A role both held and carried by another held role (管理部负责人 under 财务 / 行政) counts once.
        "duties": [
            (role, duty)
            for role in _unique(
                [part["role"] for part in parts] + [c for part in parts for c in part["carried"]]
            )
            for duty in role.duties
        ],
        "first": first_actions(plan, person, shared.everyone),
        "reporting": reporting,
        # In recovery order across all their roles, not role by role.
        "owned": [process for process in shared.processes if process.owner in owners],
        "steps": shared.steps,
        "contacts": list(contacts.values()),
    }


def _unique(roles: list[Role]) -> list[Role]:
    return list({role.id: role for role in reversed(roles)}.values())[::-1]
