"""`bcm init`: a new plan repository, from the template files in `bcmlib/data/scaffold/`.

The templates are data: `common/` for every language (mkdocs.yml, the one-line hook, CI, pre-commit),
and one folder per language for the plan and the README. A name part `dot-x` is written as `.x` (a
wheel's package data leaves dot files out), a `.j2` file is rendered with Jinja2 and loses the suffix,
and a `.tmpl` file is copied as it is and loses the suffix (a `.py` there would be linted as the
library's own code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from jinja2 import Environment, StrictUndefined

from bcmlib.i18n import Lang, translate
from bcmlib.schema import plan_file_schema
from bcmlib.untrusted import json_text

__all__ = ["SCAFFOLD", "WAIVED_FOR", "Scaffold", "ScaffoldError", "scaffold"]

SCAFFOLD = files("bcmlib") / "data" / "scaffold"
WAIVED_FOR = timedelta(days=180)
"""How long the new plan's waivers of its empty RTO and RPO hold: time for a business impact analysis."""
SCHEMA = PurePosixPath("plan/plan.schema.json")
"""Written from the models, not a template, so editors check the plan against the installed version."""
_TEXT = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
"""Renders the templates: YAML and Markdown filled with dates and the locale's words, never plan text, so
nothing is escaped (the handbook's pages have their own environment, which escapes for Markdown)."""


class ScaffoldError(Exception):
    """The repository cannot be written where asked; the message says why."""


@dataclass(frozen=True)
class Scaffold:
    """What `scaffold` did: the files it wrote, and those it found and left as they were."""

    written: list[PurePosixPath]
    kept: list[PurePosixPath]


def scaffold(target: Path, lang: Lang, today: date, *, force: bool = False) -> Scaffold:
    """Write a new plan repository into `target`, in `lang`, as of `today`.

    A folder that holds anything is refused unless `force`; even then no file that exists is overwritten.
    """
    if target.exists() and not target.is_dir():
        raise ScaffoldError(translate("cli.init.not_a_folder", lang, target=str(target)))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(translate("cli.init.not_empty", lang, target=str(target)))
    context = {
        "lang": lang,
        "today": today.isoformat(),
        "until": (today + WAIVED_FOR).isoformat(),
        "site_name": translate("cli.init.site_name", lang),
    }
    contents = {path: _render(source, context) for path, source in _templates(lang)}
    contents[SCHEMA] = json_text(plan_file_schema()) + "\n"
    done = Scaffold([], [])
    for path, text in sorted(contents.items()):
        destination = target.joinpath(*path.parts)
        if destination.exists():
            done.kept.append(path)
            continue
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            message = translate("cli.init.cannot_write", lang, path=str(destination), reason=reason)
            raise ScaffoldError(message) from error
        done.written.append(path)
    return done


def _templates(lang: Lang) -> list[tuple[PurePosixPath, Traversable]]:
    """Every template file for `lang` with the path it is written to."""
    found: list[tuple[PurePosixPath, Traversable]] = []

    def walk(folder: Traversable, path: PurePosixPath) -> None:
        for entry in folder.iterdir():
            name = "." + entry.name.removeprefix("dot-") if entry.name.startswith("dot-") else entry.name
            if entry.is_dir():
                walk(entry, path / name)
            else:
                found.append((path / name.removesuffix(".j2").removesuffix(".tmpl"), entry))

    for folder in ("common", lang):
        walk(SCAFFOLD / folder, PurePosixPath())
    return found


def _render(source: Traversable, context: dict[str, str]) -> str:
    """The text a template file is written as: rendered if it is a Jinja2 template, else as it is."""
    text = source.read_text(encoding="utf-8")
    if source.name.endswith(".j2"):
        return _TEXT.from_string(text).render(context)
    return text
