"""Drive the company's incident workflow in tests: fire triggers as someone allowed to, as they need."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.incident.workflow import Attempt, Incident
from bcmlib.models import Plan
from tests.conftest import PLAN_DIR

START = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=8)))

# The shortest way from the first alert to each state of plan/incident.yaml.
PATH_TO = {
    "normal": [],
    "alert": ["alert"],
    "assessment": ["alert", "assess"],
    "activated": ["alert", "assess", "report", "activate"],
    "response": ["alert", "assess", "report", "activate", "mobilise"],
    "recovery": ["alert", "assess", "report", "activate", "mobilise", "start-recovery"],
    "restored": [
        "alert",
        "assess",
        "report",
        "activate",
        "mobilise",
        "start-recovery",
        "restore-process",
        "restore",
    ],
}
PATH_TO["review"] = [*PATH_TO["restored"], "start-review"]
PATH_TO["closed"] = [*PATH_TO["review"], "close"]


def attempt_for(incident: Incident, trigger: str, at: datetime) -> Attempt:
    """An attempt at `trigger` by its first available holder, with the processes and note it needs."""
    transition = incident.transitions[trigger]
    by: str | None
    processes: tuple[str, ...] = ()
    if transition.effect in ("open", "hit"):
        processes = tuple(p.id for p in incident.plan.processes if p.id not in incident.hit)[:1]
    if transition.effect == "restore-process":
        processes = tuple(p for p in incident.hit if p not in incident.restored)[:1]
    if "anyone" in transition.by:
        by = None  # someone outside the plan: nobody who could be a report's recipient
    else:
        holders = incident.holders_for(transition, at, processes)
        by = next(held.person for held in holders if held.person is not None)
    return Attempt(trigger, by, at, note="测试", processes=processes, level="II", scenario="system-failure")


def fire_ready(incident: Incident, trigger: str, at: datetime) -> None:
    """Fire `trigger` after meeting its preconditions: the level's report, every process restored."""
    requires = incident.transitions[trigger].requires
    if "reported" in requires and any(duty.owed for duty in incident.reports()):
        incident.fire(attempt_for(incident, "report", at))
    while "all-restored" in requires and set(incident.hit) - set(incident.restored):
        incident.fire(attempt_for(incident, "restore-process", at))
    incident.fire(attempt_for(incident, trigger, at))


def drive(plan: Plan, triggers: list[str], start: datetime = START) -> Incident:
    """A new incident taken through `triggers`, one minute apart, each by someone allowed."""
    incident = Incident(plan)
    for minute, trigger in enumerate(triggers):
        incident.fire(attempt_for(incident, trigger, start + timedelta(minutes=minute)))
    return incident


class Drill:
    """One log, driven through `bcm incident` with one plan, as responders run it from the command line.

    Each command runs `--at` a moment that `at` fills into `when` (by default a day and time of November
    2026, such as `24T09:00`, at +08:00); one that should fail says so with `ok=False`.
    """

    def __init__(self, log: Path, plan: Path = PLAN_DIR, when: str = "2026-11-{}+08:00") -> None:
        self.log = log
        self.plan = plan
        self.when = when

    def run(self, *args: str, at: str, ok: bool = True) -> str:
        result = CliRunner().invoke(
            cli, [*args, "--at", self.when.format(at), "--log", str(self.log), "--plan", str(self.plan)]
        )
        assert (result.exit_code == 0) is ok, result.stdout + result.stderr
        return result.stdout + result.stderr

    def fire(self, trigger: str, by: str, at: str, *extra: str, ok: bool = True) -> str:
        return self.run("incident", "fire", trigger, "--by", by, *extra, at=at, ok=ok)

    def review(self, at: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run("incident", "review", "--format", "json", at=at))
        return data
