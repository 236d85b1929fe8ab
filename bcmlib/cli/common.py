"""What the `bcm` commands share: options, argument types, and showing plan text safely."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bcmlib.i18n import LANGUAGES, Lang
from bcmlib.incident.errors import IncidentError
from bcmlib.loading.loader import read_plan
from bcmlib.models import Plan
from bcmlib.validation.validator import validate

__all__ = [
    "PLAN_OPTION",
    "Timestamp",
    "checked_plan",
    "lang_option",
    "now",
    "runnable_plan",
    "split",
    "visible",
]

lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True, help="Message language."
)
PLAN_OPTION = click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path),
    default="plan",
    show_default=True,
    envvar="BCM_PLAN",
    help="The plan folder or file.",
)


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 date or date and time; without a time zone it is local time."""

    name = "timestamp"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        """Parse `value`, or fail with click's usage error."""
        try:
            parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        except ValueError:
            self.fail(
                f"{value!r} is not a time such as 2026-11-24T09:30 or 2026-11-24T09:30+08:00", param, ctx
            )
        return parsed if parsed.tzinfo else parsed.astimezone()


def now() -> datetime:
    """The current time, in the local time zone."""
    return datetime.now().astimezone()


def split(text: str | None) -> list[str]:
    """A comma-separated list (ASCII or full-width commas), blanks dropped."""
    return [item.strip() for item in (text or "").replace("，", ",").split(",") if item.strip()]


def visible(text: str) -> str:
    """Plan text is not trusted: show control characters (terminal escapes) instead of obeying them."""
    return "".join(c if c.isprintable() or c == "\n" else c.encode("unicode_escape").decode() for c in text)


def checked_plan(path: Path, lang: Lang) -> Plan:
    """`runnable_plan` for a command that is not an incident: a plan with errors is a usage error."""
    try:
        return runnable_plan(path)
    except IncidentError as error:
        raise click.ClickException(visible(error.message(lang))) from error


def runnable_plan(path: Path) -> Plan:
    """The plan at `path`, loaded and free of errors; an incident is never run by a broken plan."""
    plan, problems = read_plan(path)
    if plan is None:
        raise IncidentError("incident.plan_unloadable", path=str(path), count=len(problems))
    errors = validate(plan).errors
    if errors:
        raise IncidentError("incident.plan_invalid", path=str(path), count=len(errors))
    return plan
