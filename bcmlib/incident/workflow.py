"""An incident or drill run by the plan's workflow: rebuilt from its log, and moved by checked triggers.

The states and triggers are the plan's `incident_workflow`, run by `transitions` (`machine.py`). Every
trigger is guarded by the plan: the person firing it must hold one of the roles it names now
(`authority.py`), and its preconditions must hold. A trigger that passes is written to the log before
the incident moves, so the log and the state never disagree.

Times: a record says when the thing happened (`at`) and the log says when it was written. An event may be
recorded after the fact, so `at` may be earlier than the records before it (laptops on one share also
disagree by a minute or two); a time before the incident opened, or more than `FUTURE_TOLERANCE` ahead of
the clock, is refused, since one mistyped year would otherwise stand in the log for good.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from transitions import EventData

from bcmlib import clock
from bcmlib.i18n import Msg
from bcmlib.incident.authority import bcm_organisation, describe_holding, holders, roles_for
from bcmlib.incident.dependencies import DependencyGraph
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.events import AVAILABLE, UNAVAILABLE
from bcmlib.incident.items import every_item, item_key, item_ref
from bcmlib.incident.levels import level_choices, level_ids, logged_level
from bcmlib.incident.log import LogRecord
from bcmlib.incident.machine import Stateful, build_machine, workflow_of
from bcmlib.incident.reporting import ReportDuty, recipient_for, report_duties
from bcmlib.incident.succession import Absence, Holding
from bcmlib.models import CrisisLevel, Plan, WorkflowTransition

if TYPE_CHECKING:
    from bcmlib.incident.status import IncidentStatus

__all__ = ["FUTURE_TOLERANCE", "Attempt", "Incident"]

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the clock a time may be: laptop clocks drift, a typed year must not."""


@dataclass
class Attempt:
    """A trigger someone tries to fire, with what it needs; the guard fills in the authority used."""

    trigger: str
    by: str | None
    """Who fires it; may be empty only for a trigger anyone may fire."""
    at: datetime
    note: str | None = None
    processes: tuple[str, ...] = ()
    """Processes hit or restored; for `hit`, also `systems/…`, `sites/…` or `suppliers/…`."""
    level: str | None = None
    """The identifier of the plan's level to open at (first trigger only), a Roman numeral either way;
    `parse_level` reads what people type."""
    scenario: str | None = None
    """The risk or drill scenario (first trigger only)."""
    drill: bool = False
    """True to open a drill (first trigger only)."""
    exercise_kind: str | None = None
    """The kind of exercise (first trigger of a drill only)."""
    data_as_of: datetime | None = None
    """For a restore: the moment the restored data reaches back to."""
    acting_as: str | None = field(default=None, init=False)
    rank: int | None = field(default=None, init=False)
    fallback: str | None = field(default=None, init=False)
    recipient: str | None = field(default=None, init=False)


class Incident:
    """An incident or a drill: its state, level, what it hit and restored, and who is out.

    Build it from the records of its log. `fire` and `mark` check a command against the plan, hand its
    record to `write` (which puts it on disk), and only then move the incident. `notices` holds what the
    last command should be warned of without being refused.
    """

    def __init__(
        self,
        plan: Plan,
        records: Iterable[LogRecord] = (),
        write: Callable[[LogRecord], None] | None = None,
        *,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self.plan = plan
        self.workflow = workflow_of(plan)
        self.transitions = {transition.id: transition for transition in self.workflow.transitions}
        self.records: list[LogRecord] = []
        self.state = self.workflow.initial
        least_severe = level_ids(plan)[-1:]
        self.level: str = least_severe[0] if least_severe else ""
        """The current level's identifier; the least severe before the incident opens."""
        self.hit: dict[str, datetime] = {}
        self.restored: dict[str, datetime] = {}
        self.absences: dict[str, Absence] = {}
        self._graph = DependencyGraph.of(plan)
        self.clashes: list[int] = []
        """Record numbers two writers both used; both records are kept."""
        self.notices: list[Msg] = []
        self._write = write or (lambda record: None)
        self._now = now
        for record in records:
            self._replay(record)
        self._model = Stateful()
        self._machine = build_machine(
            self.workflow, self._model, self.state, conditions=[self._guard], before=[self._record]
        )

    @property
    def opening(self) -> LogRecord | None:
        """The first record, which says what the incident is."""
        return self.records[0] if self.records else None

    @property
    def drill(self) -> bool:
        """True for a drill."""
        return self.opening is not None and self.opening.drill

    @property
    def over(self) -> bool:
        """True once the incident is closed or stood down."""
        final = {state.id for state in self.workflow.states if state.final}
        return bool(self.records) and (self.state in final or self.state == self.workflow.initial)

    @property
    def crisis_level(self) -> CrisisLevel:
        """The plan's definition of the current level."""
        return self._level_definition(self.level)

    def unavailable(self, at: datetime) -> set[str]:
        """The people out at `at`."""
        return {person for person, absence in self.absences.items() if absence.since <= at}

    def status(self, at: datetime) -> IncidentStatus:
        """Where the incident stands at `at`: level, commander, reports, recovery, who is out, warnings."""
        # Imported here: the status module builds on this one (recovery order, succession, reports).
        from bcmlib.incident.status import incident_status  # noqa: PLC0415

        return incident_status(self, at)

    def reports(self) -> list[ReportDuty]:
        """Every report owed so far, made or not."""
        return report_duties(self.plan, self.records, self.transitions)

    def affected(self) -> dict[str, datetime]:
        """What is down: each item hit and all that depends on it, from when the first of those was hit."""
        down: dict[str, datetime] = {}
        for key, at in sorted(self.hit.items(), key=lambda pair: pair[1]):
            for ref in self._graph.reach([item_ref(key)], self._graph.dependents):
                down.setdefault(item_key(ref), at)
        return down

    def waiting(self) -> list[str]:
        """What was hit and is not restored yet."""
        return [item for item in self.hit if item not in self.restored]

    def opener(self) -> WorkflowTransition:
        """The trigger that opens an incident from the initial state."""
        for transition in self.workflow.transitions:
            if transition.effect == "open" and self.workflow.initial in transition.source:
                return transition
        raise IncidentError("incident.no_opening")

    def available_triggers(self) -> list[WorkflowTransition]:
        """The triggers that may be fired from the current state."""
        return [transition for transition in self.workflow.transitions if self.state in transition.source]

    def holders_for(
        self, transition: WorkflowTransition, at: datetime, processes: Sequence[str] = ()
    ) -> list[Holding]:
        """Who may fire `transition` at `at`: each role it names and its holder now, gaps included.

        When every chain is out, the person who stands in for them is added.
        """
        level = None if transition.effect == "open" else self.level
        return self._holders(transition, level, at, processes)

    def commander(self, at: datetime) -> Holding:
        """Who commands now: the holder of the level's commander role, or who stands in for them."""
        role = self.plan.role(self.crisis_level.commander)
        held = holders(self.plan, [role], self.unavailable(at))
        return next((item for item in held if item.person is not None), held[0])

    def fire(self, attempt: Attempt) -> LogRecord:
        """Fire a trigger; if it may not fire, raise `IncidentError` saying why, and write nothing."""
        self.notices = []
        transition = self.transitions.get(attempt.trigger)
        if transition is None:
            raise IncidentError(
                "incident.unknown_trigger",
                trigger=attempt.trigger,
                state=self.state_name(),
                allowed=self._allowed(),
            )
        self._check_actor(attempt.by, attempt.at)
        if self.state not in transition.source:
            raise IncidentError(
                "incident.wrong_state",
                trigger=attempt.trigger,
                state=self.state_name(),
                sources=[self.state_name(source) for source in transition.source],
                allowed=self._allowed(),
            )
        self._machine.events[transition.id].trigger(self._model, attempt)
        return self.records[-1]

    def mark(
        self, people: Sequence[str], *, available: bool, by: str, at: datetime, since: datetime | None = None
    ) -> LogRecord:
        """Record people as unavailable (since `since`, by default `at`) or as available again.

        A member of the BCM organisation, the commander now, or the person themself may do it: it moves
        authority, so it is not for anyone to say.
        """
        self.notices = []
        if not self.records:
            raise IncidentError("incident.not_open")
        # Someone coming back says so themself, though they are still marked out until they have.
        self._check_actor(by, at, out_ok=available and list(people) == [by])
        if since is not None:
            self._check_time(clock.aware(since))
        self._authorise_mark(people, by, at)
        for person in people:
            self.plan.person(person)
            if available and person not in self.absences:
                raise IncidentError("incident.not_unavailable", person=self.person_name(person))
            if not available and person in self.absences:
                raise IncidentError("incident.already_unavailable", person=self.person_name(person))
        record = self._next_record(
            event=AVAILABLE if available else UNAVAILABLE,
            by=by,
            at=at,
            to=self.state,
            level=self.level,
            people=list(people),
            since=None if available else since,
        )
        self._write(record)
        self._replay(record)
        return record

    def state_name(self, state: str | None = None) -> str:
        """The plan's name of a state (default: the current one), with its identifier."""
        state = state or self.state
        names = {item.id: item.name for item in self.workflow.states}
        return f"{names[state]} ({state})"

    def person_name(self, person: str) -> str:
        """The name of a person of the plan."""
        return self.plan.person(person).name

    def describe_holding(self, held: Holding) -> Msg:
        """A role and who holds it now, or that nobody does."""
        return describe_holding(self.plan, held)

    def item_name(self, item: str) -> str:
        """The name of something hit: a process by its identifier, or `sites/warehouse` and the like."""
        return item_ref(item).item_in(self.plan).name

    # Guard and record, called by the machine ------------------------------------------------------------

    def _guard(self, event: EventData) -> bool:
        attempt: Attempt = next(iter(event.args))
        transition = self.transitions[attempt.trigger]
        if transition.effect == "open":
            self._check_opening(attempt)
            level = attempt.level
        else:
            level = self.level
        self._check_effect(transition, attempt)
        self._authorise(transition, attempt, level)
        self._check_requirements(transition, attempt)
        if transition.effect == "report":
            self._address(attempt)
        return True

    def _record(self, event: EventData) -> None:
        attempt: Attempt = next(iter(event.args))
        transition = self.transitions[attempt.trigger]
        opening = transition.effect == "open"
        document = self.plan.document
        processes = list(attempt.processes)
        if self._ends(transition):
            # What was never restored is named in the record that ends the incident, beside the reason.
            processes = self.waiting()
        record = self._next_record(
            event=transition.id,
            by=attempt.by,
            at=attempt.at,
            to=transition.dest or self.state,
            level=attempt.level if opening else self._level_after(transition),
            note=attempt.note,
            processes=processes,
            acting_as=attempt.acting_as,
            rank=attempt.rank,
            fallback=attempt.fallback,
            recipient=attempt.recipient,
            data_as_of=attempt.data_as_of if transition.effect == "restore-process" else None,
            scenario=attempt.scenario if opening else None,
            exercise_kind=attempt.exercise_kind if opening else None,
            drill=attempt.drill if opening else self.drill,
            plan=f"{document.number} {document.version}" if opening else None,
        )
        self._write(record)
        self._replay(record)

    def _holders(
        self, transition: WorkflowTransition, level: str | None, at: datetime, processes: Sequence[str]
    ) -> list[Holding]:
        definition = self._level_definition(level) if level else None
        # The department head is the owner of what is down, through a site or system hit as well.
        roles = roles_for(self.plan, transition, definition, processes, hit=[*self.affected(), *processes])
        return holders(self.plan, roles, self.unavailable(at))

    def _authorise(self, transition: WorkflowTransition, attempt: Attempt, level: str | None) -> None:
        if "anyone" in transition.by:
            return
        if attempt.by is None:
            raise IncidentError("incident.needs_by", trigger=transition.id)
        found = self._holders(transition, level, attempt.at, attempt.processes)
        for held in found:
            if held.person == attempt.by:
                attempt.acting_as, attempt.rank, attempt.fallback = held.role.id, held.rank, held.fallback
                return
        raise IncidentError(
            "incident.not_authorised",
            trigger=transition.id,
            person=self.person_name(attempt.by),
            holders=[self.describe_holding(held) for held in found] or [Msg("incident.none")],
        )

    def _authorise_mark(self, people: Sequence[str], by: str, at: datetime) -> None:
        if set(people) == {by} or by in bcm_organisation(self.plan) or self.commander(at).person == by:
            return
        raise IncidentError(
            "incident.mark_not_authorised",
            person=self.person_name(by),
            members=[self.person_name(member) for member in bcm_organisation(self.plan)],
        )

    def _address(self, attempt: Attempt) -> None:
        """Find whom a report goes to: someone above the reporter wherever anyone is left."""
        found = recipient_for(self.plan, self.level, attempt.by, self.unavailable(attempt.at))
        attempt.recipient = found[1] if found else None

    def _check_requirements(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        for requirement in transition.requires:
            if requirement == "note" and not (attempt.note or "").strip():
                raise IncidentError("incident.needs_note", trigger=transition.id)
            owed = [duty for duty in self.reports() if duty.owed] if requirement == "reported" else []
            if owed:
                raise IncidentError(
                    "incident.not_reported",
                    trigger=transition.id,
                    level=owed[0].level.id,
                    role=owed[0].recipient_role.name,
                )
            if requirement == "all-restored" and self.waiting():
                raise IncidentError(
                    "incident.not_all_restored", trigger=transition.id, processes=self._names(self.waiting())
                )
        if self._ends(transition) and self.waiting() and not (attempt.note or "").strip():
            raise IncidentError(
                "incident.unrestored_needs_reason",
                trigger=transition.id,
                processes=self._names(self.waiting()),
            )

    def _ends(self, transition: WorkflowTransition) -> bool:
        """True for a trigger that ends the incident (closes it, or stands it down)."""
        final = {state.id for state in self.workflow.states if state.final}
        return transition.dest is not None and (
            transition.dest in final or transition.dest == self.workflow.initial
        )

    def _check_effect(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        effect = transition.effect
        unknown = [item for item in attempt.processes if not self._known(item)]
        if unknown:
            known = [f"{ref.item_in(self.plan).name} ({item_key(ref)})" for ref in every_item(self.plan)]
            raise IncidentError("incident.unknown_process", name=unknown, known=known)
        if effect in ("hit", "restore-process") and not attempt.processes:
            raise IncidentError("incident.needs_process", trigger=transition.id)
        again = [item for item in attempt.processes if item in self.hit]
        if effect in ("open", "hit") and again:
            raise IncidentError("incident.already_hit", processes=self._names(again))
        # What is down through a dependency (shipping when the ERP it needs is hit) can be restored too.
        down = self.affected()
        not_hit = [item for item in attempt.processes if item not in down]
        if effect == "restore-process" and not_hit:
            raise IncidentError("incident.not_hit", processes=self._names(not_hit))
        done = [item for item in attempt.processes if item in self.restored]
        if effect == "restore-process" and done:
            raise IncidentError("incident.already_restored", processes=self._names(done))
        if effect == "restore-process":
            self._warn_dependencies_down(attempt.processes)
        order = level_ids(self.plan)
        if effect == "raise-level" and self.level == order[0]:
            raise IncidentError("incident.level_top", trigger=transition.id, level=self.level)
        if effect == "lower-level" and self.level == order[-1]:
            raise IncidentError("incident.level_bottom", trigger=transition.id, level=self.level)

    def _known(self, item: str) -> bool:
        """Whether `item` names a process (by identifier) or a system, site or supplier (`sites/…`)."""
        try:
            ref = item_ref(item)
        except KeyError:
            return False
        return ref.id in self.plan.collections[ref.collection]

    def _warn_dependencies_down(self, items: Sequence[str]) -> None:
        """Restoring a process while something it depends on is still down is allowed, with a warning."""
        for item in items:
            keys = [item_key(ref) for ref in self._graph.dependencies(item_ref(item))]
            down = [key for key in keys if key in self.hit and key not in self.restored]
            if down:
                name = self.item_name(item)
                self.notices.append(
                    Msg("incident.dependency_down", {"process": name, "down": self._names(down)})
                )

    def _check_opening(self, attempt: Attempt) -> None:
        if attempt.level is None:
            raise IncidentError("incident.needs_level", known=level_choices(self.plan))
        # The identifier as the plan writes it, as a log's is read: II for a plan that writes Ⅱ.
        attempt.level = logged_level(self.plan, attempt.level) or attempt.level
        self._level_definition(attempt.level)
        collections = self.plan.collections
        scenarios = [*collections["risk_scenarios"], *collections["drill_scenarios"]]
        if attempt.scenario is not None and attempt.scenario not in scenarios:
            raise IncidentError("incident.unknown_scenario", name=attempt.scenario, known=scenarios)
        if attempt.exercise_kind is not None and not attempt.drill:
            raise IncidentError("incident.kind_without_drill")
        kinds = list(collections["exercise_kinds"])
        if attempt.exercise_kind is not None and attempt.exercise_kind not in kinds:
            raise IncidentError("incident.unknown_kind", name=attempt.exercise_kind, known=kinds)

    def _check_actor(self, by: str | None, at: datetime, *, out_ok: bool = False) -> None:
        if self.over:
            raise IncidentError("incident.over", state=self.state_name())
        people = list(self.plan.collections["people"])
        if by is not None and by not in people:
            raise IncidentError("incident.unknown_person", name=by, known=people)
        self._check_time(at)
        if by in self.unavailable(at) and not out_ok:
            raise IncidentError("incident.actor_unavailable", person=self.person_name(by))

    def _check_time(self, at: datetime) -> None:
        try:
            clock.aware(at)
        except ValueError as error:
            raise IncidentError("incident.time_naive", at=at.isoformat()) from error
        now = self._now()
        if at > now + FUTURE_TOLERANCE:
            raise IncidentError("incident.time_future", at=at.isoformat(), now=now.isoformat())
        if self.opening is not None and at < self.opening.at:
            raise IncidentError(
                "incident.time_before_opening", at=at.isoformat(), opened=self.opening.at.isoformat()
            )

    # Replaying the log ----------------------------------------------------------------------------------

    def _replay(self, record: LogRecord) -> None:
        """Apply a record of the log; one that does not follow from the state before it is an error.

        Two responders writing one log where the lock does not reach can both write the same number. The
        second such record may not follow from the state the first left: it is kept, its facts (level,
        what was hit or restored, who is out) count, and its move does not.
        """
        transition = self.transitions.get(record.event)
        follows = self._follows(record, transition)
        clash = bool(self.records) and record.seq == self.records[-1].seq
        if not follows and not clash:
            raise IncidentError(
                "incident.log_inconsistent", seq=record.seq, event=record.event, state=self.state
            )
        if clash and record.seq not in self.clashes:
            self.clashes.append(record.seq)
        effect = transition.effect if transition else None
        level = logged_level(self.plan, record.level)
        if level is None:
            raise IncidentError(
                "incident.log_unknown_level",
                seq=record.seq,
                level=record.level,
                known=level_choices(self.plan),
            )
        # Kept as the plan writes it (Ⅲ for a log's III), so every reader of the records finds the level.
        record = record.model_copy(update={"level": level}) if level != record.level else record
        self.level = level
        if effect in ("open", "hit"):
            for item in record.processes:
                self.hit.setdefault(item, record.at)
        if effect == "restore-process":
            down = self.affected()
            for item in record.processes:
                self.hit.setdefault(item, down.get(item, record.at))
                self.restored.setdefault(item, record.at)
        if record.event == UNAVAILABLE:
            self.absences.update(
                {person: Absence(person, record.since or record.at) for person in record.people}
            )
        for person in record.people if record.event == AVAILABLE else ():
            self.absences.pop(person, None)
        self.records.append(record)
        if follows:
            self.state = record.dest

    def _follows(self, record: LogRecord, transition: WorkflowTransition | None) -> bool:
        if record.source != self.state:
            return False
        if transition is None:
            return (
                record.event in (UNAVAILABLE, AVAILABLE)
                and record.dest == record.source
                and bool(self.records)
            )
        opening = transition.effect == "open"
        return (
            opening == (not self.records)
            and record.source in transition.source
            and record.dest == (transition.dest or record.source)
        )

    def _next_record(self, **fields: Any) -> LogRecord:
        fields.setdefault("drill", self.drill)
        # After the last number, not the count: two writers on one share can both write the same number.
        seq = self.records[-1].seq + 1 if self.records else 1
        return LogRecord.model_validate({"seq": seq, "from": self.state, **fields})

    # Helpers --------------------------------------------------------------------------------------------

    def _level_after(self, transition: WorkflowTransition) -> str:
        # The plan lists the most severe level first: raising moves towards the front.
        step = {"raise-level": -1, "lower-level": 1}.get(transition.effect or "", 0)
        order = level_ids(self.plan)
        return order[order.index(self.level) + step]

    def _level_definition(self, level: str) -> CrisisLevel:
        levels: Mapping[str, CrisisLevel] = self.plan.collections["crisis_levels"]
        if level not in levels:
            raise IncidentError("incident.unknown_level", level=level, known=level_choices(self.plan))
        return levels[level]

    def _allowed(self) -> list[Msg]:
        triggers = self.available_triggers()
        return [Msg("incident.trigger", {"id": item.id, "name": item.name}) for item in triggers] or [
            Msg("incident.none")
        ]

    def _names(self, items: Iterable[str]) -> list[str]:
        return [self.item_name(item) for item in items]
