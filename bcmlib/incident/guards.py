"""The plan's checks on a command to an incident: who may give it, at what time, and whether it may be now.

A trigger is guarded by the plan: the person firing it must hold one of the roles it names now
(`authority.py`), and its preconditions must hold. Marking people out or back moves authority, so it is
checked too. A check that fails raises `IncidentError` saying why; one that only warns adds to the
incident's `notices`.

Times: a record says when the thing happened (`at`) and the log says when it was written. An event may be
recorded after the fact, so `at` may be earlier than the records before it (laptops on one share also
disagree by a minute or two); a time before the incident opened, or more than `FUTURE_TOLERANCE` ahead of
the clock, is refused, since one mistyped year would otherwise stand in the log for good.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bcmlib import clock
from bcmlib.analysis.dependencies import DependencyGraph
from bcmlib.analysis.items import every_item, item_key, item_name, item_ref
from bcmlib.i18n import Msg
from bcmlib.incident.authority import bcm_organisation, holders, roles_for
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.levels import level_choices, level_definition, level_ids, logged_level
from bcmlib.incident.machine import ends_incident
from bcmlib.incident.reporting import recipient_for
from bcmlib.incident.succession import Holding
from bcmlib.models import WorkflowTransition

if TYPE_CHECKING:
    from bcmlib.incident.workflow import Attempt, Incident

__all__ = ["FUTURE_TOLERANCE", "Guard", "ends"]

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the clock a time may be: laptop clocks drift, a typed year must not."""


def ends(incident: Incident, transition: WorkflowTransition) -> bool:
    """True for a trigger that ends the incident (closes it, or stands it down)."""
    return transition.dest is not None and ends_incident(incident.workflow, transition.dest)


class Guard:
    """Checks the commands to one incident against its plan, its state and the clock `now`."""

    def __init__(self, incident: Incident, graph: DependencyGraph, now: Callable[[], datetime]) -> None:
        self._incident = incident
        self._plan = incident.plan
        self._graph = graph
        self._now = now

    def admit(self, attempt: Attempt) -> WorkflowTransition:
        """The trigger `attempt` names, if it is known, its actor may act, and the state allows it."""
        incident = self._incident
        transition = incident.transitions.get(attempt.trigger)
        if transition is None:
            raise IncidentError(
                "incident.unknown_trigger",
                trigger=attempt.trigger,
                state=incident.state_name(),
                allowed=self._allowed(),
            )
        self._check_actor(attempt.by, attempt.at)
        if incident.state not in transition.source:
            raise IncidentError(
                "incident.wrong_state",
                trigger=attempt.trigger,
                state=incident.state_name(),
                sources=[incident.state_name(source) for source in transition.source],
                allowed=self._allowed(),
            )
        return transition

    def check_trigger(self, attempt: Attempt) -> None:
        """Check what the trigger needs and who fires it; fill in the authority used and the recipient."""
        transition = self._incident.transitions[attempt.trigger]
        if transition.effect == "open":
            self._check_opening(attempt)
            level = attempt.level
        else:
            level = self._incident.level
        self._check_effect(transition, attempt)
        self._authorise(transition, attempt, level)
        self._check_requirements(transition, attempt)
        if transition.effect == "report":
            self._address(attempt)

    def check_mark(
        self, people: Sequence[str], *, available: bool, by: str, at: datetime, since: datetime | None
    ) -> None:
        """Check that `by` may record `people` as out (since `since`) or back, and that they are not yet."""
        incident = self._incident
        if not incident.records:
            raise IncidentError("incident.not_open")
        # Someone coming back says so themself, though they are still marked out until they have.
        self._check_actor(by, at, out_ok=available and list(people) == [by])
        if since is not None:
            self._check_time(clock.aware(since))
        self._authorise_mark(people, by, at)
        for person in people:
            self._plan.person(person)
            if available and person not in incident.absences:
                raise IncidentError("incident.not_unavailable", person=incident.person_name(person))
            if not available and person in incident.absences:
                raise IncidentError("incident.already_unavailable", person=incident.person_name(person))

    def check_message(self, by: str, at: datetime) -> None:
        """Check that a message sent by `by` at `at` can be recorded: a person of the plan, at a valid time.

        A message may be recorded once the incident is over: the resolution goes out after it closes.
        """
        if not self._incident.records:
            raise IncidentError("incident.not_open")
        self._check_actor(by, at, over_ok=True)

    def holders(
        self, transition: WorkflowTransition, level: str | None, at: datetime, processes: Sequence[str]
    ) -> list[Holding]:
        """Who may fire `transition` at `at` at `level` (None: no level's roles), gaps included."""
        definition = level_definition(self._plan, level) if level else None
        # The department head is the owner of what is down, through a site or system hit as well.
        hit = [*self._incident.affected(), *processes]
        roles = roles_for(self._plan, transition, definition, processes, hit=hit)
        return holders(self._plan, roles, self._incident.unavailable(at))

    def _authorise(self, transition: WorkflowTransition, attempt: Attempt, level: str | None) -> None:
        if "anyone" in transition.by:
            return
        if attempt.by is None:
            raise IncidentError("incident.needs_by", trigger=transition.id)
        found = self.holders(transition, level, attempt.at, attempt.processes)
        for held in found:
            if held.person == attempt.by:
                attempt.acting_as, attempt.rank, attempt.fallback = held.role.id, held.rank, held.fallback
                return
        raise IncidentError(
            "incident.not_authorised",
            trigger=transition.id,
            person=self._incident.person_name(attempt.by),
            holders=[self._incident.describe_holding(held) for held in found] or [Msg("incident.none")],
        )

    def _authorise_mark(self, people: Sequence[str], by: str, at: datetime) -> None:
        members = bcm_organisation(self._plan)
        if set(people) == {by} or by in members or self._incident.commander(at).person == by:
            return
        raise IncidentError(
            "incident.mark_not_authorised",
            person=self._incident.person_name(by),
            members=[self._incident.person_name(member) for member in members],
        )

    def _address(self, attempt: Attempt) -> None:
        """Find whom a report goes to: someone above the reporter wherever anyone is left."""
        incident = self._incident
        found = recipient_for(self._plan, incident.level, attempt.by, incident.unavailable(attempt.at))
        attempt.recipient = found[1] if found else None

    def _check_requirements(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        incident = self._incident
        for requirement in transition.requires:
            if requirement == "note" and not (attempt.note or "").strip():
                raise IncidentError("incident.needs_note", trigger=transition.id)
            owed = [duty for duty in incident.reports() if duty.owed] if requirement == "reported" else []
            if owed:
                raise IncidentError(
                    "incident.not_reported",
                    trigger=transition.id,
                    level=owed[0].level.id,
                    role=owed[0].recipient_role.name,
                )
            if requirement == "all-restored" and incident.waiting():
                raise IncidentError(
                    "incident.not_all_restored",
                    trigger=transition.id,
                    processes=self._names(incident.waiting()),
                )
        if ends(incident, transition) and incident.waiting() and not (attempt.note or "").strip():
            raise IncidentError(
                "incident.unrestored_needs_reason",
                trigger=transition.id,
                processes=self._names(incident.waiting()),
            )

    def _check_effect(self, transition: WorkflowTransition, attempt: Attempt) -> None:
        incident = self._incident
        effect = transition.effect
        unknown = [item for item in attempt.processes if not self._known(item)]
        if unknown:
            known = [f"{ref.item_in(self._plan).name} ({item_key(ref)})" for ref in every_item(self._plan)]
            raise IncidentError("incident.unknown_process", name=unknown, known=known)
        if effect in ("hit", "restore-process") and not attempt.processes:
            raise IncidentError("incident.needs_process", trigger=transition.id)
        again = [item for item in attempt.processes if item in incident.hit]
        if effect in ("open", "hit") and again:
            raise IncidentError("incident.already_hit", processes=self._names(again))
        # What is down through a dependency (shipping when the ERP it needs is hit) can be restored too.
        down = incident.affected()
        not_hit = [item for item in attempt.processes if item not in down]
        if effect == "restore-process" and not_hit:
            raise IncidentError("incident.not_hit", processes=self._names(not_hit))
        done = [item for item in attempt.processes if item in incident.restored]
        if effect == "restore-process" and done:
            raise IncidentError("incident.already_restored", processes=self._names(done))
        if effect == "restore-process":
            self._warn_dependencies_down(attempt.processes)
        order = level_ids(self._plan)
        if effect == "raise-level" and incident.level == order[0]:
            raise IncidentError("incident.level_top", trigger=transition.id, level=incident.level)
        if effect == "lower-level" and incident.level == order[-1]:
            raise IncidentError("incident.level_bottom", trigger=transition.id, level=incident.level)

    def _known(self, item: str) -> bool:
        """Whether `item` names a process (by identifier) or a system, site or supplier (`sites/…`)."""
        try:
            ref = item_ref(item)
        except KeyError:
            return False
        return ref.id in self._plan.collections[ref.collection]

    def _warn_dependencies_down(self, items: Sequence[str]) -> None:
        """Restoring a process while something it depends on is still down is allowed, with a warning."""
        incident = self._incident
        for item in items:
            keys = [item_key(ref) for ref in self._graph.dependencies(item_ref(item))]
            down = [key for key in keys if key in incident.hit and key not in incident.restored]
            if down:
                name = item_name(self._plan, item)
                incident.notices.append(
                    Msg("incident.dependency_down", {"process": name, "down": self._names(down)})
                )

    def _check_opening(self, attempt: Attempt) -> None:
        plan = self._plan
        if attempt.level is None:
            raise IncidentError("incident.needs_level", known=level_choices(plan))
        # The identifier as the plan writes it, as a log's is read: II for a plan that writes Ⅱ.
        attempt.level = logged_level(plan, attempt.level) or attempt.level
        level_definition(plan, attempt.level)
        collections = plan.collections
        scenarios = [*collections["risk_scenarios"], *collections["drill_scenarios"]]
        if attempt.scenario is not None and attempt.scenario not in scenarios:
            raise IncidentError("incident.unknown_scenario", name=attempt.scenario, known=scenarios)
        if attempt.exercise_kind is not None and not attempt.drill:
            raise IncidentError("incident.kind_without_drill")
        kinds = list(collections["exercise_kinds"])
        if attempt.exercise_kind is not None and attempt.exercise_kind not in kinds:
            raise IncidentError("incident.unknown_kind", name=attempt.exercise_kind, known=kinds)

    def _check_actor(
        self, by: str | None, at: datetime, *, out_ok: bool = False, over_ok: bool = False
    ) -> None:
        incident = self._incident
        if incident.over and not over_ok:
            raise IncidentError("incident.over", state=incident.state_name())
        people = list(self._plan.collections["people"])
        if by is not None and by not in people:
            raise IncidentError("incident.unknown_person", name=by, known=people)
        self._check_time(at)
        if by in incident.unavailable(at) and not out_ok:
            raise IncidentError("incident.actor_unavailable", person=incident.person_name(by))

    def _check_time(self, at: datetime) -> None:
        try:
            clock.aware(at)
        except ValueError as error:
            raise IncidentError("incident.time_naive", at=at.isoformat()) from error
        now = self._now()
        if at > now + FUTURE_TOLERANCE:
            raise IncidentError("incident.time_future", at=at.isoformat(), now=now.isoformat())
        opening = self._incident.opening
        if opening is not None and at < opening.at:
            raise IncidentError(
                "incident.time_before_opening", at=at.isoformat(), opened=opening.at.isoformat()
            )

    def _allowed(self) -> list[Msg]:
        triggers = self._incident.available_triggers()
        return [Msg("incident.trigger", {"id": item.id, "name": item.name}) for item in triggers] or [
            Msg("incident.none")
        ]

    def _names(self, items: Iterable[str]) -> list[str]:
        return [item_name(self._plan, item) for item in items]
