"""`bcm init`: a new plan repository for a company adopting the tool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bcmlib import clock
from bcmlib.cli.common import echo, lang_option
from bcmlib.i18n import Lang, translate
from bcmlib.scaffold import ScaffoldError, scaffold

__all__ = ["init"]


@click.command()
@click.argument("target", type=click.Path(path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty; existing files are kept.")
@lang_option
def init(target: Path, force: bool, lang: Lang) -> None:
    """Write a new plan repository into TARGET (default: here), in the chosen language.

    A minimal plan with placeholders to fill in, mkdocs.yml, the hook, pre-commit and CI files and a
    README of the workflow. `bcm check plan` passes on it and lists every placeholder still to fill in.
    """
    try:
        done = scaffold(target, lang, clock.today(), force=force)
    except ScaffoldError as error:
        echo(f"bcm: {error}", err=True)
        sys.exit(1)
    for path in done.kept:
        echo(translate("cli.init.kept", lang, path=str(path)))
    echo(translate("cli.init.written", lang, count=len(done.written), target=str(target)))
    echo(translate("cli.init.next", lang, target=str(target)))
