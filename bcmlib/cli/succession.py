"""`bcm who-is-in-charge`: who holds each role at a moment, given who is out; gaps, access, warnings."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import click

from bcmlib.cli.common import PLAN_OPTION, Timestamp, lang_option, now, runnable_plan, split
from bcmlib.cli.running import VIEW_OPTION, errors, say
from bcmlib.i18n import Lang, Msg
from bcmlib.incident.authority import rank_message
from bcmlib.incident.status_text import when
from bcmlib.incident.succession import Absence, outsiders_in_command, overloads, resolve_person, succession

__all__ = ["who_is_in_charge"]


def _since(text: str, moment: datetime) -> datetime:
    """A time with its zone, or a bare day (person-1@2026-11-10): midnight in the zone of `moment`."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return Timestamp().convert(text, None, click.get_current_context())
    return datetime.combine(day, time(), tzinfo=moment.tzinfo)


@click.command("who-is-in-charge")
@click.option(
    "--unavailable",
    "people",
    default="",
    help="People out, comma-separated, each as NAME or NAME@SINCE (ISO 8601 with its zone; default: --at).",
)
@VIEW_OPTION
@PLAN_OPTION
@lang_option
def who_is_in_charge(people: str, plan_path: Path, lang: Lang) -> None:
    """Who holds each role now, given who is unavailable and since when; gaps, emergency access, decisions."""
    moment = now()
    with errors(lang):
        plan = runnable_plan(plan_path, lang)
        absences = []
        for item in split(people):
            name, _, since = item.partition("@")
            began = _since(since, moment) if since else moment
            absences.append(Absence(resolve_person(plan, name), began))
        result = succession(plan, absences, moment)
    zone = moment.tzinfo
    names = [
        Msg("succession.out", {"person": plan.person(a.person).name, "since": when(a.since, zone)})
        for a in result.absences
    ]
    say("succession.head", lang, at=when(moment, zone), out=names or Msg("succession.nobody_out"))
    for held in result.holdings:
        if held.person is None:
            say("succession.gap", lang, role=held.role.name)
            continue
        skipped = [plan.person(person).name for person in held.skipped]
        say(
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
                {"at": when(access.opens_at, zone)},
            )
        )
        say(
            "succession.access",
            lang,
            text=access.response.text,
            state=state,
            grantees=grantees,
            any_of=access.response.any_of,
        )
    for chain in result.chains:
        if chain.person is None:
            say("succession.chain_gap", lang, text=chain.response.text)
            continue
        person = plan.person(chain.person).name
        say("succession.chain", lang, text=chain.response.text, person=person, rank=rank_message(chain.rank))
    for overload in overloads(plan, result.holdings):
        roles = [role.name for role in overload.roles]
        say("incident.warn_overload", lang, person=plan.person(overload.person).name, roles=roles)
    for held in outsiders_in_command(plan, result.holdings):
        say("incident.warn_outsider", lang, person=plan.person(held.person or "").name, role=held.role.name)
