"""Read one YAML file safely, keeping the line and column of every value.

Values are built straight from libyaml's event stream with an explicit stack: no node tree, no recursion
(libyaml's own composer recurses in C and crashes on a file nested 100,000 levels deep), and no object
ever constructed from a tag. The same single pass records positions and refuses what a plan never
needs: duplicated keys, unsafe or unknown tags, merge keys, recursive aliases, alias bombs and absurd
nesting.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from bcmlib.i18n import Msg
from bcmlib.loading.problems import Problem, quoted
from bcmlib.locations import FieldPath, Location, format_field_path

__all__ = ["MAX_DEPTH", "MAX_VALUES", "ParsedFile", "read_yaml"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A plan of 10,000 processes has some 700,000 values; aliases may not blow a file up past this.
MAX_VALUES = 2_000_000
MAX_DEPTH = 64
_LIBYAML_DEPTH_LIMIT = "exceeded maximum nesting depth"
_SCALAR_TAGS = {
    tag: constructor
    for tag, constructor in SafeConstructor.yaml_constructors.items()
    if tag is not None and tag.rsplit(":", 1)[-1] in {"null", "bool", "int", "float", "timestamp", "str"}
}
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_COLLECTION_TAGS = {
    MappingStartEvent: (None, "!", "tag:yaml.org,2002:map"),
    SequenceStartEvent: (None, "!", "tag:yaml.org,2002:seq"),
}
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class ParsedFile:
    """A YAML file's value and the (line, column) of each value by field path, both counted from 1."""

    path: Path
    data: Any = None
    positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)


def _position(event: Event) -> tuple[int, int]:
    """Line and column of an event, counted from 1."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_yaml(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    """Parse one file; on failure return no file and the problems that say why and where."""
    parsed = ParsedFile(path)
    try:
        builder = _Builder(parsed)
        builder.run(_decode(path, _read(path)))
    except _Refused as refused:
        return None, [refused.problem]
    return (None, builder.duplicates) if builder.duplicates else (parsed, [])


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


@dataclass
class _Frame:
    """An open mapping or sequence, waiting for its items."""

    path: FieldPath
    value: dict[Any, Any] | list[Any]
    anchor: str | None
    start_count: int
    key: Any = None
    has_key: bool = False
    skip: bool = False
    key_lines: dict[Any, int] = field(default_factory=dict)


class _Builder:
    """Turns parser events into plain values, keeping positions and counting every value aliases add."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.documents = 0
        self.root: list[Any] = []
        self.duplicates: list[Problem] = []
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        self.handlers: dict[type[Event], Callable[[Any], None]] = {
            ScalarEvent: self.scalar,
            AliasEvent: self.alias,
            MappingStartEvent: self.start,
            SequenceStartEvent: self.start,
            MappingEndEvent: self.end,
            SequenceEndEvent: self.end,
            DocumentStartEvent: self.document,
        }

    def run(self, text: str) -> None:
        try:
            for event in yaml.parse(text, Loader=_Loader):
                handler = self.handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            if error.problem and _LIBYAML_DEPTH_LIMIT in error.problem:
                # libyaml 0.2.6 (PyYAML 6.0.4 wheels) scans ahead and stops deep nesting before we see it.
                location = Location(self.parsed.path, line, column)
                raise _Refused(
                    Problem("L08", location, format_field_path(self.here()), {"limit": MAX_DEPTH})
                ) from None
            reason = " ".join(part for part in (error.context, error.problem) if part)
            raise _Refused(
                Problem("L04", Location(self.parsed.path, line, column), params={"reason": reason})
            ) from None
        if not self.root or self.root[0] is None:
            raise _Refused(Problem("L05", Location(self.parsed.path)))
        self.parsed.data = self.root[0]

    def refuse(self, code: str, event: Event, path: FieldPath, **params: Any) -> _Refused:
        location = Location(self.parsed.path, *_position(event))
        return _Refused(Problem(code, location, format_field_path(path), params))

    def document(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.refuse("L04", event, (), reason="a plan file holds one YAML document; remove '---'")

    def here(self) -> FieldPath:
        """The field path of the value that starts now."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value))
        return (*frame.path, frame.key) if frame.has_key else frame.path

    def count_values(self, added: int, event: Event) -> None:
        self.count += added
        if self.count > MAX_VALUES:
            raise self.refuse("L06", event, self.here(), limit=MAX_VALUES)

    def scalar(self, event: ScalarEvent) -> None:
        path = self.here()
        tag = event.tag
        if tag is None or tag == "!":
            # types-PyYAML leaves BaseResolver.resolve untyped; it returns the tag as a string.
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        expecting_key = (
            bool(self.stack) and isinstance(self.stack[-1].value, dict) and not self.stack[-1].has_key
        )
        if tag == _MERGE and expecting_key:
            raise self.refuse("L10", event, path)
        constructor = _SCALAR_TAGS.get(tag)
        if constructor is None:
            raise self.refuse("L09", event, path, tag=tag)
        node = ScalarNode(tag, event.value, style=event.style)
        try:
            value = constructor(self.constructor, node)
        except (ConstructorError, ValueError) as error:
            if tag == _TIMESTAMP:  # looks like a date, but is no day of the calendar
                reason = Msg("load.reason.kind", {"kind": Msg("load.kind.date")})
                raise self.refuse("L20", event, path, reason=reason, value=quoted(event.value)) from None
            if tag == _INT:  # more digits than Python converts: no count in a plan is that long
                reason = Msg("load.reason.digits", {"digits": len(event.value)})
                raise self.refuse("L20", event, path, reason=reason, value=quoted(event.value)) from None
            raise self.refuse("L04", event, path, reason=str(error).splitlines()[0]) from None
        self.count_values(1, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.add(value, event)

    def alias(self, event: AliasEvent) -> None:
        anchor = event.anchor
        if any(frame.anchor == anchor for frame in self.stack):
            raise self.refuse("L07", event, self.here())
        if anchor not in self.anchors:
            raise self.refuse("L04", event, self.here(), reason=f"found undefined alias '{anchor}'")
        value, size = self.anchors[anchor]
        self.count_values(size, event)
        self.add(value, event)

    def start(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        path = self.here()
        if event.tag not in _COLLECTION_TAGS[type(event)]:
            raise self.refuse("L09", event, path, tag=event.tag)
        if self.stack and isinstance(self.stack[-1].value, dict) and not self.stack[-1].has_key:
            raise self.refuse("L11", event, path)
        if len(self.stack) >= MAX_DEPTH:
            raise self.refuse("L08", event, path, limit=MAX_DEPTH)
        self.record(path, event)
        self.count_values(1, event)
        container: dict[Any, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
        self.stack.append(_Frame(path, container, event.anchor, self.count))

    def end(self, event: Event) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, self.count - frame.start_count + 1)
        self.add(frame.value, event, started=False)

    def record(self, path: FieldPath, event: Event) -> None:
        self.parsed.positions.setdefault(path, _position(event))

    def add(self, value: Any, event: Event, *, started: bool = True) -> None:
        """Place a finished value in the open collection (or as the document's root)."""
        if started:
            self.record(self.here(), event)
        if not self.stack:
            self.root.append(value)
            return
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(value)
        elif not frame.has_key:
            self.key(frame, value, event)
        else:
            if not frame.skip:
                frame.value[frame.key] = value
            frame.has_key, frame.skip = False, False

    def key(self, frame: _Frame, key: Any, event: Event) -> None:
        line, column = _position(event)
        key_path = (*frame.path, key)
        if key in frame.key_lines:
            # Every duplicate is reported; the file is then refused whole, so neither value wins.
            first = frame.key_lines[key]
            self.duplicates.append(self.refuse("L03", event, key_path, key=key, first=first).problem)
            frame.skip = True
        else:
            frame.key_lines[key] = line
            self.parsed.positions[key_path] = (line, column)
        frame.key, frame.has_key = key, True
