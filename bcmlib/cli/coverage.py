"""`bcm coverage`: which ISO 22301 clauses the plan answers, and with which data."""

from __future__ import annotations

from pathlib import Path

import click

from bcmlib.cli.common import AS_OF_OPTION, PLAN_OPTION, checked_plan, echo, echo_block, lang_option
from bcmlib.i18n import Lang, translate
from bcmlib.monitoring.coverage import Coverage, coverage
from bcmlib.untrusted import json_text

__all__ = ["coverage_command"]


@click.command("coverage")
@PLAN_OPTION
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@AS_OF_OPTION
@lang_option
def coverage_command(plan_path: Path, output: str, lang: Lang) -> None:
    """Print the ISO 22301 coverage matrix: each clause, the plan data behind it, and the gaps."""
    plan = checked_plan(plan_path, lang)
    clauses = coverage(plan)
    if output == "json":
        rows = [{"clause": c.clause, "status": c.status.value, "answers": c.answers} for c in clauses]
        echo_block(json_text(rows))
        return
    for clause in clauses:
        subject = translate(f"coverage.clauses.{clause.clause}", lang)
        status = translate(f"coverage.{clause.status.value}", lang)
        line = f"{clause.clause:<6} {subject}{translate('punctuation.colon', lang)}{status}"
        if clause.missing:
            missing = f"{translate('coverage.missing', lang)} {', '.join(clause.missing)}"
            line = translate("punctuation.aside", lang, text=line, detail=missing)
        echo(line)
    counts = {status.value: sum(c.status == status for c in clauses) for status in Coverage}
    echo(translate("coverage.summary", lang, **counts))
