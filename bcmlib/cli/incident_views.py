"""`bcm incident status|review|diagram`: the views of an incident's log; nothing here writes to the log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bcmlib.cli.common import (
    OUTPUT_OPTION,
    PLAN_OPTION,
    PROSE,
    echo,
    echo_block,
    lang_option,
    now,
    runnable_plan,
    write_output,
)
from bcmlib.cli.running import LOG_OPTION, VIEW_OPTION, errors, load, say
from bcmlib.handbook.status_page import STATUS_PAGE, status_page
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.diagram import workflow_diagram
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.record_file import add_record
from bcmlib.incident.review import Action, IncidentReview, review_incident
from bcmlib.incident.status import IncidentStatus
from bcmlib.incident.status_text import shown, status_lines, when
from bcmlib.incident.succession import resolve_person
from bcmlib.models import Plan
from bcmlib.untrusted import json_text, yaml_text

__all__ = ["diagram", "review", "show_status", "status"]


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="html: one page that opens from a share with no script; json: the same for tools.",
)
@OUTPUT_OPTION
@click.option(
    "--to",
    "site",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Also write the HTML page as {STATUS_PAGE} in this folder (beside the published handbook).",
)
@VIEW_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def status(
    output_format: str,
    output: Path,
    site: Path | None,
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """Where the incident stands: level, commander, reports due, recovery and what is late, who is out."""
    with errors(lang):
        running = load(runnable_plan(plan_path, lang), log_path, lang)
        current = running.status(now())
    if site is not None:
        site.mkdir(parents=True, exist_ok=True)
        (site / STATUS_PAGE).write_text(status_page(current, lang), encoding="utf-8")
    if output_format == "json":
        write_output(output, json_text(current.as_data()) + "\n")
    elif output_format == "html":
        write_output(output, status_page(current, lang))
    else:
        show_status(current, lang)


def show_status(current: IncidentStatus, lang: Lang) -> None:
    """The status as lines of text."""
    for line in status_lines(current, lang):
        echo(line.text)


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "record", "json"]),
    default="text",
    show_default=True,
    help="record: only the exercise record, as YAML for plan/exercises.yaml; json: the review for tools.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Add the exercise record to this plan file (exercises.records), keeping its comments.",
)
@click.option(
    "--coordination",
    type=PROSE,
    help="How smoothly people coordinated (协调流畅度), in the reviewers' words.",
)
@click.option(
    "--action",
    "actions",
    type=(PROSE, str, str),
    multiple=True,
    metavar="TEXT OWNER DUE",
    help="An improvement action (改进项目): what, who owns it (person), due date (YYYY-MM-DD); repeatable.",
)
@VIEW_OPTION
@LOG_OPTION
@PLAN_OPTION
@lang_option
def review(
    output_format: str,
    into: Path | None,
    coordination: str | None,
    actions: tuple[tuple[str, str, str], ...],
    log_path: Path,
    plan_path: Path,
    lang: Lang,
) -> None:
    """The after-action review (ISO 22301 §8.5): RTO, RPO, reports, levels, backups, actions, the record."""
    with errors(lang):
        plan = runnable_plan(plan_path, lang)
        running = load(plan, log_path, lang)
        decided = [_action(plan, text, owner, due) for text, owner, due in actions]
        result = review_incident(running, now(), lang, coordination=coordination, actions=decided)
        if into is not None:
            add_record(into, result.record)
            say("review.added", lang, id=result.record.id, path=str(into))
            return
    record = yaml_text([result.record.model_dump(mode="json", exclude_defaults=True)])
    if output_format == "record":
        echo_block(record)
    elif output_format == "json":
        echo_block(json_text(result.as_data()))
    else:
        _show_review(result, lang)
        say("review.record", lang)
        echo_block(record)


def _action(plan: Plan, text: str, owner: str, due: str) -> Action:
    try:
        day = date.fromisoformat(due.strip())
    except ValueError as error:
        raise IncidentError("review.bad_due", due=due) from error
    return Action(text, resolve_person(plan, owner), day)


def _show_review(result: IncidentReview, lang: Lang) -> None:
    running = result.incident
    opening = running.records[0]
    zone = opening.at.tzinfo
    say(
        "review.head",
        lang,
        drill=Msg("incident.drill_mark") if running.drill else "",
        scenario=opening.scenario or "—",
        opened=when(opening.at, zone),
        state=running.state_name(),
    )
    say("review.levels", lang, levels=[f"{s.level.id} ({when(s.since, zone)})" for s in result.timeline])
    say("review.processes", lang)
    for item in result.processes:
        say(
            "review.process",
            lang,
            name=item.name,
            actual=shown(item.actual_text),
            rto=shown(item.rto),
            outcome=Msg(f"review.outcome.{item.outcome or 'unmeasured'}"),
            rpo_actual=shown(item.rpo_actual_text),
            rpo=shown(item.rpo),
        )
    met, measured = result.rto_achievement
    say(
        "review.rto_rate", lang, met=met, measured=measured, rate=f"{met / measured:.0%}" if measured else "—"
    )
    say("review.reports", lang)
    for report in result.reports:
        recipient = report.duty.recipient
        say(
            "review.report",
            lang,
            level=report.duty.level.id,
            role=report.duty.recipient_role.name,
            person=running.person_name(recipient) if recipient else "—",
            due=when(report.duty.due, zone) if report.duty.due else "—",
            at=when(report.duty.reported_at, zone) if report.duty.reported_at else "—",
            outcome=Msg(f"review.outcome.{report.outcome}"),
        )
    say("review.messages", lang)
    if running.plan.communication is None or not running.plan.communication.audiences:
        say("review.no_messages", lang)
    for message in result.messages:
        sent = message.due.sent
        say(
            "review.message",
            lang,
            audience=message.due.audience.name,
            stage=Msg(f"messages.stage.{message.due.stage}"),
            due=when(message.due.due, zone) if message.due.due else "—",
            at=when(sent.at, zone) if sent else "—",
            by=running.person_name(sent.by) if sent and sent.by else "—",
            outcome=Msg(f"review.outcome.{message.outcome}"),
        )
    say(
        "review.backups_line",
        lang,
        text=result.record.review.backup_availability if result.record.review else "—",
    )


@click.command()
@click.option("--log", "log_path", type=click.Path(path_type=Path, dir_okay=False), envvar="BCM_INCIDENT_LOG")
@PLAN_OPTION
@lang_option
def diagram(log_path: Path | None, plan_path: Path, lang: Lang) -> None:
    """The workflow as a Mermaid state diagram; with --log, the incident's current state is highlighted."""
    with errors(lang):
        plan = runnable_plan(plan_path, lang)
        current = load(plan, log_path, lang).state if log_path else None
        echo_block(workflow_diagram(plan, current, translate("incident.diagram_title", lang)))
