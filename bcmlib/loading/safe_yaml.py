"""Read one YAML file safely, keeping the line and column of every value.

PyYAML's libyaml composer builds the node tree (fast, and no object is ever constructed from a tag); one
walk over the nodes then builds plain values, records positions, and refuses what a plan never needs:
duplicated keys, unsafe or unknown tags, merge keys, recursive aliases and alias bombs.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bcmlib.i18n import Msg
from bcmlib.loading.problems import Problem
from bcmlib.locations import FieldPath, Location, format_field_path

__all__ = ["ParsedFile", "read_yaml"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A plan of 10,000 processes has some 300,000 values; aliases may not blow a file up much past its size.
MAX_VALUES = 1_000_000
MAX_DEPTH = 64
_SAFE_TAGS = frozenset(SafeConstructor.yaml_constructors) - {"tag:yaml.org,2002:merge", None}
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class ParsedFile:
    """A YAML file's value and the (line, column) of each value by field path, both counted from 1."""

    path: Path
    data: Any = None
    positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_yaml(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    """Parse one file; on failure return no file and the problems that say why and where."""
    try:
        root = _compose(path, _decode(path, _read(path)))
        _expanded_size(root, path)
        parsed = ParsedFile(path)
        walk = _Walk(parsed)
        parsed.data = walk.value(root, ())
    except _Refused as refused:
        return None, [refused.problem]
    return (None, walk.duplicates) if walk.duplicates else (parsed, [])


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _Refused(
            Problem("L01", Location(path), params={"reason": error.strerror or str(error)})
        ) from None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(_WIDE_BOMS):
        raise _Refused(Problem("L02", Location(path, 1, 1), params={"encoding": "UTF-16/UTF-32"}))
    try:
        return raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        try:
            raw.decode("gb18030")
            encoding = "GBK/GB18030"
        except UnicodeDecodeError:
            encoding = "?"
        raise _Refused(Problem("L02", Location(path, line, column), params={"encoding": encoding})) from None


def _compose(path: Path, text: str) -> Node:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise _Refused(Problem("L04", Location(path, line, column), params={"reason": reason})) from None
    except yaml.YAMLError as error:
        raise _Refused(Problem("L04", Location(path), params={"reason": str(error)})) from None
    if root is None:
        raise _Refused(Problem("L05", Location(path)))
    return root


def _expanded_size(root: Node, path: Path) -> int:
    """Count the values the file expands to through its aliases, without expanding them.

    Each node is sized once (aliases share nodes), so a billion-laughs file is measured in a moment.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if key in active:
            raise _Refused(Problem("L07", Location(path, line, column)))
        if depth > MAX_DEPTH:
            raise _Refused(Problem("L08", Location(path, line, column), params={"limit": MAX_DEPTH}))
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        if total > MAX_VALUES:
            raise _Refused(Problem("L06", Location(path, line, column), params={"limit": MAX_VALUES}))
        return total

    return size(root, 0)


class _Walk:
    """Builds plain values from nodes, recording each value's position under its field path."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.scalars = SafeConstructor()
        self.duplicates: list[Problem] = []

    def refuse(self, code: str, node: Node, path: FieldPath, **params: Any) -> _Refused:
        location = Location(self.parsed.path, node.start_mark.line + 1, node.start_mark.column + 1)
        return _Refused(Problem(code, location, format_field_path(path), params))

    def value(self, node: Node, path: FieldPath) -> Any:
        self.parsed.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _SAFE_TAGS:
            raise self.refuse("L09", node, path, tag=node.tag)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        try:
            return self.scalars.construct_object(node)
        except (ConstructorError, ValueError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":  # looks like a date, but is no day of the calendar
                reason = Msg("load.reason.kind", {"kind": Msg("load.kind.date")})
                raise self.refuse("L20", node, path, reason=reason, value=repr(node.value)) from None
            raise self.refuse("L04", node, path, reason=str(error).splitlines()[0]) from None

    def mapping(self, node: MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.refuse("L10", key_node, path)
            if not isinstance(key_node, ScalarNode):
                raise self.refuse("L11", key_node, path)
            key = self.scalars.construct_object(key_node)
            key_path = (*path, key)
            if key in result:
                # Every duplicate is reported; the file is then refused whole, so neither value wins.
                self.duplicates.append(
                    self.refuse("L03", key_node, key_path, key=key, first=first_line[key]).problem
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.parsed.positions[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.value(value_node, key_path)
        return result
