"""Roles: each has a holder and a backup, chains are sound, and no one person carries the plan alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from bcmlib.models import Plan, Role
from bcmlib.response.calls import dial
from bcmlib.validation.findings import Hit, Severity, rule

# Seed 000's general manager is first backup of five roles: two is already a dependency worth showing.
MAX_FIRST_BACKUP_ROLES = 2


def _own_chains(plan: Plan) -> Iterator[tuple[int, Role]]:
    """Roles that name their own people.

    A `held_by` role shares the chain of the role it points at, and a role held in an incident by the
    owners of the processes hit has the chains of those owners.
    """
    return (
        (index, role)
        for index, role in enumerate(plan.roles)
        if role.held_by is None and role.held_in_incident_by is None
    )


@rule("ROL001", Severity.ERROR, readiness="8.4.2")
def no_holder(plan: Plan, today: date) -> Iterator[Hit]:
    """A role has nobody to hold it."""
    for index, role in _own_chains(plan):
        if role.primary is None:
            yield Hit(f"roles/{role.id}", ("roles", index), {"role": role.name})


@rule("ROL002", Severity.ERROR, readiness="8.4.2")
def no_backup(plan: Plan, today: date) -> Iterator[Hit]:
    """A role has no backup other than its primary."""
    for index, role in _own_chains(plan):
        if role.primary is not None and not [p for p in role.backups if p != role.primary]:
            yield Hit(f"roles/{role.id}", ("roles", index, "backups"), {"role": role.name})


@rule("ROL003", Severity.ERROR)
def repeated_person(plan: Plan, today: date) -> Iterator[Hit]:
    """A person appears twice in one role's chain of primary and backups."""
    for index, role in _own_chains(plan):
        chain = [p for p in (role.primary, *role.backups) if p is not None]
        for person, count in Counter(chain).items():
            if count > 1:
                name = plan.collections["people"].get(person)
                yield Hit(
                    f"roles/{role.id}",
                    ("roles", index, "backups"),
                    {"role": role.name, "person": name.name if name else person},
                )


@rule("ROL004", Severity.ERROR, blocking=True, readiness="8.4.2")
def held_by_cycle(plan: Plan, today: date) -> Iterator[Hit]:
    """Roles are held by each other in a circle, so nobody holds them."""
    roles = plan.collections["roles"]
    for index, role in enumerate(plan.roles):
        seen = [role.id]
        current = role
        while current.held_by is not None and current.held_by in roles:
            current = roles[current.held_by]
            if current.id == role.id:
                yield Hit(
                    f"roles/{role.id}", ("roles", index, "held_by"), {"cycle": " → ".join([*seen, role.id])}
                )
                break
            if current.id in seen:
                break  # a cycle further along, reported from one of its own roles
            seen.append(current.id)


@rule("ROL005", Severity.WARNING)
def single_point_of_failure(plan: Plan, today: date) -> Iterator[Hit]:
    """One person is first backup for many roles, or sits in most chains."""
    chains = [role for _, role in _own_chains(plan)]
    first_backup = Counter(role.backups[0] for role in chains if role.backups)
    in_chain = Counter(p for role in chains for p in {role.primary, *role.backups} if p is not None)
    for index, person in enumerate(plan.people):
        backups, sits = first_backup[person.id], in_chain[person.id]
        if backups > MAX_FIRST_BACKUP_ROLES or sits * 2 > len(chains):
            params = {"person": person.name, "first_backup": backups, "chains": sits, "total": len(chains)}
            yield Hit(f"people/{person.id}", ("people", index), params)


@rule("ROL006", Severity.WARNING, readiness="8.4.2")
def no_duties(plan: Plan, today: date) -> Iterator[Hit]:
    """A role has no duties written down, so its runbook cannot say what to do.

    A post that holds other roles (through their `held_by`) carries their duties.
    """
    carried = {role.held_by for role in plan.roles if role.held_by is not None and role.duties}
    for index, role in enumerate(plan.roles):
        if not role.duties and role.id not in carried:
            yield Hit(f"roles/{role.id}", ("roles", index), {"role": role.name})


@rule("ROL007", Severity.WARNING, readiness="8.4.3")
def no_contact(plan: Plan, today: date) -> Iterator[Hit]:
    """People who hold a role have no contact channel in the plan."""
    holders = {p for role in plan.roles for p in plan.holders(role)}
    missing = [person.name for person in plan.people if person.id in holders and not person.contacts]
    if missing:
        yield Hit("people", ("people",), {"count": len(missing), "people": missing})


@rule("CON002", Severity.ERROR, readiness="8.4.3")
def commander_without_phone(plan: Plan, today: date) -> Iterator[Hit]:
    """Someone who may command or must receive a report in a crisis has no phone number in the plan."""
    crisis_roles = {role.id for role in plan.roles if role.group == "bcm-organisation"}
    for level in plan.crisis_levels:
        crisis_roles |= {r for r in (level.commander, level.report_to, level.decided_by) if r}
    reached = {
        person
        for role_id in crisis_roles
        if role_id in plan.collections["roles"]
        for person in plan.holders(plan.role(role_id))
    }
    for index, person in enumerate(plan.people):
        if person.id in reached and not person.phones:
            roles = [
                role.name
                for role in plan.roles
                if role.id in crisis_roles and person.id in plan.holders(role)
            ]
            yield Hit(f"people/{person.id}", ("people", index), {"person": person.name, "roles": roles})


@rule("CON003", Severity.WARNING, readiness="8.4.3")
def phone_not_dialable(plan: Plan, today: date) -> Iterator[Hit]:
    """A phone number holds more than a phone can dial, so the handbook shows it as text, not a link."""
    for index, person in enumerate(plan.people):
        for number, contact in enumerate(person.contacts):
            if contact.is_phone and dial(contact.value) is None:
                # The number itself is not quoted: a redacted build publishes findings, not personal phones.
                yield Hit(
                    f"people/{person.id}", ("people", index, "contacts", number), {"person": person.name}
                )
