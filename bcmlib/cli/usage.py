"""Usage errors in the language the command was asked to speak: click writes its own in English.

`--lang zh` is the default, so a responder who mistypes an option reads why in Chinese, as every other
message of the command. The text of click's own message is kept after the translated lead, so nothing
click knows (the value given, the choices) is lost.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from bcmlib.cli.output import echo, echo_block
from bcmlib.i18n import LANGUAGES, Lang, translate

__all__ = ["LocalizedGroup", "requested_lang"]


def requested_lang(args: Sequence[str]) -> Lang:
    """The language `--lang` asks for in `args`, else the default (zh)."""
    for index, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in LANGUAGES:
            return value
    return "zh"


class LocalizedGroup(click.Group):
    """A group whose usage errors, its subcommands' included, are told in the requested language."""

    def main(  # noqa: D102
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        standalone = standalone_mode
        try:
            return super().main(given, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            if not standalone:
                raise
            _fail(error, requested_lang(given))
        except click.ClickException as error:
            if not standalone:
                raise
            # Our own refusals are already in the chosen language; click would lead them with "Error:".
            echo(f"bcm: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            if not standalone:
                raise
            echo(translate("cli.usage.aborted", requested_lang(given)), err=True)
            sys.exit(1)
        except OSError as error:
            if not standalone:
                raise
            # A file or folder the command could not read or write (not there, no permission, a full
            # disk): the system's reason and the path, for the user to mend; not a fault of the tool.
            path = error.filename if error.filename is not None else "—"
            reason = error.strerror or str(error)
            message = translate("cli.file_error", requested_lang(given), path=str(path), reason=reason)
            echo(f"bcm: {message}", err=True)
            sys.exit(1)


def _name(param: click.Parameter) -> str:
    """An option as it is typed (--format), an argument as usage shows it (TRIGGER)."""
    return param.opts[0] if isinstance(param, click.Option) and param.opts else param.human_readable_name


def _fail(error: click.UsageError, lang: Lang) -> NoReturn:
    context = error.ctx
    if isinstance(error, click.MissingParameter) and error.param is not None:
        lead = translate("cli.usage.missing", lang, option=_name(error.param))
    elif isinstance(error, click.NoSuchOption):
        lead = translate("cli.usage.no_such_option", lang, option=error.option_name)
    elif isinstance(error, click.BadParameter) and error.param is not None:
        lead = translate("cli.usage.bad_value", lang, option=_name(error.param))
    else:
        lead = translate("cli.usage.error", lang)
    if context is not None:
        echo_block(context.get_usage(), err=True)
    echo(f"{lead} ({error.format_message()})", err=True)
    if context is not None:
        echo(translate("cli.usage.try", lang, command=context.command_path), err=True)
    sys.exit(error.exit_code)
