"""The organisation around the roles: committees with members, departments that resolve, reports outside."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.models import Plan, Role
from bcmlib.validation.findings import Hit, Severity, rule


@rule("ORG001", Severity.WARNING)
def committee_without_members(plan: Plan, today: date) -> Iterator[Hit]:
    """A committee names no role that sits on it, neither a chair nor members."""
    for index, committee in enumerate(plan.committees):
        if not committee.roles:
            yield Hit(f"committees/{committee.id}", ("committees", index), {"committee": committee.name})


def _per_department(plan: Plan) -> list[Role]:
    """The roles held in an incident by the heads of the departments it hits."""
    return [role for role in plan.roles if role.held_in_incident_by == "heads-of-hit-departments"]


@rule("ORG002", Severity.WARNING, readiness="8.4.2")
def process_without_department(plan: Plan, today: date) -> Iterator[Hit]:
    """A role is held by the head of the affected department, but a process names no department."""
    per_department = _per_department(plan)
    if not per_department:
        return
    for index, process in enumerate(plan.processes):
        if process.department is None:
            yield Hit(
                f"processes/{process.id}",
                ("processes", index),
                {"process": process.name, "role": per_department[0].name},
            )


@rule("ORG003", Severity.WARNING)
def critical_process_without_department(plan: Plan, today: date) -> Iterator[Hit]:
    """A critical process belongs to no department, so no department's plan holds it."""
    # The ISO 22301 procedure set has each department keep its own business impact analysis table and
    # recovery-plan table: a process no department claims is in neither. Where a role is held by the
    # heads of the departments hit, ORG002 already reports every such process, more urgently.
    if _per_department(plan):
        return
    for index, process in enumerate(plan.processes):
        if process.critical and process.department is None:
            yield Hit(f"processes/{process.id}", ("processes", index), {"process": process.name})


@rule("EXT001", Severity.WARNING, readiness="8.4.3")
def report_without_deadline(plan: Plan, today: date) -> Iterator[Hit]:
    """A duty to report outside the company has no deadline."""
    parties = plan.collections["external_parties"]
    for index, report in enumerate(plan.external_reports):
        if report.within is None and report.to in parties:
            yield Hit(
                f"external_reports/{report.id}",
                ("external_reports", index),
                {"when": report.when, "party": parties[report.to].name},
            )


@rule("EXT002", Severity.ERROR, readiness="8.4.3")
def recipient_without_phone(plan: Plan, today: date) -> Iterator[Hit]:
    """A party outside the company that must receive a report has no phone number in the plan."""
    owed = {report.to: report for report in reversed(plan.external_reports)}
    for index, party in enumerate(plan.external_parties):
        if party.id in owed and not party.phones:
            yield Hit(
                f"external_parties/{party.id}",
                ("external_parties", index),
                {"party": party.name, "when": owed[party.id].when},
            )
