"""Read one YAML file safely, keeping the line and column of every value.

Values are built straight from libyaml's event stream with an explicit stack: no node tree, no recursion
(libyaml's own composer recurses in C and crashes on a file nested 100,000 levels deep), and no object
ever constructed from a tag. The same single pass records positions and refuses what a plan never
needs: duplicated keys, unsafe or unknown tags, merge keys, recursive aliases, alias bombs and absurd
nesting.
"""

from __future__ import annotations

import codecs
from array import array
from collections.abc import Callable, Iterator, Mapping
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
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from bcmlib.i18n import Msg
from bcmlib.loading.problems import Problem, quoted
from bcmlib.locations import FieldPath, Location, format_field_path

__all__ = ["MAX_DEPTH", "MAX_VALUES", "ParsedFile", "PositionIndex", "read_yaml"]

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
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_COLLECTION_TAGS = {
    MappingStartEvent: (None, "!", "tag:yaml.org,2002:map"),
    SequenceStartEvent: (None, "!", "tag:yaml.org,2002:seq"),
}
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class _Positions:
    """Where the items of one mapping or sequence were written, kept compact.

    The items' positions (for a mapping, its keys'), packed as `line << 32 | column`, are `size`
    entries from `start` of the file's one array of positions; `keys` are the mapping's keys in the
    same order (None for a sequence), a tuple shared by every mapping with the same keys; `inner` the
    positions inside each item that is itself a mapping or sequence. A 10,000-process plan has some
    650,000 positions: as a dict of path tuples they took more memory than the plan itself.
    """

    __slots__ = ("inner", "keys", "size", "start")

    def __init__(
        self,
        keys: tuple[Any, ...] | dict[Any, int] | None,
        start: int,
        size: int,
        inner: tuple[_Positions | None, ...] | None,
    ) -> None:
        self.keys = keys
        self.start = start
        self.size = size
        self.inner = inner

    def index(self, part: Any) -> int | None:
        """Which item `part` (a key, or an index) names, as a path lookup compares it; None if none."""
        keys = self.keys
        if keys is None:
            return part if isinstance(part, int) and 0 <= part < self.size else None
        if isinstance(keys, dict):
            return keys.get(part)
        try:
            return keys.index(part)
        except ValueError:
            return None

    def labels(self) -> Iterator[Any]:
        """Each item's key, or its index."""
        return iter(self.keys) if self.keys is not None else iter(range(self.size))


_MASK = (1 << 32) - 1
_LARGE_MAPPING = 16
"""Past this many keys, a mapping keeps its keys in a dict: a tuple's search would slow every lookup."""


def _unpack(mark: int) -> tuple[int, int]:
    return mark >> 32, mark & _MASK


class PositionIndex(Mapping[FieldPath, tuple[int, int]]):
    """The (line, column) of every value of one file, by field path, both counted from 1.

    A mapping key's path gives the key's position; a sequence item's, where the item starts; the empty
    path, where the file's value starts.
    """

    def __init__(
        self, root: int | None = None, positions: _Positions | None = None, marks: array[int] | None = None
    ) -> None:
        self._root = root
        self._positions = positions
        self._marks = marks if marks is not None else array("Q")

    def _find(self, path: object) -> int | None:
        """The packed position at `path`, or None; what a lookup costs in a message for each finding."""
        mark, positions = self._root, self._positions
        if mark is None or not isinstance(path, tuple):
            return None
        for part in path:
            index = None if positions is None else positions.index(part)
            if index is None or positions is None:
                return None
            mark = self._marks[positions.start + index]
            positions = positions.inner[index] if positions.inner is not None else None
        return mark

    def __getitem__(self, path: FieldPath) -> tuple[int, int]:
        mark = self._find(path)
        if mark is None:
            raise KeyError(path)
        return _unpack(mark)

    def __contains__(self, path: object) -> bool:
        return self._find(path) is not None

    def __iter__(self) -> Iterator[FieldPath]:
        if self._root is None:
            return
        stack: list[tuple[FieldPath, _Positions | None]] = [((), self._positions)]
        while stack:
            path, positions = stack.pop()
            yield path
            if positions is not None:
                inner = positions.inner or ()
                for index, label in reversed(list(enumerate(positions.labels()))):
                    stack.append(((*path, label), inner[index] if inner else None))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class ParsedFile:
    """A YAML file's value and the (line, column) of each value by field path, both counted from 1."""

    path: Path
    data: Any = None
    positions: Mapping[FieldPath, tuple[int, int]] = field(default_factory=PositionIndex)


def _position(event: Event) -> tuple[int, int]:
    """Line and column of an event, counted from 1."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _packed(event: Event) -> int:
    line, column = _position(event)
    return line << 32 | column


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


class _Frame:
    """An open mapping or sequence, waiting for its items."""

    __slots__ = ("anchor", "has_key", "inner", "key", "keys", "marks", "path", "skip", "start_count", "value")

    def __init__(
        self,
        path: FieldPath,
        value: dict[Any, Any] | list[Any],
        anchor: str | None,
        count: int,
        mapping: bool,
    ) -> None:
        self.path = path
        self.value = value
        self.anchor = anchor
        self.start_count = count
        self.key: Any = None
        self.has_key = False
        self.skip = False
        # A mapping's keys, each with its index in `marks`; None for a sequence.
        self.keys: dict[Any, int] | None = {} if mapping else None
        self.marks = array("Q")
        self.inner: dict[int, _Positions] = {}

    def positions(self, marks: array[int], shapes: dict[tuple[Any, ...], tuple[Any, ...]]) -> _Positions:
        """The finished collection's positions, moved to the end of the file's `marks`.

        Keys are kept as one tuple for each set of keys met (`shapes`): a plan's items of one kind
        mostly share theirs.
        """
        start = len(marks)
        marks.extend(self.marks)
        keys = self.keys
        stored: tuple[Any, ...] | dict[Any, int] | None = keys
        if keys is not None and len(keys) <= _LARGE_MAPPING:
            shape = tuple(keys)
            stored = shapes.setdefault(shape, shape)
        inner = tuple(map(self.inner.get, range(len(self.marks)))) if self.inner else None
        return _Positions(stored, start, len(self.marks), inner)


class _Builder:
    """Turns parser events into plain values, keeping positions and counting every value aliases add.

    A large plan sends a million events through here, so the common ones take short paths: a plain
    scalar that no implicit type can start with is text without asking the resolver, and field paths
    are built only for a message.
    """

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.documents = 0
        self.root: list[Any] = []
        self.root_mark: int | None = None
        self.root_positions: _Positions | None = None
        self.marks = array("Q")
        self.shapes: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # One string object for each key name: a 10,000-item plan writes `id` and `name` 40,000 times.
        self.names: dict[str, str] = {}
        self.duplicates: list[Problem] = []
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        # The first characters some implicit type (bool, int, date, null ...) may start with.
        self.typed_starts = frozenset(self.resolver.yaml_implicit_resolvers)
        # The tag of each plain scalar that starts like a typed one: "24h" and "4h" recur by the thousand.
        self.resolved: dict[str, str] = {}

    def run(self, text: str) -> None:
        try:
            self.consume(_Loader(text))
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
        self.parsed.positions = PositionIndex(self.root_mark, self.root_positions, self.marks)

    def consume(self, parser: Any) -> None:
        """Handle every event of the stream.

        Scalars, most of the events, are placed inline: a large plan sends over half a million of them
        through this loop, and two method calls more for each cost more than libyaml's parsing.
        """
        get_event, stack, scalar, names = parser.get_event, self.stack, self.scalar, self.names
        # Built here, not kept on the builder: bound methods held by their own object make a cycle, and
        # the collector, paused while a plan loads, would free neither the builder nor the file's values.
        handlers: dict[type[Event], Callable[[Any], None]] = {
            AliasEvent: self.alias,
            MappingStartEvent: self.start,
            SequenceStartEvent: self.start,
            MappingEndEvent: self.end,
            SequenceEndEvent: self.end,
            DocumentStartEvent: self.document,
        }
        try:
            while True:
                event = get_event()
                kind = type(event)
                if kind is not ScalarEvent:
                    if kind is StreamEndEvent:
                        return
                    handler = handlers.get(kind)
                    if handler is not None:
                        handler(event)
                    continue
                value = scalar(event)
                if not stack:
                    self.add(value, event)
                    continue
                frame = stack[-1]
                keys = frame.keys
                if keys is None:
                    mark = event.start_mark
                    frame.marks.append((mark.line + 1) << 32 | (mark.column + 1))
                    frame.value.append(value)  # type: ignore[union-attr]
                elif frame.has_key:
                    if not frame.skip:
                        frame.value[frame.key] = value
                    frame.has_key = frame.skip = False
                elif value in keys:
                    self.duplicate(frame, keys, value, event)
                else:
                    if type(value) is str:
                        value = names.setdefault(value, value)
                    keys[value] = len(frame.marks)
                    mark = event.start_mark
                    frame.marks.append((mark.line + 1) << 32 | (mark.column + 1))
                    frame.key, frame.has_key = value, True
        finally:
            parser.dispose()

    def scalar(self, event: ScalarEvent) -> Any:
        """The value of a scalar, counted, and kept under its anchor if it has one."""
        value: Any = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if event.implicit[0] and value[:1] in self.typed_starts:
                tag = self.resolved.get(value)
                if tag is None:
                    # types-PyYAML leaves BaseResolver.resolve untyped; it returns the tag as a string.
                    resolve = self.resolver.resolve
                    tag = self.resolved[value] = resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
            else:
                tag = _STR  # what the resolver says of a quoted scalar, or of a plain one no type starts
        if tag != _STR:
            value = self.construct(event, tag)
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.refuse("L06", event, self.here(), limit=MAX_VALUES)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return value

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
        if frame.keys is None:
            return (*frame.path, len(frame.value))
        return (*frame.path, frame.key) if frame.has_key else frame.path

    def count_values(self, added: int, event: Event) -> None:
        self.count += added
        if self.count > MAX_VALUES:
            raise self.refuse("L06", event, self.here(), limit=MAX_VALUES)

    def construct(self, event: ScalarEvent, tag: str) -> Any:
        """The value of a scalar that is not text: a number, a date, a truth value or nothing."""
        frame = self.stack[-1] if self.stack else None
        if tag == _MERGE and frame is not None and frame.keys is not None and not frame.has_key:
            raise self.refuse("L10", event, self.here())
        constructor = _SCALAR_TAGS.get(tag)
        if constructor is None:
            raise self.refuse("L09", event, self.here(), tag=tag)
        node = ScalarNode(tag, event.value, style=event.style)
        try:
            return constructor(self.constructor, node)
        except (ConstructorError, ValueError) as error:
            if tag == _TIMESTAMP:  # looks like a date, but is no day of the calendar
                reason = Msg("load.reason.kind", {"kind": Msg("load.kind.date")})
                raise self.refuse(
                    "L20", event, self.here(), reason=reason, value=quoted(event.value)
                ) from None
            if tag == _INT:  # more digits than Python converts: no count in a plan is that long
                reason = Msg("load.reason.digits", {"digits": len(event.value)})
                raise self.refuse(
                    "L20", event, self.here(), reason=reason, value=quoted(event.value)
                ) from None
            raise self.refuse("L04", event, self.here(), reason=str(error).splitlines()[0]) from None

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
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.keys is not None and not parent.has_key:
            raise self.refuse("L11", event, path)
        if len(self.stack) >= MAX_DEPTH:
            raise self.refuse("L08", event, path, limit=MAX_DEPTH)
        if parent is None:
            self.root_mark = _packed(event)
        elif parent.keys is None:
            parent.marks.append(_packed(event))
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.refuse("L06", event, path, limit=MAX_VALUES)
        mapping = type(event) is MappingStartEvent
        self.stack.append(_Frame(path, {} if mapping else [], event.anchor, self.count, mapping))

    def end(self, event: Event) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, self.count - frame.start_count + 1)
        positions = frame.positions(self.marks, self.shapes)
        if not self.stack:
            self.root.append(frame.value)
            self.root_positions = positions
            return
        parent = self.stack[-1]
        # The item's own position is in the parent already: its key's, or where the item started.
        if not parent.skip:
            parent.inner[len(parent.marks) - 1] = positions
        self.place(parent, frame.value, event)

    def add(self, value: Any, event: Event) -> None:
        """Place a finished scalar or alias in the open collection (or as the document's root)."""
        if not self.stack:
            self.root.append(value)
            if self.root_mark is None:
                self.root_mark = _packed(event)
            return
        frame = self.stack[-1]
        if frame.keys is None:
            frame.marks.append(_packed(event))
        self.place(frame, value, event)

    def place(self, frame: _Frame, value: Any, event: Event) -> None:
        if frame.keys is None:
            frame.value.append(value)  # type: ignore[union-attr]
        elif not frame.has_key:
            self.key(frame, frame.keys, value, event)
        else:
            if not frame.skip:
                frame.value[frame.key] = value
            frame.has_key, frame.skip = False, False

    def key(self, frame: _Frame, keys: dict[Any, int], key: Any, event: Event) -> None:
        if key in keys:
            self.duplicate(frame, keys, key, event)
        else:
            keys[key] = len(frame.marks)
            frame.marks.append(_packed(event))
            frame.key, frame.has_key = key, True

    def duplicate(self, frame: _Frame, keys: dict[Any, int], key: Any, event: Event) -> None:
        """Report a key the mapping already has, and skip its value.

        Every duplicate is reported; the file is then refused whole, so neither value wins.
        """
        first = frame.marks[keys[key]] >> 32
        self.duplicates.append(self.refuse("L03", event, (*frame.path, key), key=key, first=first).problem)
        frame.key, frame.has_key, frame.skip = key, True, True
