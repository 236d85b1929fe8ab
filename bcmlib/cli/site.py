"""`bcm build` and `bcm publish`: the handbook site, built here or published to a share."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bcmlib import clock
from bcmlib.cli.common import AS_OF_OPTION, PLAN_OPTION, checked_plan, echo, lang_option
from bcmlib.cli.output import refused
from bcmlib.handbook.build import PLAN_ENV, HandbookError, handbook_language
from bcmlib.handbook.engines import DEFAULT_ENGINE, ENGINES, Engine, build_site
from bcmlib.handbook.publishing import PublishError, deploy, publish_branch, release_of
from bcmlib.i18n import Lang, translate

__all__ = [
    "CONFIG_OPTION",
    "ENGINE_OPTION",
    "REDACT_OPTION",
    "SITE_PLAN_OPTION",
    "build",
    "build_environment",
    "publish",
]

CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default="mkdocs.yml",
    show_default=True,
    help="The handbook's MkDocs configuration.",
)

ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="The site builder: MkDocs 1.6, or its successors ProperDocs and Zensical.",
)

REDACT_OPTION = click.option(
    "--redact", is_flag=True, help="Leave personal phones and mailboxes out, for a wider audience."
)

SITE_PLAN_OPTION = click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path, exists=True),
    help="Use this plan folder or file, wherever it is, instead of mkdocs.yml's extra.plan.",
)


@click.command()
@CONFIG_OPTION
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False), help="Build here instead.")
@REDACT_OPTION
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs, for a quicker look while editing.")
@SITE_PLAN_OPTION
@ENGINE_OPTION
@AS_OF_OPTION
def build(
    config: Path, site_dir: Path | None, plan_path: Path | None, redact: bool, no_pdf: bool, engine: Engine
) -> None:
    """Build the handbook site (with its PDFs) from the plan, as mkdocs.yml says."""
    env = build_environment(plan_path, redact=redact, pdf=not no_pdf)
    with refused(HandbookError):  # the plan, mkdocs.yml, or no engine installed
        status = build_site(engine, config, site_dir, env)
    sys.exit(status)


def build_environment(plan: Path | None, *, redact: bool, pdf: bool) -> dict[str, str]:
    """The environment a build runs in: the moment this command runs as of, the plan, the edition.

    The build runs in the engine's own process, which reads them from there, as mkdocs.yml's `!ENV`
    values and the hook do.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", clock.AS_OF: clock.now().isoformat()}
    if plan is not None:
        env[PLAN_ENV] = str(plan.absolute())
    if redact:
        env["BCM_REDACT"] = "true"
    if not pdf:
        env["BCM_PDF"] = "false"
    return env


@click.command()
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder readers open: a NAS share or a web server's root.",
)
@CONFIG_OPTION
@click.option(
    "--branch", default="gh-pages", show_default=True, help="The git branch the versions are kept on."
)
@click.option("--no-deploy", is_flag=True, help="Publish the versions on the branch as they are.")
@ENGINE_OPTION
@PLAN_OPTION
@AS_OF_OPTION
@lang_option
def publish(
    target: Path, config: Path, branch: str, no_deploy: bool, engine: Engine, plan_path: Path, lang: Lang
) -> None:
    """Deploy the plan's current version and publish every version to TARGET, atomically.

    The version is the last row of the plan's revision history; it becomes `latest`, and each version
    deployed before stays browsable. Readers of TARGET see the old site until the new one is complete.
    The version titles and the start page speak the handbook's language, as mkdocs.yml's
    theme.language says; --lang is the language of this command's own messages.
    """
    # MkDocs is the handbook extra's, and slow to import: only publishing needs it, not every bcm command
    # (a responder's `bcm incident` runs where the handbook is never built).
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import ConfigurationError  # noqa: PLC0415

    with refused(ConfigurationError, HandbookError):
        # As the build reads mkdocs.yml: its !ENV values, an INHERIT, Material's default language.
        site = handbook_language(load_config(config_file=str(config)).theme.get("language"))
    release = release_of(checked_plan(plan_path, lang), site)
    with refused(PublishError):
        if not no_deploy:
            deploy(release, config=config.absolute(), branch=branch, plan=plan_path, engine=engine)
            echo(translate("cli.publish.deployed", lang, version=release.version, branch=branch))
        versions = publish_branch(branch, target, repository=config.absolute().parent, lang=site)
    listed = translate("list_separator", lang).join(versions)
    done = translate("cli.publish.done", lang, target=str(target), versions=listed)
    echo(done)
