"""`bcm` imports a command's module only when that command runs, and its help still lists every command."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from bcmlib.cli import COMMANDS, cli


def _modules_after(code: str) -> set[str]:
    """The packages a fresh interpreter has imported by its exit, having run `code`."""
    report = "json.dump([m.split('.')[0] for m in sys.modules], sys.stderr)"
    script = f"import atexit, json, sys\natexit.register(lambda: {report})\n{code}"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    return set(json.loads(run.stderr))


def test_the_help_lists_every_command_once_with_its_summary() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    for line, (_, summary) in zip(listed, (COMMANDS[name] for name in sorted(COMMANDS)), strict=True):
        assert " ".join(line.split()[1:]) == summary


def test_each_listed_command_is_the_command_of_that_name() -> None:
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert command.help, name
    assert cli.get_command(context, "no-such-command") is None


def test_starting_bcm_loads_no_plan_machinery() -> None:
    heavy = {"pydantic", "pydantic_core", "jinja2", "ruamel", "transitions", "icalendar", "graphviz"}
    assert not heavy & _modules_after("from bcmlib.cli import main\nsys.argv = ['bcm', '--help']\nmain()")
    assert not heavy & _modules_after("import bcmlib, bcmlib.cli")


def test_a_command_still_runs_and_refuses_in_the_language_asked() -> None:
    result = CliRunner().invoke(cli, ["who-is-in-charge", "--bogus", "--lang", "en"])
    assert result.exit_code == 2
    assert "No such option --bogus." in result.output
    unknown = CliRunner().invoke(cli, ["who-is-in-charge-now"])
    assert unknown.exit_code == 2
    assert "用法错误。" in unknown.output
