"""What the incident commands share: the log and time options, refusals as one line, times in one zone."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bcmlib.cli.common import Timestamp, as_of_option, echo, runnable_plan
from bcmlib.i18n import Lang, translate
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LogRecord
from bcmlib.incident.session import LoggedIncident, logged_incident, read_incident
from bcmlib.incident.workflow import Incident
from bcmlib.models import Plan

__all__ = [
    "AT_OPTION",
    "LOG_OPTION",
    "VIEW_OPTION",
    "append",
    "errors",
    "load",
    "say",
]

LOG_OPTION = click.option(
    "--log",
    "log_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    envvar="BCM_INCIDENT_LOG",
    help="The incident's log file (JSON Lines).",
)
AT_OPTION = click.option(
    "--at",
    type=Timestamp(),
    help="When it happened (ISO 8601 with its zone; default: now). Refused if before the incident opened "
    "or more than 5 minutes ahead of --as-of.",
)
VIEW_OPTION = as_of_option("--as-of", "--at")
"""The moment a view of the log is taken at: `--at` too, as the record commands name their time."""


@contextmanager
def errors(lang: Lang) -> Iterator[None]:
    """Turn a refused command into one line on stderr and exit status 1."""
    try:
        yield
    except IncidentError as error:
        echo(f"bcm: {error.message(lang)}", err=True)
        sys.exit(1)


def say(key: str, lang: Lang, **params: object) -> None:
    """Print one message as one line (`echo`)."""
    echo(translate(key, lang, **params))


def _warn_log(log_path: Path, logged: LoggedIncident, lang: Lang) -> None:
    for line in logged.torn_lines:
        echo(translate("incident.torn", lang, path=str(log_path), line=line), err=True)


def load(plan: Plan, log_path: Path, lang: Lang) -> Incident:
    """The incident of a log, for reading."""
    logged = read_incident(plan, log_path)
    _warn_log(log_path, logged, lang)
    if not logged.incident.records:
        raise IncidentError("incident.not_open_log", path=str(log_path))
    return logged.incident


def append(
    plan_path: Path,
    log_path: Path,
    lang: Lang,
    act: Callable[[Plan, Incident], LogRecord],
    *,
    opening: bool = False,
) -> tuple[Incident, LogRecord]:
    """Run one command that appends to the log: locked, refused in one line if the log is not as expected."""

    def waiting() -> None:
        echo(translate("incident.lock_waiting", lang, path=str(log_path)), err=True)

    with errors(lang):
        plan = runnable_plan(plan_path, lang)
        with logged_incident(plan, log_path, on_wait=waiting) as logged:
            _warn_log(log_path, logged, lang)
            running = logged.incident
            if opening == bool(running.records):
                raise IncidentError(
                    "incident.already_open" if opening else "incident.not_open_log", path=str(log_path)
                )
            record = act(plan, running)
    for notice in running.notices:
        echo(translate(notice.key, lang, **notice.params), err=True)
    return running, record
