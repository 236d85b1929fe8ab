"""`bcm recovery-order`: what an interruption takes down, in which order to recover it, and by when."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import click

from bcmlib import clock
from bcmlib.analysis.items import ItemRef, every_item
from bcmlib.cli.common import AS_OF_OPTION, PLAN_OPTION, Timestamp, checked_plan, echo, lang_option, split
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.incident.status_text import shown, when

__all__ = ["recovery_order_command"]


@click.command("recovery-order")
@click.option(
    "--hit",
    help="What was hit, comma-separated: processes, systems, sites or suppliers, by identifier or name "
    "(sites/warehouse when an identifier is shared; default: every process).",
)
@AS_OF_OPTION
@click.option(
    "--start",
    type=Timestamp(),
    help="When the interruption began (ISO 8601 with its zone; default: now, or BCM_AS_OF).",
)
@PLAN_OPTION
@lang_option
def recovery_order_command(hit: str | None, start: datetime | None, plan_path: Path, lang: Lang) -> None:
    """What was hit and every process that depends on it, in the order to recover them, with deadlines."""
    begin = start or clock.now()
    plan = checked_plan(plan_path, lang)
    try:
        order = recovery_order(plan, split(hit) or every_item(plan, ["process"]), begin)
    except IncidentError as error:
        # Not an incident command: a refusal is a usage error, as for every other plan query.
        raise click.ClickException(error.message(lang)) from error
    names = _labels(order)
    echo(translate("recovery.head", lang, start=when(begin)))
    for index, item in enumerate(order, start=1):
        line = translate(
            "recovery.item",
            lang,
            index=index,
            kind=Msg(f"recovery.kind.{item.kind}"),
            name=item.name,
            id=item.id,
            priority=shown(item.priority.name if item.priority else None),
            times=_times(item),
            deadline=when(item.deadline) if item.deadline else shown(None),
            needed_by=_linked("recovery.needed_by", [names[ref] for ref in item.needed_by]),
            affected_through=_linked(
                "recovery.affected_through", [] if item.hit else [names[ref] for ref in item.depends_on]
            ),
        )
        echo(line)


def _labels(order: list[RecoveryItem]) -> dict[ItemRef, str]:
    """Each item's name, with its identifier where another item in the order bears the same name."""
    counts = Counter(item.name for item in order)
    return {item.ref: item.name if counts[item.name] == 1 else f"{item.name} ({item.id})" for item in order}


def _times(item: RecoveryItem) -> Msg:
    """A process's RTO and RPO; the recovery time of anything else."""
    if item.kind == "process":
        return Msg("recovery.times_process", {"rto": shown(item.recovery_time), "rpo": shown(item.rpo)})
    return Msg("recovery.times_other", {"time": shown(item.recovery_time)})


def _linked(key: str, names: list[str]) -> Msg | str:
    """The note `key` naming `names`, or nothing when there are none."""
    return Msg(key, {"items": names}) if names else ""
