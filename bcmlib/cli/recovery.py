"""`bcm recovery-order`: what to recover after an interruption, in which order, and by when."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from bcmlib import clock
from bcmlib.cli.common import PLAN_OPTION, Timestamp, checked_plan, lang_option, split, visible
from bcmlib.i18n import Lang, translate
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.recovery import recovery_order

__all__ = ["recovery_order_command"]


def _shown(value: object | None) -> str:
    """A value as the plan writes it, a time to the minute, or a dash when missing (zero is not missing)."""
    if value is None:
        return "—"
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)


@click.command("recovery-order")
@click.option("--hit", help="Processes interrupted, comma-separated identifiers (default: all).")
@click.option("--start", type=Timestamp(), help="When the interruption began (ISO 8601; default: now).")
@PLAN_OPTION
@lang_option
def recovery_order_command(hit: str | None, start: datetime | None, plan_path: Path, lang: Lang) -> None:
    """The processes hit, in the order to recover them, each with its deadline."""
    begin = start or clock.now()
    plan = checked_plan(plan_path, lang)
    try:
        order = recovery_order(plan, split(hit) or list(plan.collections["processes"]), begin)
    except IncidentError as error:
        # Not an incident command: a refusal is a usage error, as for every other plan query.
        raise click.ClickException(visible(error.message(lang))) from error
    click.echo(visible(translate("recovery.head", lang, start=_shown(begin))))
    for index, item in enumerate(order, start=1):
        line = translate(
            "recovery.item",
            lang,
            index=index,
            name=item.process.name,
            id=item.process.id,
            priority=item.priority.name,
            rto=_shown(item.process.rto),
            rpo=_shown(item.process.rpo),
            deadline=_shown(item.deadline),
        )
        click.echo(visible(line))
