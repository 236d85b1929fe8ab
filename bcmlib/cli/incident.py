"""`bcm incident …` and `bcm who-is-in-charge`: run an incident or drill by the plan."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
import yaml

from bcmlib.cli.common import PLAN_OPTION, Timestamp, lang_option, now, runnable_plan, split, visible
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LogRecord
from bcmlib.incident.recovery import recovery_order
from bcmlib.incident.review import review_incident
from bcmlib.incident.session import LoggedIncident, logged_incident, read_incident
from bcmlib.incident.succession import Absence, holding, resolve_person, succession
from bcmlib.incident.workflow import LEVELS, Attempt, Incident, rank_message, workflow_diagram
from bcmlib.models import Plan
from bcmlib.models.values import Duration

__all__ = ["incident", "who_is_in_charge"]

LOG_OPTION = click.option(
    "--log",
    "log_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    envvar="BCM_INCIDENT_LOG",
    help="The incident's log file (JSON Lines).",
)
AT_OPTION = click.option("--at", type=Timestamp(), help="When it happened (ISO 8601; default: now).")


@contextmanager
def _errors(lang: Lang) -> Iterator[None]:
    """Turn a refused command into one line on stderr and exit status 1."""
    try:
        yield
    except IncidentError as error:
        click.echo(visible(f"bcm: {error.message(lang)}"), err=True)
        sys.exit(1)


def _say(key: str, lang: Lang, **params: object) -> None:
    click.echo(visible(translate(key, lang, **params)))


def _time(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def _text(value: object | None) -> str:
    """A value as the plan writes it, or a dash when it is missing (a zero duration is not missing)."""
    return "—" if value is None else str(value)


def _warn_torn(log_path: Path, logged: LoggedIncident, lang: Lang) -> None:
    if logged.torn_line is not None:
        click.echo(
            visible(translate("incident.torn", lang, path=str(log_path), line=logged.torn_line)), err=True
        )


def _load(plan: Plan, log_path: Path, lang: Lang) -> Incident:
    """The incident of a log, for reading."""
    logged = read_incident(plan, log_path)
    _warn_torn(log_path, logged, lang)
    if not logged.incident.records:
        raise IncidentError("incident.not_open_log", path=str(log_path))
    return logged.incident


def _append(
    plan_path: Path,
    log_path: Path,
    lang: Lang,
    act: Callable[[Plan, Incident], LogRecord],
    *,
    opening: bool = False,
) -> tuple[Incident, LogRecord]:
    """Run one command that appends to the log: locked, refused in one line if the log is not as expected."""
    with _errors(lang):
        plan = runnable_plan(plan_path)
        with logged_incident(plan, log_path) as logged:
            _warn_torn(log_path, logged, lang)
            running = logged.incident
            if opening == bool(running.records):
                raise IncidentError(
                    "incident.already_open" if opening else "incident.not_open_log", path=str(log_path)
                )
            return running, act(plan, running)


@click.group()
def incident() -> None:
    """Run an incident or a drill by the plan's workflow, and keep its log."""


@incident.command("open")
@click.option("--level", type=click.Choice(LEVELS), required=True, help="The crisis level first assessed.")
@click.option("--scenario", help="The risk scenario, or for a drill the drill scenario.")
@LOG_OPTION
@click.option("--drill", is_flag=True, help="This is a drill, not a real incident.")
@click.option("--kind", "exercise_kind", help="The kind of exercise, for a drill (such as tabletop).")
@click.option("--hit", help="Processes interrupted, comma-separated identifiers.")
@click.option("--by", help="Who raises the alert (a person of the plan); may be left out for an outsider.")
@click.option("--note", help="What happened.")
@AT_OPTION
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
        return running.fire(
            Attempt(
                running.opener().id,
                resolve_person(plan, by) if by else None,
                at or now(),
                note=note,
                processes=tuple(split(hit)),
                level=level,  # type: ignore[arg-type]
                scenario=scenario,
                drill=drill,
                exercise_kind=exercise_kind,
            )
        )

    running, record = _append(plan_path, log_path, lang, act, opening=True)
    _show_status(running, record.at, lang)


@incident.command()
@click.argument("trigger")
@click.option("--by", required=True, help="Who fires it: a person's identifier or name.")
@click.option("--note", help="Why; some triggers require it.")
@click.option("--process", "processes", help="Processes hit or restored, comma-separated identifiers.")
@AT_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def fire(
    trigger: str,
    by: str,
    note: str | None,
    processes: str | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """Fire TRIGGER of the workflow; refused, with the reason, unless the plan allows it now."""

    def act(plan: Plan, running: Incident) -> LogRecord:
        attempt = Attempt(
            trigger, resolve_person(plan, by), at or now(), note=note, processes=tuple(split(processes))
        )
        return running.fire(attempt)

    _say_recorded(*_append(plan_path, log_path, lang, act), lang)


@incident.command()
@click.argument("people")
@click.option("--by", required=True, help="Who reports it.")
@click.option("--since", type=Timestamp(), help="Since when they are out (default: --at).")
@AT_OPTION
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
@click.option("--by", required=True, help="Who reports it.")
@AT_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def available(people: str, by: str, at: datetime | None, log_path: Path, plan_path: Path, lang: Lang) -> None:
    """Record PEOPLE (comma-separated) as available again."""
    _mark(people, available=True, by=by, since=None, at=at, log_path=log_path, plan_path=plan_path, lang=lang)


def _mark(
    people: str,
    *,
    available: bool,
    by: str,
    since: datetime | None,
    at: datetime | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    def act(plan: Plan, running: Incident) -> LogRecord:
        names = [resolve_person(plan, name) for name in split(people)]
        return running.mark(
            names, available=available, by=resolve_person(plan, by), at=at or now(), since=since
        )

    _say_recorded(*_append(plan_path, log_path, lang, act), lang)


def _say_recorded(running: Incident, record: LogRecord, lang: Lang) -> None:
    transition = running.transitions.get(record.event)
    acting = (
        translate(
            "incident.acting_as",
            lang,
            role=running.plan.role(record.acting_as).name,
            rank=rank_message(record.rank),
        )
        if record.acting_as
        else ""
    )
    _say(
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


@incident.command()
@AT_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def status(at: datetime | None, log_path: Path, plan_path: Path, lang: Lang) -> None:
    """Where the incident stands: state, level, who commands, the report due, recovery, what can be fired."""
    with _errors(lang):
        running = _load(runnable_plan(plan_path), log_path, lang)
        _show_status(running, at or now(), lang)


def _show_status(running: Incident, at: datetime, lang: Lang) -> None:
    opening = running.records[0]
    plan = running.plan
    scenario = opening.scenario or "—"
    _say(
        "incident.status_head",
        lang,
        drill=Msg("incident.drill_mark") if running.drill else "",
        scenario=scenario,
        level=running.level,
        level_name=running.crisis_level.name,
        opened=_time(opening.at),
        plan=opening.plan or "—",
    )
    _say("incident.status_state", lang, state=running.state_name(), since=_time(running.records[-1].at))
    level = running.crisis_level
    command = holding(plan, plan.role(level.commander), running.unavailable(at))
    _say("incident.status_commander", lang, holding=running.describe_holding(command))
    if level.report_to is not None:
        due = running.report_due()
        if running.reported_at is not None:
            _say(
                "incident.status_reported",
                lang,
                role=plan.role(level.report_to).name,
                at=_time(running.reported_at),
            )
        elif due is not None:
            _say("incident.status_report_due", lang, role=plan.role(level.report_to).name, due=_time(due))
        else:
            _say("incident.status_report_no_deadline", lang, role=plan.role(level.report_to).name)
    for person, absence in running.absences.items():
        _say("incident.status_out", lang, person=running.person_name(person), since=_time(absence.since))
    if running.hit:
        _say("incident.status_processes", lang)
        order = recovery_order(plan, running.hit, opening.at, hit_at=running.hit)
        for index, item in enumerate(order, start=1):
            restored = running.restored.get(item.process.id)
            _say(
                "incident.status_process",
                lang,
                index=index,
                name=item.process.name,
                id=item.process.id,
                rto=_text(item.process.rto),
                deadline=_time(item.deadline) if item.deadline else "—",
                state=Msg("incident.restored_at", {"at": _time(restored)})
                if restored
                else Msg("incident.waiting"),
            )
    if running.over:
        return
    _say("incident.status_next", lang)
    for transition in running.available_triggers():
        if "anyone" in transition.by:
            who: object = Msg("incident.anyone")
        else:
            who = [running.describe_holding(held) for held in running.holders_for(transition, at)]
        _say("incident.status_trigger", lang, id=transition.id, name=transition.name, who=who)


@incident.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "record"]),
    default="text",
    show_default=True,
    help="`record` prints only the exercise record, as YAML for plan/exercises.yaml.",
)
@AT_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def review(output: str, at: datetime | None, log_path: Path, plan_path: Path, lang: Lang) -> None:
    """The after-action review: recovery times against RTO, report deadlines, backups used, the record."""
    with _errors(lang):
        running = _load(runnable_plan(plan_path), log_path, lang)
        result = review_incident(running, at or now(), lang)
    record = yaml.safe_dump(
        [result.record.model_dump(mode="json", exclude_defaults=True)], allow_unicode=True, sort_keys=False
    )
    if output == "record":
        click.echo(visible(record), nl=False)
        return
    opening = running.records[0]
    _say(
        "review.head",
        lang,
        drill=Msg("incident.drill_mark") if running.drill else "",
        scenario=opening.scenario or "—",
        opened=_time(opening.at),
        state=running.state_name(),
    )
    _say("review.processes", lang)
    for item in result.processes:
        _say(
            "review.process",
            lang,
            name=item.process.name,
            actual=str(Duration.of(item.actual)) if item.actual is not None else "—",
            rto=_text(item.process.rto),
            outcome=Msg(f"review.outcome.{item.outcome or 'unmeasured'}"),
        )
    met, measured = result.rto_achievement
    _say(
        "review.rto_rate", lang, met=met, measured=measured, rate=f"{met / measured:.0%}" if measured else "—"
    )
    _say("review.reports", lang)
    for report in result.reports:
        _say(
            "review.report",
            lang,
            level=report.level.id,
            role=running.plan.role(report.level.report_to or "").name,
            due=_time(report.due),
            at=_time(report.reported_at) if report.reported_at else "—",
            outcome=Msg(f"review.outcome.{report.outcome}"),
        )
    _say("review.record", lang)
    click.echo(visible(record), nl=False)


@incident.command()
@click.option("--log", "log_path", type=click.Path(path_type=Path, dir_okay=False), envvar="BCM_INCIDENT_LOG")
@PLAN_OPTION
@lang_option
def diagram(log_path: Path | None, plan_path: Path, lang: Lang) -> None:
    """The workflow as a Mermaid state diagram; with --log, the incident's current state is highlighted."""
    with _errors(lang):
        plan = runnable_plan(plan_path)
        current = _load(plan, log_path, lang).state if log_path else None
        click.echo(workflow_diagram(plan, current, translate("incident.diagram_title", lang)))


@click.command("who-is-in-charge")
@click.option(
    "--unavailable",
    "people",
    default="",
    help="People out, comma-separated, each as NAME or NAME@SINCE (ISO 8601; default: --at).",
)
@AT_OPTION
@PLAN_OPTION
@lang_option
def who_is_in_charge(people: str, at: datetime | None, plan_path: Path, lang: Lang) -> None:
    """Who holds each role now, given who is unavailable and since when; gaps, emergency access, decisions."""
    moment = at or now()
    with _errors(lang):
        plan = runnable_plan(plan_path)
        absences = []
        for item in split(people):
            name, _, since = item.partition("@")
            absences.append(
                Absence(
                    resolve_person(plan, name), Timestamp().convert(since, None, None) if since else moment
                )
            )
        result = succession(plan, absences, moment)
    names = [
        Msg("succession.out", {"person": plan.person(a.person).name, "since": _time(a.since)})
        for a in result.absences
    ]
    _say("succession.head", lang, at=_time(moment), out=names or Msg("succession.nobody_out"))
    for held in result.holdings:
        if held.person is None:
            _say("succession.gap", lang, role=held.role.name)
            continue
        skipped = [plan.person(person).name for person in held.skipped]
        _say(
            "succession.holding",
            lang,
            role=held.role.name,
            person=plan.person(held.person).name,
            rank=rank_message(held.rank),
            skipped=Msg("succession.skipped", {"people": skipped}) if skipped else "",
        )
    for access in result.accesses:
        grantees: list[str | Msg] = [plan.person(person).name for person in access.grantees] or [
            Msg("incident.none")
        ]
        state = (
            Msg("succession.access_closed")
            if access.opens_at is None
            else Msg(
                "succession.access_open" if access.open else "succession.access_opens",
                {"at": _time(access.opens_at)},
            )
        )
        _say(
            "succession.access",
            lang,
            text=access.response.text,
            state=state,
            grantees=grantees,
            any_of=access.response.any_of,
        )
    for chain in result.chains:
        who = Msg("succession.chain_gap") if chain.person is None else plan.person(chain.person).name
        _say("succession.chain", lang, text=chain.response.text, person=who, rank=rank_message(chain.rank))
