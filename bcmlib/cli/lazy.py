"""A command group that imports a command's module only when that command runs.

Every command's module brings what the command needs (the plan's models and rules, the handbook, the
incident machine), and together they take longer to import than any one command runs. `bcm --help`
lists the summaries of the group's table instead of importing the commands to read their help.
"""

from __future__ import annotations

from collections.abc import Mapping
from gettext import gettext as _
from importlib import import_module
from typing import Any

import click

from bcmlib.cli.usage import LocalizedGroup

__all__ = ["LazyGroup"]


class LazyGroup(LocalizedGroup):
    """A localized group whose commands are `name: ("module:attribute", summary)`, imported when run.

    `module` is a module of this package. The summary is what the group's help lists for the command;
    the command's own help is its docstring.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: D102
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: D102
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name][0].split(":")
            self.add_command(getattr(import_module(f"{__package__}.{module}"), attribute))
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:  # noqa: D102
        rows = [(name, self.lazy[name][1]) for name in sorted(self.lazy)]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)
