"""What the `bcm` commands share: options, argument types, and writing plan text safely."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from pydantic_core import PydanticCustomError

from bcmlib import clock
from bcmlib.cli.output import echo, echo_block
from bcmlib.i18n import LANGUAGES, Lang, translate
from bcmlib.incident.errors import IncidentError
from bcmlib.loading.loader import read_plan
from bcmlib.models import Plan
from bcmlib.models.base import check_text
from bcmlib.validation.validator import validate

__all__ = [
    "AS_OF_OPTION",
    "OUTPUT_OPTION",
    "PLAN_OPTION",
    "PROSE",
    "Prose",
    "Timestamp",
    "as_of_option",
    "checked_plan",
    "echo",
    "echo_block",
    "lang_option",
    "now",
    "output_option",
    "runnable_plan",
    "split",
    "write_output",
]

# Eager: read before the other options, so a wrong value of any of them is told in this language.
lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    is_eager=True,
    help="Message language.",
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


def output_option(default: str = "-") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`-o FILE`, as every command that writes a file takes it: `-` is standard output."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        default=default,
        show_default=True,
        help="Write to this file; - is standard output.",
    )


OUTPUT_OPTION = output_option()
"""`-o FILE`, standard output by default."""


def _pin(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = clock.parse(value.strip())
    except ValueError:
        raise click.BadParameter(
            translate("cli.bad_time", _lang(ctx), value=value, example=_example())
        ) from None
    ctx.with_resource(clock.pinned(moment))
    return moment


def as_of_option(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An option that sets the moment a command runs as of: every "now" and "today" in it is that moment."""
    return click.option(
        *names,
        "as_of",
        callback=_pin,
        expose_value=False,
        is_eager=True,
        help="The moment to run as of: a date, or a time with its zone (default: now, or BCM_AS_OF).",
    )


AS_OF_OPTION = as_of_option("--as-of")
"""`--as-of`, for every command."""


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 date and time with its zone: responders on different laptops must mean one moment."""

    name = "timestamp"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        """Parse `value`, or fail with click's usage error."""
        if isinstance(value, datetime):
            return value
        try:
            return clock.aware(datetime.fromisoformat(value.strip()), value)
        except ValueError:
            self.fail(translate("cli.bad_time", _lang(ctx), value=value, example=_example()), param, ctx)


class Prose(click.ParamType):  # type: ignore[type-arg]
    """Text typed on the command line that goes into the plan: a review's words, an action.

    The plan's own rule for text holds, so a pasted control character is a usage error here, not a
    record refused later.
    """

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Return `value`, or fail with click's usage error saying which character is wrong."""
        text = str(value)
        try:
            check_text(text, label=False)
        except PydanticCustomError as error:
            self.fail(translate(f"load.reason.{error.type}", _lang(ctx), **(error.context or {})), param, ctx)
        return text


PROSE = Prose()


def _lang(ctx: click.Context | None) -> Lang:
    """The language a command was asked to speak, for errors raised before it runs."""
    chosen = ctx.params.get("lang") if ctx is not None else None
    return chosen if chosen in LANGUAGES else "zh"


def _example() -> str:
    """A time in the form `--at` takes, in this machine's zone."""
    return now().replace(second=0, microsecond=0).isoformat()


def now() -> datetime:
    """The current moment (`BCM_AS_OF` when set), in the local time zone."""
    return clock.now()


def write_output(path: Path, content: str | bytes) -> None:
    """Write `content` to `path`, or to standard output when `path` is `-` (as for every -o)."""
    data = content.encode() if isinstance(content, str) else content
    if str(path) == "-":
        click.echo(data, nl=False)
    else:
        path.write_bytes(data)


def split(text: str | None) -> list[str]:
    """A comma-separated list (ASCII or full-width commas), blanks dropped."""
    return [item.strip() for item in (text or "").replace("，", ",").split(",") if item.strip()]


def checked_plan(path: Path, lang: Lang) -> Plan:
    """`runnable_plan` for a command that is not an incident: an unusable plan is a usage error."""
    try:
        return runnable_plan(path, lang)
    except IncidentError as error:
        raise click.ClickException(error.message(lang)) from error


def runnable_plan(path: Path, lang: Lang = "zh") -> Plan:
    """The plan at `path`, refused only when it cannot be used; its other errors are one warning line.

    Nothing that ages with the calendar (an expired waiver, a late review) may stop a command in a
    crisis: those errors are counted on standard error, by code, and `bcm check` lists them.
    """
    plan, problems = read_plan(path)
    if plan is None:
        raise IncidentError("incident.plan_unloadable", path=str(path), count=len(problems))
    report = validate(plan)
    if report.blocking:
        codes = sorted({finding.code for finding in report.blocking})
        raise IncidentError("incident.plan_invalid", path=str(path), count=len(report.blocking), codes=codes)
    if report.errors:
        counts = Counter(finding.code for finding in report.errors)
        codes = [f"{code}×{count}" if count > 1 else code for code, count in sorted(counts.items())]
        echo(
            translate("cli.plan_errors_ignored", lang, path=str(path), count=len(report.errors), codes=codes),
            err=True,
        )
    return plan
