"""The `bcm` command: check a plan, write its schema, run an incident or a drill by it."""

from __future__ import annotations

import sys

import click

from bcmlib._version import __version__
from bcmlib.cli.lazy import LazyGroup
from bcmlib.cli.output import echo

__all__ = ["cli", "main"]

COMMANDS = {
    # name: ("module:command" in this package, imported only when the command runs; what `bcm --help` says)
    "build": ("site:build", "Build the handbook site, with its PDFs."),
    "calendar": ("exports:calendar", "The drill programme as an iCalendar file."),
    "check": ("checking:check", "Whether a plan passes its checks."),
    "coverage": ("coverage:coverage_command", "Which ISO 22301 clauses the plan answers."),
    "diff": ("changes:diff", "What changed between two versions of the plan."),
    "incident": ("incident:incident", "Record an incident or a drill; read its log."),
    "init": ("init:init", "Start a plan repository for a new company."),
    "publish": ("site:publish", "Publish the handbook's versions to a share."),
    "recovery-order": ("recovery:recovery_order_command", "What to recover first, and by when."),
    "render": ("render:render", "The handbook as plain files, for any site builder."),
    "schema": ("checking:schema", "The JSON Schema of a plan file."),
    "who-is-in-charge": ("succession:who_is_in_charge", "Who holds each role, given who is out."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bcm")
def cli() -> None:
    """Business continuity plan as data: check it and publish it."""


def main() -> None:
    """Run the CLI; an unexpected failure is one clear line, never a traceback."""
    try:
        cli(standalone_mode=True)
    except Exception as error:
        echo(f"bcm: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)
