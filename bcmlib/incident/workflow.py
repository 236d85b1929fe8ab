"""An incident or drill run by the plan's workflow: rebuilt from its log, and moved by checked triggers.

The states and triggers are the plan's `incident_workflow`, run by `transitions` (`machine.py`). Every
command is checked against the plan first (`guards.py`: who may give it, when, and whether it may be
now). A trigger that passes is written to the log before the incident moves, and the incident moves by
replaying that record (`replay.py`) as it does the records of the log it is built from, so the log and
the state never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from transitions import EventData

from bcmlib import clock
from bcmlib.analysis.dependencies import DependencyGraph
from bcmlib.analysis.items import item_key, item_name, item_ref
from bcmlib.i18n import Msg
from bcmlib.incident.authority import describe_holding, holders
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.events import AVAILABLE, MESSAGE, UNAVAILABLE
from bcmlib.incident.guards import FUTURE_TOLERANCE, Guard, ends
from bcmlib.incident.levels import level_definition, level_ids
from bcmlib.incident.log import LogRecord
from bcmlib.incident.machine import Stateful, build_machine, ends_incident, state_name, workflow_of
from bcmlib.incident.replay import replay
from bcmlib.incident.reporting import ReportDuty, report_duties
from bcmlib.incident.succession import Absence, Holding
from bcmlib.models import CrisisLevel, Plan, WorkflowTransition
from bcmlib.models.communication import MessageStage

if TYPE_CHECKING:
    from bcmlib.incident.status import IncidentStatus

__all__ = ["FUTURE_TOLERANCE", "Attempt", "Incident"]


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
        self._guard = Guard(self, self._graph, now)
        for record in records:
            replay(self, record)
        self._model = Stateful()
        self._machine = build_machine(
            self.workflow, self._model, self.state, conditions=[self._check], before=[self._record]
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
        return bool(self.records) and ends_incident(self.workflow, self.state)

    @property
    def state_since(self) -> datetime | None:
        """When the incident came into its current state: the time of the last record that moved it.

        Not the last record's: a message, a report or a mark of who is out leaves the state where it
        was, and a resolution message may go out hours after the incident closed.
        """
        moves = [record for record in self.records if record.dest != record.source]
        if moves:
            return moves[-1].at
        return self.opening.at if self.opening else None

    @property
    def crisis_level(self) -> CrisisLevel:
        """The plan's definition of the current level."""
        return level_definition(self.plan, self.level)

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
        return self._guard.holders(transition, level, at, processes)

    def commander(self, at: datetime) -> Holding:
        """Who commands now: the holder of the level's commander role, or who stands in for them."""
        role = self.plan.role(self.crisis_level.commander)
        held = holders(self.plan, [role], self.unavailable(at))
        return next((item for item in held if item.person is not None), held[0])

    def fire(self, attempt: Attempt) -> LogRecord:
        """Fire a trigger; if it may not fire, raise `IncidentError` saying why, and write nothing."""
        self.notices = []
        transition = self._guard.admit(attempt)
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
        self._guard.check_mark(people, available=available, by=by, at=at, since=since)
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
        replay(self, record)
        return record

    def message(self, audience: str, stage: MessageStage, *, by: str, at: datetime) -> LogRecord:
        """Record that a message at `stage` went to the plan's `audience`, sent by `by` at `at`.

        It moves nothing: it is what the update cadence counts from (`cadence.py`).
        """
        self.notices = []
        self._guard.check_message(by, at)
        record = self._next_record(
            event=MESSAGE, by=by, at=at, to=self.state, level=self.level, audience=audience, stage=stage
        )
        self._write(record)
        replay(self, record)
        return record

    def state_name(self, state: str | None = None) -> str:
        """The plan's name of a state (default: the current one), with its identifier."""
        return state_name(self.workflow, state or self.state)

    def person_name(self, person: str) -> str:
        """The name of a person of the plan."""
        return self.plan.person(person).name

    def describe_holding(self, held: Holding) -> Msg:
        """A role and who holds it now, or that nobody does."""
        return describe_holding(self.plan, held)

    def item_name(self, item: str) -> str:
        """The name of something hit: a process by its identifier, or `sites/warehouse` and the like."""
        return item_name(self.plan, item)

    # Check and record, called by the machine ------------------------------------------------------------

    def _check(self, event: EventData) -> bool:
        attempt: Attempt = next(iter(event.args))
        self._guard.check_trigger(attempt)
        return True

    def _record(self, event: EventData) -> None:
        attempt: Attempt = next(iter(event.args))
        transition = self.transitions[attempt.trigger]
        opening = transition.effect == "open"
        document = self.plan.document
        processes = list(attempt.processes)
        if ends(self, transition):
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
        replay(self, record)

    def _next_record(self, **fields: Any) -> LogRecord:
        fields.setdefault("drill", self.drill)
        # After the last number, not the count: two writers on one share can both write the same number.
        seq = self.records[-1].seq + 1 if self.records else 1
        return LogRecord.model_validate({"seq": seq, "from": self.state, **fields})

    def _level_after(self, transition: WorkflowTransition) -> str:
        # The plan lists the most severe level first: raising moves towards the front.
        step = {"raise-level": -1, "lower-level": 1}.get(transition.effect or "", 0)
        order = level_ids(self.plan)
        return order[order.index(self.level) + step]
