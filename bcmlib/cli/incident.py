"""`bcm incident open|fire|unavailable|available|message`: record an incident or drill in its log.

The views of the same log (status, review, diagram) are in `incident_views`.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bcmlib.analysis.communication import STAGES
from bcmlib.analysis.items import item_key
from bcmlib.cli.common import (
    AS_OF_OPTION,
    PLAN_OPTION,
    Timestamp,
    echo,
    lang_option,
    now,
    runnable_plan,
    split,
)
from bcmlib.cli.incident_views import diagram, review, show_status, status
from bcmlib.cli.running import AT_OPTION, LOG_OPTION, append, errors, load, say
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.authority import rank_message
from bcmlib.incident.cadence import AudienceClock, audience_clock
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.items import resolve_items
from bcmlib.incident.levels import level_choices, parse_level
from bcmlib.incident.log import LogRecord
from bcmlib.incident.messages import Message, compose, resolve_audience
from bcmlib.incident.names import resolve_named
from bcmlib.incident.status_text import due_line, when
from bcmlib.incident.succession import resolve_person
from bcmlib.incident.workflow import Attempt, Incident
from bcmlib.loading.loader import read_plan
from bcmlib.models import Plan
from bcmlib.models.communication import Audience, MessageStage

__all__ = ["incident", "show_message"]


@click.group()
def incident() -> None:
    """Run an incident or a drill by the plan's workflow, and keep its log."""


for view in (status, review, diagram):
    incident.add_command(view)


def _items(plan: Plan, text: str | None) -> tuple[str, ...]:
    """What was hit or restored, by identifier or name; a process by its identifier, the rest qualified."""
    return tuple(item_key(ref) for ref in resolve_items(plan, split(text)))


def _scenario(plan: Plan, text: str | None) -> str | None:
    if text is None:
        return None
    collections = plan.collections
    known = [*collections["risk_scenarios"].values(), *collections["drill_scenarios"].values()]
    return resolve_named(known, text, "incident.unknown_scenario")


class _LevelOption(click.Option):
    """`--level`, whose help lists the levels of the plan that `BCM_PLAN` or the default `plan` names.

    The help is shown before `--plan` is read, so a plan given on the command line is not the one listed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.general_help = self.help or ""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        plan, _ = read_plan(Path(os.environ.get("BCM_PLAN") or "plan"))
        self.help = self.general_help
        if plan is not None and plan.crisis_levels:
            levels = translate("incident.levels_in_plan", "en", known=level_choices(plan))
            self.help = f"{self.general_help} {levels}"
        return super().get_help_record(ctx)


@incident.command("open")
@click.option(
    "--level",
    cls=_LevelOption,
    required=True,
    help="The crisis level first assessed, as the plan's crisis_levels name it: identifier (with or without "
    "级 or 'level'), name, or place in the list, 1 being the most severe.",
)
@click.option("--scenario", help="The risk scenario, or for a drill the drill scenario (identifier or name).")
@LOG_OPTION
@click.option("--drill", is_flag=True, help="This is a drill, not a real incident.")
@click.option("--kind", "exercise_kind", help="The kind of exercise, for a drill (identifier or name).")
@click.option("--hit", help="What was interrupted, comma-separated: processes, systems, sites, suppliers.")
@click.option("--by", help="Who raises the alert (a person of the plan); may be left out for an outsider.")
@click.option("--note", help="What happened.")
@AT_OPTION
@AS_OF_OPTION
@PLAN_OPTION
@lang_option
def open_incident(
    level: str,
    scenario: str | None,
    log_path: Path,
    drill: bool,
    exercise_kind: str | None,
    hit: str | None,
    by: str | None,
    note: str | None,
    at: datetime | None,
    plan_path: Path,
    lang: Lang,
) -> None:
    """Open an incident (or a drill) in a new log."""

    def act(plan: Plan, running: Incident) -> LogRecord:
        kind = exercise_kind and resolve_named(plan.exercises.kinds, exercise_kind, "incident.unknown_kind")
        return running.fire(
            Attempt(
                running.opener().id,
                resolve_person(plan, by) if by else None,
                at or now(),
                note=note,
                processes=_items(plan, hit),
                level=parse_level(level, plan),
                scenario=_scenario(plan, scenario),
                drill=drill,
                exercise_kind=kind or None,
            )
        )

    running, record = append(plan_path, log_path, lang, act, opening=True)
    show_status(running.status(record.at), lang)


@incident.command()
@click.argument("trigger")
@click.option("--by", required=True, help="Who fires it: a person's identifier or name.")
@click.option("--note", help="Why; some triggers require it.")
@click.option(
    "--process", "processes", help="What was hit or restored, comma-separated, by identifier or name."
)
@click.option(
    "--data-as-of", type=Timestamp(), help="For a restore: the moment the restored data reaches back to."
)
@AT_OPTION
@AS_OF_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def fire(
    trigger: str,
    by: str,
    note: str | None,
    processes: str | None,
    data_as_of: datetime | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """Fire TRIGGER (identifier or name); refused, with the reason, unless the plan allows it now."""

    def act(plan: Plan, running: Incident) -> LogRecord:
        chosen = _trigger(running, trigger)
        attempt = Attempt(
            chosen,
            resolve_person(plan, by),
            at or now(),
            note=note,
            processes=_items(plan, processes),
            data_as_of=data_as_of,
        )
        return running.fire(attempt)

    _say_recorded(*append(plan_path, log_path, lang, act), lang)


def _trigger(running: Incident, text: str) -> str:
    """A trigger by its identifier or name (开始恢复).

    An unknown one is left to the incident to refuse,
    with the triggers that can be fired now.
    """
    try:
        return resolve_named(running.workflow.transitions, text, "incident.unknown_trigger")
    except IncidentError:
        return text


@incident.command()
@click.argument("people")
@click.option("--by", required=True, help="Who records it: the person themself or the BCM organisation.")
@click.option("--since", type=Timestamp(), help="Since when they are out (default: --at).")
@AT_OPTION
@AS_OF_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def unavailable(
    people: str,
    by: str,
    since: datetime | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """Record PEOPLE (comma-separated) as unavailable: their roles pass to their backups."""
    _mark(
        people, available=False, by=by, since=since, at=at, log_path=log_path, plan_path=plan_path, lang=lang
    )


@incident.command()
@click.argument("people")
@click.option("--by", help="Who records it (default: the one person coming back, themself).")
@AT_OPTION
@AS_OF_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def available(
    people: str, by: str | None, at: datetime | None, log_path: Path, plan_path: Path, lang: Lang
) -> None:
    """Record PEOPLE (comma-separated) as available again; a person may say it of themself."""
    _mark(people, available=True, by=by, since=None, at=at, log_path=log_path, plan_path=plan_path, lang=lang)


def _mark(
    people: str,
    *,
    available: bool,
    by: str | None,
    since: datetime | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    def act(plan: Plan, running: Incident) -> LogRecord:
        names = [resolve_person(plan, name) for name in split(people)]
        actor = resolve_person(plan, by) if by else (names[0] if len(names) == 1 else None)
        if actor is None:
            raise click.UsageError(translate("incident.mark_needs_by", lang))
        return running.mark(names, available=available, by=actor, at=at or now(), since=since)

    _say_recorded(*append(plan_path, log_path, lang, act), lang)


def _say_recorded(running: Incident, record: LogRecord, lang: Lang) -> None:
    transition = running.transitions.get(record.event)
    acting = (
        translate(
            "incident.acting_as",
            lang,
            role=running.plan.role(record.acting_as).name,
            rank=rank_message(record.rank, record.fallback),
        )
        if record.acting_as
        else ""
    )
    say(
        "incident.recorded",
        lang,
        seq=record.seq,
        event=f"{record.event} ({transition.name})" if transition else record.event,
        person=running.person_name(record.by) if record.by else "—",
        acting=acting,
        source=running.state_name(record.source),
        dest=running.state_name(record.dest),
        level=record.level,
    )
    if record.recipient:
        say("incident.reported_to", lang, person=running.person_name(record.recipient))


@incident.command()
@click.option("--audience", required=True, help="Whom the message is for: an audience's identifier or name.")
@click.option(
    "--stage",
    type=click.Choice(STAGES),
    help="first-notice, update or resolution (default: what the log says comes next for the audience).",
)
@click.option("--sent", is_flag=True, help="Record in the log that the message went out (needs --by).")
@click.option("--by", help="Who sent it: a person's identifier or name.")
@AT_OPTION
@AS_OF_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def message(
    audience: str,
    stage: MessageStage | None,
    sent: bool,
    by: str | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """A message to an audience, ready to send, with the incident's facts; --sent records that it went out."""
    if sent and by is None:
        raise click.UsageError(translate("messages.sent_needs_by", lang))
    moment = at or now()
    if not sent:
        with errors(lang):
            running = load(runnable_plan(plan_path, lang), log_path, lang)
        chosen = _audience(running, audience, lang)
        with errors(lang):
            show_message(compose(running, chosen, moment, lang, stage), running, moment, lang)
        return
    shown: list[Message] = []

    def act(plan: Plan, running: Incident) -> LogRecord:
        chosen = _audience(running, audience, lang)
        composed = compose(running, chosen, moment, lang, stage)
        shown.append(composed)
        return running.message(chosen.id, composed.stage, by=resolve_person(plan, by or ""), at=moment)

    running, record = append(plan_path, log_path, lang, act)
    show_message(shown[0], running, moment, lang)
    say(
        "messages.recorded",
        lang,
        seq=record.seq,
        stage=Msg(f"messages.stage.{shown[0].stage}"),
        audience=shown[0].audience.name,
        at=when(record.at, running.records[0].at.tzinfo),
        person=running.person_name(record.by or ""),
    )
    _say_due(running, audience_clock(running, shown[0].audience), moment, lang)


def _say_due(running: Incident, clock: AudienceClock, at: datetime, lang: Lang) -> None:
    """When the next message to the audience is due, or that the level has no cadence to say it."""
    if clock.cadence is None and not running.over:
        say("messages.status_no_cadence", lang, level=running.level)
    echo(due_line(clock, at, running.records[0].at.tzinfo, lang).text.strip())


def _audience(running: Incident, text: str, lang: Lang) -> Audience:
    """The audience `text` names; an unknown one is a usage error that lists the plan's audiences."""
    try:
        return resolve_audience(running, text)
    except IncidentError as error:
        raise click.UsageError(error.message(lang)) from error


def show_message(composed: Message, running: Incident, at: datetime, lang: Lang) -> None:
    """The message, then who approves and sends it, by which channels, and when it is due."""
    say(
        "messages.head",
        lang,
        drill=Msg("incident.drill_mark") if running.drill else "",
        audience=composed.audience.name,
        id=composed.audience.id,
        stage=Msg(f"messages.stage.{composed.stage}"),
    )
    if composed.drafted:
        say("messages.draft", lang)
    if composed.subject is not None:
        say("messages.subject", lang, subject=composed.subject)
    say("messages.body", lang)
    for line in composed.body:
        echo(f"  {line}")
    for key, held in (("messages.approver", composed.approver), ("messages.sender", composed.sender)):
        say(key, lang, holding=running.describe_holding(held) if held else Msg("messages.not_set"))
    say("messages.channels", lang, channels=composed.audience.channels or Msg("messages.not_set"))
    _say_due(running, composed.clock, at, lang)
