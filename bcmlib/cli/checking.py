"""`bcm check` and `bcm schema`: whether a plan passes, and the schema its files are written to."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bcmlib.cli.common import OUTPUT_OPTION, echo, echo_block, lang_option, write_output
from bcmlib.i18n import Lang, translate
from bcmlib.loading.loader import read_plan
from bcmlib.schema import plan_file_schema
from bcmlib.untrusted import json_text
from bcmlib.validation.validator import validate

__all__ = ["check", "schema"]


@click.command()
@click.argument("plan", type=click.Path(path_type=Path), default="plan")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on warnings and on waived errors too.")
@click.option(
    "--as-of",
    "--today",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Age the plan's dates as of this day (YYYY-MM-DD; default: today).",
)
@lang_option
def check(plan: Path, output: str, strict: bool, as_of: Any, lang: Lang) -> None:
    """Load and validate PLAN (a folder or a file; default: plan).

    Exit 0 when the plan passes, 1 when it has errors (or, with --strict, warnings or waivers).
    """
    loaded, problems = read_plan(plan)
    if loaded is None:
        if output == "json":
            rows = [problem.as_dict(lang) for problem in problems]
            echo_block(json_text({"loaded": False, "problems": rows}))
        else:
            for problem in problems:
                echo(problem.describe(lang), err=True)
            echo(translate("cli.load_failed", lang, count=len(problems)), err=True)
        sys.exit(1)
    report = validate(loaded, today=as_of.date() if as_of else None)
    passed = report.passes(strict=strict)
    if output == "json":
        rows = [finding.as_dict(lang) for finding in report]
        result = {"loaded": True, "passed": passed, "findings": rows}
        echo_block(json_text(result))
    else:
        for finding in report:
            for line in finding.lines(lang):
                echo(line)
        counts = {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "waived": len(report.waived),
        }
        echo(translate("cli.summary", lang, **counts))
    sys.exit(0 if passed else 1)


@click.command()
@OUTPUT_OPTION
def schema(output: Path) -> None:
    """Write the JSON Schema of a plan file (for `# yaml-language-server: $schema=...`)."""
    write_output(output, json_text(plan_file_schema()) + "\n")
