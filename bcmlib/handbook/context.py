"""What each page's template needs beyond the plan itself, computed here so templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from bcmlib.coverage import Coverage, coverage
from bcmlib.drill_calendar import planned_drills
from bcmlib.handbook.plots import trend_svg
from bcmlib.i18n import Msg
from bcmlib.incident.authority import DUTY_FIELDS, decider_role
from bcmlib.incident.diagram import workflow_svg
from bcmlib.incident.items import every_item
from bcmlib.incident.levels import LEVELS
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.kpis import kpi_trend, kpi_value
from bcmlib.models import (
    CrisisLevel,
    Person,
    Plan,
    Process,
    RecoveryStep,
    RiskScenario,
    Role,
    WorkflowTransition,
)
from bcmlib.validation.findings import Report
from bcmlib.validation.rules.exercises import kind_due, rotation_period, scenario_due

__all__ = [
    "Action",
    "Duty",
    "Post",
    "Runbooks",
    "StepRow",
    "exercises",
    "governance",
    "handbook_order",
    "home",
    "incident_flow",
    "organisation",
    "people_index",
    "person_runbook",
    "posts",
    "processes",
    "recovery_steps",
    "risks",
    "role_runbook",
    "runbooks",
    "systems",
    "wallet_card",
]


def home(plan: Plan) -> dict[str, Any]:
    """The current revision of the plan."""
    return {"revision": plan.document.revisions[-1] if plan.document.revisions else None}


def wallet_card(plan: Plan) -> dict[str, Any]:
    """Whom to call, in order, for each role of the BCM organisation, and the reporting deadlines."""
    chains = [(role, chain(plan, role)) for role in plan.roles if role.group == "bcm-organisation"]
    levels = [level for level in plan.crisis_levels if level.report_to and level.report_within]
    return {"chains": chains, "levels": levels}


def chain(plan: Plan, role: Role) -> list[Person]:
    """The people who hold `role`, primary first; a dangling reference (a validator error) is skipped."""
    return [plan.person(person) for person in plan.holders(role) if person in plan.collections["people"]]


def organisation(plan: Plan) -> dict[str, Any]:
    """Every role with its chain of holders, by the table it belongs to."""
    groups: dict[str, list[tuple[Role, list[str]]]] = {}
    for role in plan.roles:
        groups.setdefault(role.group, []).append((role, [person.name for person in chain(plan, role)]))
    width = max((len(names) for rows in groups.values() for _, names in rows), default=1)
    return {"groups": groups, "backups": max(width - 1, 1)}


def people_index(plan: Plan) -> dict[str, Any]:
    """Each person with the roles they hold first."""
    held: dict[str, list[Role]] = {person.id: [] for person in plan.people}
    for role in plan.roles:
        first = next(iter(plan.holders(role)), None)
        if first in held:
            held[first].append(role)
    return {"held": held}


def processes(plan: Plan) -> dict[str, Any]:
    """The processes in recovery order, with each one's recovery steps."""
    return {"order": handbook_order(plan), "steps": recovery_steps(plan)}


@dataclass(frozen=True)
class StepRow:
    """A row of a process's recovery-plan table, with who does it now."""

    step: RecoveryStep
    role: Role | None
    holder: Person | None
    """The role's primary holder now; None when the role is vacant or the step names no role."""


def recovery_steps(plan: Plan) -> dict[str, list[StepRow]]:
    """Each process's recovery steps in the plan's order, by process id, each with its role's holder."""
    rows: dict[str, list[StepRow]] = {}
    for process in plan.processes:
        for step in process.recovery_steps:
            role = plan.role(step.role) if step.role else None
            holder = next(iter(chain(plan, role)), None) if role else None
            rows.setdefault(process.id, []).append(StepRow(step, role, holder))
    return rows


def handbook_order(plan: Plan) -> list[RecoveryItem]:
    """Every process in recovery order, without deadlines: the one order every page of the handbook uses."""
    return recovery_order(plan, every_item(plan, ["process"]), None)


def incident_flow(plan: Plan) -> dict[str, Any]:
    """The workflow's diagram and its triggers with who may fire them."""
    if plan.incident_workflow is None:
        return {"diagram": None, "workflow": None}
    # The diagram is already safe: Graphviz writes plan text into the SVG as escaped text, and labels are
    # passed as plain text, never as Graphviz's HTML-like labels.
    return {"diagram": Markup(workflow_svg(plan)), "workflow": plan.incident_workflow}


@dataclass(frozen=True)
class Duty:
    """A crisis level at which a role has a duty, and the report it owes then, if any."""

    level: CrisisLevel
    duty: str
    """The duty: confirmer, commander, report-to or decider."""
    report_to: Role | None
    """Whom the role reports to at this level, when it confirms the crisis."""


@dataclass(frozen=True)
class Action:
    """A trigger of the incident workflow the role may fire, and at which levels (all when empty)."""

    transition: WorkflowTransition
    levels: list[str]


def _duties(plan: Plan, role: Role) -> list[Duty]:
    duties = []
    for level in plan.crisis_levels:
        for duty, field in DUTY_FIELDS.items():
            holder = decider_role(level) if duty == "decider" else getattr(level, field)
            if holder == role.id:
                report_to = plan.role(level.report_to) if duty == "confirmer" and level.report_to else None
                duties.append(Duty(level, duty, report_to))
    return duties


def _actions(plan: Plan, role: Role) -> list[Action]:
    """The triggers that move an incident (and the report) the role may fire, by name or by a duty."""
    workflow = plan.incident_workflow
    duties = _duties(plan, role)
    actions = []
    steps = [t for t in workflow.transitions if t.dest or t.effect == "report"] if workflow else []
    for transition in steps:
        levels: list[str] = sorted({d.level.id for d in duties if d.duty in transition.by}, key=LEVELS.index)
        if role.id in transition.roles:
            actions.append(Action(transition, []))
        elif levels:
            actions.append(Action(transition, levels))
    return actions


def role_runbook(plan: Plan, role: Role, shared: Runbooks) -> dict[str, Any]:
    """A role's runbook page: the role, its holders, and the parts of its runbook.

    `shared` is `runbooks(plan)`.
    """
    parts = _role_parts(plan, role, shared.processes)
    return {"role": role, "holders": parts["holders"], "runbook": parts, "steps": shared.steps}


def _process_owners(plan: Plan) -> list[Role]:
    owners = dict.fromkeys(process.owner for process in plan.processes if process.owner)
    return [plan.role(owner) for owner in owners if owner in plan.collections["roles"]]


def _role_parts(plan: Plan, role: Role, processes: list[Process]) -> dict[str, Any]:
    """What a role's runbook says: holders, duties by level, first actions, processes and flow steps.

    `processes` are the plan's, in recovery order: the role's own are listed in that order.
    """
    return {
        "role": role,
        "holders": chain(plan, role),
        "held_by": plan.role(role.held_by) if role.held_by else None,
        "carried": [other for other in plan.roles if other.held_by == role.id],
        # A role held in an incident by the owners of the processes hit: the owner roles it can be.
        "owners": _process_owners(plan) if role.held_in_incident_by else [],
        "duties_by_level": _duties(plan, role),
        "actions": _actions(plan, role),
        "owned": [process for process in processes if process.owner == role.id],
        "flow_steps": [step for step in plan.incident_flow if step.by == role.id],
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
        people = chain(plan, role)
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


def runbooks(plan: Plan) -> Runbooks:
    """What the runbooks of every role and every person share."""
    return Runbooks(posts(plan), [item.process for item in handbook_order(plan)], recovery_steps(plan))


def person_runbook(plan: Plan, person: Person, shared: Runbooks) -> dict[str, Any]:
    """A person's runbook on one or two pages: their own roles' demands merged, and whom they back up.

    The roles a person backs up are linked, not repeated: their runbooks are a page each. `shared` is
    `runbooks(plan)`.
    """
    posts = shared.posts[person.id]
    primary = [post for post in posts if post.rank == 0]
    parts = [_role_parts(plan, post.role, shared.processes) for post in primary]
    owners = {post.role.id for post in primary}
    actions: dict[str, Action] = {}
    for part in parts:
        for action in part["actions"]:
            known = actions.get(action.transition.id)
            levels = (
                []
                if known and not known.levels
                else sorted({*action.levels, *(known.levels if known else [])})
            )
            actions[action.transition.id] = Action(action.transition, [] if not action.levels else levels)
    order = [t.id for t in plan.incident_workflow.transitions] if plan.incident_workflow else []
    contacts = {p.id: p for post in posts for p in [*post.ahead, *post.behind]}
    reporting = [duty for part in parts for duty in part["duties_by_level"]]
    for duty in reporting:
        if duty.report_to is not None:
            contacts.update({p.id: p for p in chain(plan, duty.report_to)[:1]})
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
        "actions": sorted(actions.values(), key=lambda action: order.index(action.transition.id)),
        "flow_steps": [step for part in parts for step in part["flow_steps"]],
        "reporting": reporting,
        # In recovery order across all their roles, not role by role.
        "owned": [process for process in shared.processes if process.owner in owners],
        "steps": shared.steps,
        "contacts": list(contacts.values()),
    }


def _unique(roles: list[Role]) -> list[Role]:
    return list({role.id: role for role in reversed(roles)}.values())[::-1]


_BANDS = (("yearly", 1.0), ("decade", 10.0), ("generation", 30.0), ("rare", float("inf")))
"""Frequency bands of the heat map, by the upper end of a scenario's return period in years."""


def risks(plan: Plan) -> dict[str, Any]:
    """The heat map: risk scenarios by level and by how often they are expected."""
    heat: dict[str, dict[str, list[RiskScenario]]] = {
        level: {band: [] for band, _ in _BANDS} for level in ("high", "medium", "low")
    }
    for scenario in plan.risk_scenarios:
        years = scenario.frequency.high / timedelta(days=365)
        band = next(name for name, limit in _BANDS if years <= limit)
        heat[scenario.level][band].append(scenario)
    return {"bands": [band for band, _ in _BANDS], "heat": heat}


def systems(plan: Plan) -> dict[str, Any]:
    """Each data set with its 3-2-1 counts."""
    return {
        "backups": [
            {
                "data": data,
                "copies": len(data.copies),
                "media": data.media,
                "offsite": data.offsite,
                "passes": data.meets_three_two_one,
            }
            for data in plan.data_backups
        ]
    }


def exercises(plan: Plan) -> dict[str, Any]:
    """The next due date of each exercise type and each drill scenario."""
    period = rotation_period(plan)
    return {
        "kinds": [{"kind": kind, "due": kind_due(plan, kind)} for kind in plan.exercises.kinds],
        "scenarios": [
            {"scenario": s, "due": scenario_due(plan, s, period) if period else None}
            for s in plan.exercises.scenarios
        ],
        "rotation_days": period.days if period else None,
    }


NEXT_DRILLS = 3
"""How many coming drills the dashboard lists."""


def monitoring(plan: Plan, report: Report, built: date) -> dict[str, Any]:
    """What the dashboard, the KPI and the coverage pages show, computed once for them all."""
    late = [finding for finding in report if "late" in finding.params and finding.waiver is None]
    soon = [finding for finding in report if "days" in finding.params]
    clauses = coverage(plan)
    counts = {status.value: sum(clause.status == status for clause in clauses) for status in Coverage}
    return {
        "kpis": kpis(plan, built),
        "overdue": sorted(late, key=lambda finding: -finding.params["late"]),
        "due_soon": sorted(soon, key=lambda finding: finding.params["days"]),
        "drills": planned_drills(plan, built)[:NEXT_DRILLS],
        "clauses": clauses,
        "coverage_summary": Msg("coverage.summary", counts),
    }


def kpis(plan: Plan, built: date) -> list[dict[str, Any]]:
    """Each KPI's value as of the build day, and its yearly trend as a plot when it has a value."""
    rows = []
    for kpi in plan.kpis:
        trend = kpi_trend(plan, kpi, built)
        drawn = any(value is not None for _, value in trend)
        plot = trend_svg(trend, kpi.target, salt=kpi.id) if drawn else None
        rows.append({"kpi": kpi, "value": kpi_value(plan, kpi, built), "trend": plot})
    return rows


def governance(plan: Plan) -> dict[str, Any]:
    """The training total in hours."""
    return {"training_hours": round(plan.training.total / timedelta(hours=1), 1)}
