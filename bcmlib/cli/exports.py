"""`bcm calendar`: the drill programme as an iCalendar file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from bcmlib.cli.common import (
    AS_OF_OPTION,
    PLAN_OPTION,
    checked_plan,
    echo,
    lang_option,
    now,
    output_option,
    write_output,
)
from bcmlib.i18n import Lang, translate
from bcmlib.monitoring.drill_calendar import drill_calendar, planned_drills

__all__ = ["calendar"]


@click.command()
@PLAN_OPTION
@output_option("drills.ics")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: today).")
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True, help="How far ahead.")
@click.option(
    "--unannounced", is_flag=True, help="Include unannounced drills (for the BCM coordinator only)."
)
@AS_OF_OPTION
@lang_option
def calendar(plan_path: Path, output: Path, start: Any, months: int, unannounced: bool, lang: Lang) -> None:
    """Write the drill programme as an iCalendar file: one all-day event per drill, with its scenario."""
    plan = checked_plan(plan_path, lang)
    first: date = start.date() if start else now().date()
    until = first + timedelta(days=round(months * 365.25 / 12))
    drills = planned_drills(plan, first, until, unannounced=unannounced)
    write_output(output, drill_calendar(plan, drills, now(), lang).to_ical())
    message = translate(
        "calendar.written", lang, count=len(drills), start=first, until=until, path=str(output)
    )
    # Standard output holds the calendar itself then: the note goes to standard error.
    echo(message, err=str(output) == "-")
