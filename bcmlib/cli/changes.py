"""`bcm diff`: what changed between two versions of the plan."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from bcmlib.cli.common import PLAN_OPTION, echo, echo_block, lang_option
from bcmlib.i18n import Lang, translate
from bcmlib.loading.changes import PlanDiff, diff_plans
from bcmlib.loading.revisions import RevisionError, read_plan_at
from bcmlib.models import Plan
from bcmlib.untrusted import json_text

__all__ = ["diff"]


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@PLAN_OPTION
@lang_option
def diff(old: str, new: str | None, output: str, plan_path: Path, lang: Lang) -> None:
    """List what changed from OLD to NEW: each a plan folder or a git revision (tag, commit) of the plan.

    NEW defaults to the plan folder as it is now. Exit 0 when the versions are the same, 1 when they
    differ, 2 when one cannot be read (as `diff` does).
    """
    plans = [_read(version, plan_path, lang) for version in (old, str(plan_path) if new is None else new)]
    changes = diff_plans(*plans)
    if output == "json":
        echo_block(json_text(asdict(changes)))
    else:
        for line in _describe(changes, lang):
            echo(line)
    sys.exit(1 if changes else 0)


def _read(version: str, plan_path: Path, lang: Lang) -> Plan:
    try:
        plan, problems = read_plan_at(version, plan_path)
    except RevisionError as error:
        echo(f"bcm: {error}", err=True)
        sys.exit(2)
    if plan is None:
        for problem in problems:
            echo(problem.describe(lang), err=True)
        echo(translate("cli.load_failed", lang, count=len(problems)), err=True)
        sys.exit(2)
    return plan


def _describe(changes: PlanDiff, lang: Lang) -> list[str]:
    """The changes as lines: each is written by `echo`, so no changed value can start a line."""

    def say(key: str, **params: object) -> str:
        return translate(f"handbook.changes.{key}", lang, **params)

    lines = [say("summary", old=changes.old_version, new=changes.new_version)]
    if not changes:
        return [*lines, say("none")]
    lines += ["", f"## {say('holders')}"]
    lines += [f"- {c.name} ({c.role}): {' → '.join(c.old)}  ⇒  {' → '.join(c.new)}" for c in changes.holders]
    lines += ["", f"## {say('targets')}"]
    lines += [f"- {c.name} ({c.process}) {c.target.upper()}: {c.old} ⇒ {c.new}" for c in changes.targets]
    for kind in ("added", "removed", "changed"):
        lines += ["", f"## {say(kind)}"]
        for change in changes.of_kind(kind):
            shown = change.new if kind == "added" else change.old if kind == "removed" else None
            text = shown if shown is not None else f"{change.old} ⇒ {change.new}"
            lines.append(f"- {change.where}: {text}")
    return lines
