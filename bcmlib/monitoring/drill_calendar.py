"""The drill programme as dated drills, and as an iCalendar file staff add to their calendars.

The plan sets how often each kind of exercise is held and which scenarios rotate; it does not date
each drill. The programme is laid out from that: each kind's drills fall every period from when the
next one is due (today, if it is overdue), and each drill takes the scenario that has waited longest.
Unannounced drills are left out unless asked for: a calendar would announce them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from bcmlib.i18n import Lang, translate
from bcmlib.models import DrillScenario, ExerciseKind, Plan
from bcmlib.validation.rules.exercises import kind_due

__all__ = ["PlannedDrill", "drill_calendar", "planned_drills"]

_YEAR = timedelta(days=365)


@dataclass(frozen=True)
class PlannedDrill:
    """One drill of the programme: its day, its kind and the scenario it exercises."""

    day: date
    kind: ExerciseKind
    scenario: DrillScenario | None


def planned_drills(
    plan: Plan, start: date, until: date | None = None, *, unannounced: bool = False
) -> list[PlannedDrill]:
    """The drills from `start` up to (not including) `until`, by default a year on, in date order."""
    until = until or start + _YEAR
    dated: list[tuple[date, int, ExerciseKind]] = []
    for order, kind in enumerate(plan.exercises.kinds):
        if not kind.announced and not unannounced:
            continue
        day = max(kind_due(plan, kind), start)
        while day < until:
            dated.append((day, order, kind))
            day += kind.every
    last_run = {scenario.id: date.min for scenario in plan.exercises.scenarios}
    for record in plan.exercises.records:
        if record.scenario in last_run:
            last_run[record.scenario] = max(last_run[record.scenario], record.date)
    scenarios = plan.collections["drill_scenarios"]
    drills = []
    for day, _, kind in sorted(dated, key=lambda entry: entry[:2]):
        # min() keeps plan order among scenarios that waited equally long.
        waited = min(last_run, key=last_run.__getitem__, default=None)
        if waited is not None:
            last_run[waited] = day
        drills.append(PlannedDrill(day, kind, scenarios[waited] if waited else None))
    return drills


def drill_calendar(plan: Plan, drills: list[PlannedDrill], stamp: datetime, lang: Lang = "zh") -> Calendar:
    """An iCalendar of all-day events, one per drill; `stamp` is when the file was made."""
    calendar = Calendar()
    calendar.add("prodid", "-//bcm-handbook//drill programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", translate("calendar.name", lang, document=plan.document.number))
    risks = plan.collections["risk_scenarios"]
    for drill in drills:
        scenario = drill.scenario
        event = Event()
        event.add("uid", f"{plan.document.number}-{drill.kind.id}-{drill.day.isoformat()}@bcm-handbook")
        event.add("dtstamp", stamp)
        event.add("dtstart", drill.day)
        event.add("dtend", drill.day + timedelta(days=1))
        name = scenario.name if scenario else translate("calendar.no_scenario", lang)
        event.add("summary", translate("calendar.summary", lang, kind=drill.kind.name, scenario=name))
        lines = [translate("calendar.scenario", lang, scenario=name)]
        risk = risks.get(scenario.risk) if scenario and scenario.risk else None
        if risk is not None:
            lines.append(translate("calendar.risk", lang, risk=risk.name))
        if plan.exercises.review_criteria:
            criteria = translate("list_separator", lang).join(plan.exercises.review_criteria)
            lines.append(translate("calendar.review", lang, criteria=criteria))
        event.add("description", "\n".join(lines))
        event.add("categories", [drill.kind.name])
        calendar.add_component(event)
    return calendar
