"""Problems found while reading a plan, and the error that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bcmlib.i18n import Lang, translate
from bcmlib.locations import Location

__all__ = ["PlanLoadError", "Problem", "quoted"]


_QUOTED = 60
"""How many characters of a wrong value a message quotes: enough to find it, never a page of digits."""


def quoted(value: object) -> str:
    """A wrong value as a message shows it: as Python writes it, cut short with `…` when long.

    Python's spelling shows a control character as an escape, never as itself.
    """
    text = repr(value)
    return text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """Something that stops a plan from loading, where it is, and how to fix it.

    `code` names a message in the catalogue; `params` fill it in. `path` is the field path inside the plan.
    """

    code: str
    location: Location
    path: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang = "zh") -> str:
        """The problem and its fix, in the reader's language."""
        return translate(f"load.{self.code}", lang, **self.params)

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The problem as plain data, for `--format json`; the same keys as a finding's."""
        where = self.location
        return {
            "code": self.code,
            "severity": "error",
            "field": self.path,
            "file": str(where.file),
            "line": where.line,
            "column": where.column,
            "message": self.message(lang),
        }

    def describe(self, lang: Lang = "zh") -> str:
        """One line: where, the code, the field, and the message."""
        where = f" [{self.path}]" if self.path else ""
        return f"{self.location}: {self.code}{where} {self.message(lang)}"

    def __str__(self) -> str:
        return self.describe("en")


class PlanLoadError(Exception):
    """The plan could not be loaded; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
