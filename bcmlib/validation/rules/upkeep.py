"""Keeping the plan alive: contacts verified, backups restore-tested, actions closed, reviews held.

Each finding says how many days late the item is, against the day the check runs as of, and who owns it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.i18n import Msg
from bcmlib.models import Plan
from bcmlib.validation.findings import Hit, Severity, rule

__all__ = ["days_late", "issued", "owner_name"]


def owner_name(plan: Plan, role_id: str | None) -> str | Msg:
    """A role as a reader acts on it: its name and who holds it first; a dash when there is no role."""
    role = plan.collections["roles"].get(role_id) if role_id else None
    if role is None:
        return "—"
    name: str = role.name
    holder = next(iter(plan.holders(role)), None)
    if holder is None:
        return name
    return Msg("punctuation.aside", {"text": name, "detail": plan.person(holder).name})


def _names(plan: Plan, people: list[str]) -> list[str] | str:
    """People by name, joined as the message's language joins a list; a dash for nobody.

    A dangling reference is the reference rules' to report, not a crash here.
    """
    known = plan.collections["people"]
    return [known[person].name for person in people if person in known] or "—"


def _record(plan: Plan, form_id: str | None, generic: str) -> Msg:
    """Where a record is kept: the plan's form by number and name, or the generic record `generic` names.

    The form is the plan's own (each company numbers its forms), so a message never cites another's.
    """
    form = plan.collections["forms"].get(form_id) if form_id else None
    if form is None:
        return Msg(generic)
    return Msg("record.form", {"number": form.number, "name": form.name})


def days_late(due: date, today: date) -> int:
    """How many days past `due` it is on `today`."""
    return (today - due).days


def issued(plan: Plan) -> date:
    """The day the current version was issued: the programme runs, and what is never done is due, from it."""
    return plan.document.revisions[-1].date


@rule("CON001", Severity.WARNING)
def contact_unverified(plan: Plan, today: date) -> Iterator[Hit]:
    """A contact channel has not been verified within the interval the plan sets."""
    contacts = plan.emergency_contacts
    if contacts is None or contacts.verify_every is None:
        return
    owner = owner_name(plan, contacts.owner)
    for index, person in enumerate(plan.people):
        for number, contact in enumerate(person.contacts):
            due = (contact.verified_on or issued(plan)) + contacts.verify_every
            if due < today:
                # The channel's kind, not its value: a redacted build publishes findings, not personal
                # channels; the finding's place in people.yaml tells two channels of a kind apart.
                params = {
                    "person": person.name,
                    "channel": contact.channel,
                    "verified": contact.verified_on.isoformat() if contact.verified_on else "—",
                    "every": contacts.verify_every,
                    "late": days_late(due, today),
                    "owner": owner,
                }
                yield Hit(f"people/{person.id}", ("people", index, "contacts", number), params)


@rule("BAK002", Severity.WARNING)
def backup_never_restored(plan: Plan, today: date) -> Iterator[Hit]:
    """A data set has never had a restore test that passed."""
    for index, backup in enumerate(plan.data_backups):
        if any(test.passed and test.date <= today for test in backup.restore_tests):
            continue
        custodians = list(dict.fromkeys(person for copy in backup.copies for person in copy.custodians))
        params = {
            "data": backup.name,
            "late": days_late(issued(plan), today),
            "owner": _names(plan, custodians),
            "record": _record(plan, backup.verification_form, "record.restore_test"),
        }
        yield Hit(f"data_backups/{backup.id}", ("data_backups", index, "restore_tests"), params)


@rule("ACT001", Severity.WARNING)
def action_overdue(plan: Plan, today: date) -> Iterator[Hit]:
    """A corrective action from an after-action review is still open after its due date."""
    for index, record in enumerate(plan.exercises.records):
        actions = record.review.actions if record.review else []
        for number, action in enumerate(actions):
            if not action.done and action.due < today:
                params = {
                    "action": action.text,
                    "record": record.id,
                    "due": action.due.isoformat(),
                    "late": days_late(action.due, today),
                    "owner": _names(plan, [action.owner]),
                }
                path = ("exercises", "records", index, "review", "actions", number)
                yield Hit(f"exercise_records/{record.id}", path, params)


@rule("DOC002", Severity.WARNING)
def review_overdue(plan: Plan, today: date) -> Iterator[Hit]:
    """The whole plan has not been reviewed within its review interval."""
    document = plan.document
    if document.review_every is None:
        return
    last = max((review.date for review in document.reviews if review.date <= today), default=None)
    due = (last or issued(plan)) + document.review_every
    if due < today:
        params = {
            "last": last.isoformat() if last else "—",
            "every": document.review_every,
            "due": due.isoformat(),
            "late": days_late(due, today),
            "owner": owner_name(plan, document.review_owner),
        }
        yield Hit("document", ("document", "reviews"), params)


@rule("TRN001", Severity.WARNING)
def backup_untrained(plan: Plan, today: date) -> Iterator[Hit]:
    """A backup person has not done the cross-training every backup must have."""
    course_id = plan.training.backup_course
    if course_id is None or course_id not in plan.collections["courses"]:
        return
    course = plan.collections["courses"][course_id]
    trained = {r.person for r in plan.training.records if r.course == course_id and r.date <= today}
    backing: dict[str, list[str]] = {}
    for role in plan.roles:
        for person in role.backups:
            backing.setdefault(person, []).append(role.name)
    positions = {person.id: index for index, person in enumerate(plan.people)}
    for person_id, roles in sorted(backing.items(), key=lambda item: positions.get(item[0], -1)):
        if person_id in trained or person_id not in positions:
            continue
        name = plan.person(person_id).name
        params = {
            "person": name,
            "course": course.name,
            "roles": roles,
            "late": days_late(issued(plan), today),
            "owner": name,
            "record": _record(plan, plan.training.record_form, "record.training"),
        }
        yield Hit(f"people/{person_id}", ("people", positions[person_id]), params)
