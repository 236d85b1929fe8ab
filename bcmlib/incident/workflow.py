"""The incident workflow on `transitions`: an incident or drill rebuilt from its log, and its triggers.

The states and triggers are the plan's `incident_workflow`. Every trigger is guarded by the plan: the
person firing it must hold one of the roles it names now, following succession past the people marked
unavailable, and its preconditions must hold. A trigger that passes is written to the log before the
incident moves, so the log and the state never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import graphviz  # type: ignore[import-untyped]
from transitions import EventData, State
from transitions.extensions import GraphMachine

from bcmlib.i18n import Msg
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import Level, LogRecord
from bcmlib.incident.succession import Absence, Holding, holding
from bcmlib.models import CrisisLevel, IncidentWorkflow, Plan, WorkflowTransition

__all__ = ["DUTY_FIELDS", "LEVELS", "Attempt", "Incident", "rank_message", "workflow_diagram", "workflow_svg"]

LEVELS: tuple[Level, ...] = ("III", "II", "I")
"""Crisis levels from the least to the most severe."""

UNAVAILABLE, AVAILABLE = "unavailable", "available"
"""The log events that record people out and back, outside the workflow's triggers."""

DUTY_FIELDS: dict[str, str] = {
    "confirmer": "confirmed_by",
    "commander": "commander",
    "report-to": "report_to",
    "decider": "decided_by",
}
"""Each duty a trigger can name, and the crisis-level field that says which role has it."""


@dataclass
class Attempt:
    """A trigger someone tries to fire, with what it needs; the guard fills in the authority used."""

    trigger: str
    by: str | None
    """Who fires it; may be empty only for a trigger anyone may fire."""
    at: datetime
    note: str | None = None
    processes: tuple[str, ...] = ()
    level: Level | None = None
    """The level to open at (first trigger only)."""
    scenario: str | None = None
    """The risk or drill scenario (first trigger only)."""
    drill: bool = False
    """True to open a drill (first trigger only)."""
    exercise_kind: str | None = None
    """The kind of exercise (first trigger of a drill only)."""
    acting_as: str | None = field(default=None, init=False)
    rank: int | None = field(default=None, init=False)


def rank_message(rank: int | None) -> Msg:
    """A place in a role's chain, as words: primary, or backup N."""
    return Msg("incident.rank_primary") if rank == 0 else Msg("incident.rank_backup", {"rank": rank})


_Engine = Literal["mermaid", "graphviz"]


class _Stateful:
    """What the machine moves; kept apart from `Incident` so that no trigger name can shadow a method."""

    state: str


class _LabelledState(State):
    """A state that carries the plan's name for it, which the diagram shows."""

    def __init__(self, name: str, *, label: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.label = label


class _Machine(GraphMachine):
    state_cls = _LabelledState
    # Top to bottom: the handbook's page and a printed A4 sheet are taller than wide.
    machine_attributes = {**GraphMachine.machine_attributes, "rankdir": "TB"}


def _mermaid_text(text: str) -> str:
    """Plan text made safe inside a Mermaid label: characters with a meaning there become entity codes."""
    return "".join(f"#{ord(c)};" if c in '"#;:<>&{}[]|\\`' or not c.isprintable() else c for c in text)


def _workflow(plan: Plan) -> IncidentWorkflow:
    if plan.incident_workflow is None:
        raise IncidentError("incident.no_workflow")
    return plan.incident_workflow


def _machine(
    workflow: IncidentWorkflow,
    model: _Stateful,
    initial: str,
    title: str = "",
    engine: _Engine = "mermaid",
    **callbacks: Any,
) -> _Machine:
    label = _mermaid_text if engine == "mermaid" else graphviz.nohtml
    return _Machine(
        model=model,
        states=[{"name": state.id, "label": label(state.name)} for state in workflow.states],
        transitions=[
            {
                "trigger": transition.id,
                "source": transition.source,
                "dest": transition.dest or "=",
                "label": label(transition.name),
                **callbacks,
            }
            for transition in workflow.transitions
        ],
        initial=initial,
        auto_transitions=False,
        send_event=True,
        graph_engine=engine,
        # For Mermaid, transitions writes the title as the diagram's front matter, read as YAML.
        title=title,
    )


def workflow_diagram(plan: Plan, current: str | None = None, title: str = "") -> str:
    """The plan's workflow as a Mermaid state diagram, with the state `current` highlighted if given."""
    graph = _graph(plan, "mermaid", current, f"title: {json.dumps(title, ensure_ascii=False)}")
    return str(graph.draw(None))


DIAGRAM_FONT = "Noto Sans CJK SC"
"""The font Graphviz measures labels with; without a CJK font the boxes are too narrow for Chinese."""


def workflow_svg(plan: Plan) -> str:
    """The plan's workflow drawn by Graphviz as an SVG element, for pages and PDFs that run no script."""
    graph = _graph(plan, "graphviz", None, "")
    for attributes in (graph.graph_attr, graph.node_attr, graph.edge_attr):
        attributes["fontname"] = DIAGRAM_FONT
    svg: str = graph.pipe(format="svg", encoding="utf-8")
    # Only the <svg> element: the XML prolog and doctype may not stand inside an HTML page.
    return svg[svg.index("<svg") :].strip()


def _graph(plan: Plan, engine: _Engine, current: str | None, title: str) -> Any:
    workflow = _workflow(plan)
    model = _Stateful()
    machine = _machine(workflow, model, current or workflow.initial, title, engine=engine)
    graph = machine.model_graphs[id(model)]
    if current is None:
        graph.reset_styling()
    return graph.get_graph()


class Incident:
    """An incident or a drill: its state, level, processes hit and restored, and who is out.

    Build it from the records of its log. `fire` and `mark` check a command against the plan, hand its
    record to `write` (which puts it on disk), and only then move the incident.
    """

    def __init__(
        self, plan: Plan, records: Iterable[LogRecord] = (), write: Callable[[LogRecord], None] | None = None
    ) -> None:
        self.plan = plan
        self.workflow = _workflow(plan)
        self.transitions = {transition.id: transition for transition in self.workflow.transitions}
        self.records: list[LogRecord] = []
        self.state = self.workflow.initial
        self.level: Level = LEVELS[0]
        self.level_since: datetime | None = None
        self.reported_at: datetime | None = None
        self.hit: dict[str, datetime] = {}
        self.restored: dict[str, datetime] = {}
        self.absences: dict[str, Absence] = {}
        self._write = write or (lambda record: None)
        for record in records:
            self._replay(record)
        self._model = _Stateful()
        self._machine = _machine(
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

    def report_due(self) -> datetime | None:
        """When the current level's report is due, while it has a deadline and is not made yet."""
        within = self.crisis_level.report_within
        if self.reported_at is not None or within is None or self.level_since is None:
            return None
        return self.level_since + within

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
        """Who may fire `transition` at `at`: the holder of each role it names now, gaps included."""
        return self._holders(transition, None if transition.effect == "open" else self.level, at, processes)

    def _holders(
        self, transition: WorkflowTransition, level: str | None, at: datetime, processes: Sequence[str]
    ) -> list[Holding]:
        unavailable = self.unavailable(at)
        return [
            holding(self.plan, self.plan.role(role_id), unavailable)
            for role_id in self._roles_for(transition, level, processes)
        ]

    def fire(self, attempt: Attempt) -> LogRecord:
        """Fire a trigger; if it may not fire, raise `IncidentError` saying why, and write nothing."""
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
        """Record people as unavailable (since `since`, by default `at`) or as available again."""
        if not self.records:
            raise IncidentError("incident.not_open")
        self._check_actor(by, at)
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

    # Guard and record, called by the machine ------------------------------------------------------------

    def _guard(self, event: EventData) -> bool:
        attempt: Attempt = next(iter(event.args))
        transition = self.transitions[attempt.trigger]
        if transition.effect == "open":
            self._check_opening(attempt)
            level = attempt.level
        else:
            level = self.level
        self._authorise(transition, attempt, level)
        self._check_requirements(transition, attempt)
        self._check_effect(transition, attempt)
        return True

    def _record(self, event: EventData) -> None:
        attempt: Attempt = next(iter(event.args))
        transition = self.transitions[attempt.trigger]
        opening = transition.effect == "open"
        document = self.plan.document
        record = self._next_record(
            event=transition.id,
            by=attempt.by,
            at=attempt.at,
            to=transition.dest or self.state,
            level=attempt.level if opening else self._level_after(transition),
            note=attempt.note,
            processes=list(attempt.processes),
            acting_as=attempt.acting_as,
            rank=attempt.rank,
            scenario=attempt.scenario if opening else None,
            exercise_kind=attempt.exercise_kind if opening else None,
            drill=attempt.drill if opening else self.drill,
            plan=f"{document.number} {document.version}" if opening else None,
        )
        self._write(record)
        self._replay(record)

    def _authorise(self, transition: WorkflowTransition, attempt: Attempt, level: str | None) -> None:
        if "anyone" in transition.by:
            return
        if attempt.by is None:
            raise IncidentError("incident.needs_by", trigger=transition.id)
        holders = self._holders(transition, level, attempt.at, attempt.processes)
        for held in holders:
            if held.person == attempt.by:
                attempt.acting_as, attempt.rank = held.role.id, held.rank
                return
        raise IncidentError(
            "incident.not_authorised",
            trigger=transition.id,
            person=self.person_name(attempt.by),
            holders=[self.describe_holding(held) for held in holders],
        )

    def describe_holding(self, held: Holding) -> Msg:
        """A role and who holds it now, or that nobody does."""
        if held.person is None:
            return Msg("incident.holding_gap", {"role": held.role.name})
        return Msg(
            "incident.holding",
            {
                "role": held.role.name,
                "person": self.person_name(held.person),
                "rank": rank_message(held.rank),
            },
        )

    def _check_requirements(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        for requirement in transition.requires:
            if requirement == "note" and not (attempt.note or "").strip():
                raise IncidentError("incident.needs_note", trigger=transition.id)
            report_to = self.crisis_level.report_to
            if requirement == "reported" and report_to is not None and self.reported_at is None:
                raise IncidentError(
                    "incident.not_reported",
                    trigger=transition.id,
                    level=self.level,
                    role=self.plan.role(report_to).name,
                )
            waiting = [process for process in self.hit if process not in self.restored]
            if requirement == "all-restored" and waiting:
                raise IncidentError(
                    "incident.not_all_restored", trigger=transition.id, processes=self._process_names(waiting)
                )

    def _check_effect(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        processes = self.plan.collections["processes"]
        unknown = [process for process in attempt.processes if process not in processes]
        if unknown:
            raise IncidentError("incident.unknown_process", name=unknown, known=list(processes))
        effect = transition.effect
        if effect in ("hit", "restore-process") and not attempt.processes:
            raise IncidentError("incident.needs_process", trigger=transition.id)
        again = [process for process in attempt.processes if process in self.hit]
        if effect in ("open", "hit") and again:
            raise IncidentError("incident.already_hit", processes=self._process_names(again))
        not_hit = [process for process in attempt.processes if process not in self.hit]
        if effect == "restore-process" and not_hit:
            raise IncidentError("incident.not_hit", processes=self._process_names(not_hit))
        done = [process for process in attempt.processes if process in self.restored]
        if effect == "restore-process" and done:
            raise IncidentError("incident.already_restored", processes=self._process_names(done))
        if effect == "raise-level" and self.level == LEVELS[-1]:
            raise IncidentError("incident.level_top", trigger=transition.id, level=self.level)
        if effect == "lower-level" and self.level == LEVELS[0]:
            raise IncidentError("incident.level_bottom", trigger=transition.id, level=self.level)

    def _check_opening(self, attempt: Attempt) -> None:
        if attempt.level is None:
            raise IncidentError("incident.needs_level", known=list(LEVELS))
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

    def _check_actor(self, by: str | None, at: datetime) -> None:
        if self.over:
            raise IncidentError("incident.over", state=self.state_name())
        people = list(self.plan.collections["people"])
        if by is not None and by not in people:
            raise IncidentError("incident.unknown_person", name=by, known=people)
        if by in self.unavailable(at):
            raise IncidentError("incident.actor_unavailable", person=self.person_name(by))
        if self.records and at < self.records[-1].at:
            raise IncidentError(
                "incident.time_backwards", at=at.isoformat(), last=self.records[-1].at.isoformat()
            )

    # Replaying the log ----------------------------------------------------------------------------------

    def _replay(self, record: LogRecord) -> None:
        """Apply a record of the log; one that does not follow from the state before it is an error."""
        transition = self.transitions.get(record.event)
        if not self._follows(record, transition):
            raise IncidentError(
                "incident.log_inconsistent", seq=record.seq, event=record.event, state=self.state
            )
        effect = transition.effect if transition else None
        if effect == "open" or record.level != self.level:
            self.level, self.level_since, self.reported_at = record.level, record.at, None
        if effect == "report":
            self.reported_at = self.reported_at or record.at
        if effect in ("open", "hit"):
            self.hit.update(dict.fromkeys(record.processes, record.at))
        if effect == "restore-process":
            self.restored.update(dict.fromkeys(record.processes, record.at))
        if record.event == UNAVAILABLE:
            self.absences.update(
                {person: Absence(person, record.since or record.at) for person in record.people}
            )
        for person in record.people if record.event == AVAILABLE else ():
            self.absences.pop(person, None)
        self.records.append(record)
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

    def _level_after(self, transition: WorkflowTransition) -> Level:
        step = {"raise-level": 1, "lower-level": -1}.get(transition.effect or "", 0)
        return LEVELS[LEVELS.index(self.level) + step]

    def _level_definition(self, level: str) -> CrisisLevel:
        levels = self.plan.collections["crisis_levels"]
        if level not in levels:
            raise IncidentError("incident.unknown_level", level=level, known=list(levels))
        definition: CrisisLevel = levels[level]
        return definition

    def _roles_for(
        self, transition: WorkflowTransition, level: str | None, processes: Sequence[str]
    ) -> list[str]:
        """The roles whose holders may fire `transition` at `level` for `processes`, duties first."""
        roles: list[str] = []
        definition = self._level_definition(level) if level else None
        for duty in transition.by:
            if duty == "process-owner":
                # Restoring several processes at once needs the one role that owns them all.
                owners = {self.plan.collections["processes"][process].owner for process in processes}
                roles.extend(owner for owner in owners if owner is not None and len(owners) == 1)
            elif duty in DUTY_FIELDS and definition is not None:
                role = getattr(definition, DUTY_FIELDS[duty])
                roles.extend([role] if role else [])
        roles.extend(transition.roles)
        return list(dict.fromkeys(roles))

    def _allowed(self) -> list[Msg]:
        triggers = self.available_triggers()
        return [Msg("incident.trigger", {"id": item.id, "name": item.name}) for item in triggers] or [
            Msg("incident.none")
        ]

    def _process_names(self, processes: Iterable[str]) -> list[str]:
        return [self.plan.collections["processes"][process].name for process in processes]
