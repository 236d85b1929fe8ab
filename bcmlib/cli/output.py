"""How a command writes text: one line at a time, so that no plan text can forge a line of the output.

Apart from `common` (which re-exports them for the commands) because `common` reads plans: the group
and its usage errors write with these too, and must not import the plan's models to do so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from bcmlib.untrusted import one_line

__all__ = ["echo", "echo_block", "refused"]


def echo(text: str, *, err: bool = False) -> None:
    r"""Write one line of output: the only way a command writes text, so that none can forge a line.

    Every command lays its output out one line per call; a line break in `text` can then only come from
    plan text, and is shown escaped (`\n`) with every other control and bidi character (`one_line`).
    """
    click.echo(one_line(text), err=err)


def echo_block(text: str, *, err: bool = False) -> None:
    """Write text laid out in lines of its own making (JSON, YAML, a diagram, usage), each by `echo`."""
    for line in text.removesuffix("\n").split("\n"):
        echo(line, err=err)


@contextmanager
def refused(*kinds: type[Exception]) -> Iterator[None]:
    """An error of one of `kinds` (a plan, config or target the command cannot use): said, exit 1.

    Its message is the tool's own, one line per problem, each written by `echo`.
    """
    try:
        yield
    except kinds as error:
        echo_block(f"bcm: {error}", err=True)
        sys.exit(1)
