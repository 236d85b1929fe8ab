"""`bcm render`: the handbook as plain files, for a site builder that runs no hooks."""

from __future__ import annotations

from pathlib import Path

import click

from bcmlib.cli.common import AS_OF_OPTION, echo, lang_option
from bcmlib.cli.output import refused
from bcmlib.cli.site import CONFIG_OPTION, REDACT_OPTION, SITE_PLAN_OPTION, build_environment
from bcmlib.i18n import Lang, translate

__all__ = ["render"]


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder to write into: docs/, theme/ and a mkdocs.yml that builds them.",
)
@CONFIG_OPTION
@REDACT_OPTION
@SITE_PLAN_OPTION
@AS_OF_OPTION
@lang_option
def render(out: Path, config: Path, redact: bool, plan_path: Path | None, lang: Lang) -> None:
    """Write the handbook's pages, calendar and theme into OUT, with a mkdocs.yml that builds them.

    Any MkDocs-compatible engine builds OUT's mkdocs.yml without the hook: `zensical build -f
    OUT/mkdocs.yml`, `properdocs build -f OUT/mkdocs.yml` or `mkdocs build -f OUT/mkdocs.yml`.
    The files hold what the plan holds: keep OUT where the plan is kept.
    """
    # Rendering needs the handbook extra (Jinja pages, the search dictionary): imported when run.
    from bcmlib.handbook.build import HandbookError  # noqa: PLC0415
    from bcmlib.handbook.rendering import render as render_handbook  # noqa: PLC0415

    env = build_environment(plan_path, redact=redact, pdf=False)
    with refused(HandbookError):
        written = render_handbook(config.absolute(), out.absolute(), env)
    echo(translate("cli.render.done", lang, config=str(written)))
