"""Where a value of the plan was written: file, line, column, and the field path inside the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FieldPath", "Location", "SourceMap", "format_field_path"]

FieldPath = tuple[str | int, ...]


def format_field_path(path: Sequence[str | int]) -> str:
    """Write a field path the way a reader finds it in YAML: `roles[3].backups[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class Location:
    """A place in a plan file; `line` and `column` count from 1, and are 0 when the whole file is meant."""

    file: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else str(self.file)


@dataclass
class SourceMap:
    """For each plan section, the file that defines it and the position of every value in that file."""

    root: Path
    sections: dict[str, Path] = field(default_factory=dict)
    positions: dict[Path, Mapping[FieldPath, tuple[int, int]]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int]) -> Location:
        """The most precise known position for a field path; elements the YAML lacks are skipped.

        A path may hold elements that are not in the YAML (a pydantic union tag, or a missing key): the
        position is then that of the deepest value that is there.
        """
        if not path or not isinstance(path[0], str) or path[0] not in self.sections:
            return Location(self.root)
        file = self.sections[path[0]]
        index = self.positions.get(file, {})
        found: FieldPath = (path[0],)
        for part in path[1:]:
            if (*found, part) in index:
                found = (*found, part)
        line, column = index.get(found, (0, 0))
        return Location(file, line, column)
