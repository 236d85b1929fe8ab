"""Load a plan from a folder of YAML files (or one file) into a `Plan`, reporting every problem at once."""

from __future__ import annotations

import difflib
import gc
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bcmlib.i18n import Msg
from bcmlib.loading.problems import PlanLoadError, Problem, quoted
from bcmlib.loading.safe_yaml import ParsedFile, read_yaml
from bcmlib.locations import FieldPath, Location, SourceMap, format_field_path
from bcmlib.models import Plan
from bcmlib.models.base import ID_PATTERN, LEVEL_ID_PATTERN
from bcmlib.models.crisis import SERVICE_NUMBER_PATTERN
from bcmlib.models.document import VERSION_PATTERN

__all__ = ["PLAN_SUFFIXES", "collector_paused", "load_plan", "plan_files", "read_plan"]

PLAN_SUFFIXES = (".yaml", ".yml")


def load_plan(path: str | Path) -> Plan:
    """Load the plan in a folder of YAML files, or in one YAML file.

    Each file holds one or more top-level sections of the plan (`roles:`, `processes:`, ...); a section
    may appear in one file only.

    Args:
        path: A plan folder, or a single plan file.

    Returns:
        The plan, with the position of every value kept for the validator's messages.

    Raises:
        PlanLoadError: the plan cannot be read; its `problems` name every file, line, column and field
            that is wrong, and say how to fix it.
    """
    plan, problems = read_plan(Path(path))
    if plan is None:
        raise PlanLoadError(problems)
    return plan


def plan_files(path: Path) -> list[Path]:
    """The YAML files a plan path stands for, in the order they are read."""
    if path.is_dir():
        return sorted(child for child in path.iterdir() if child.suffix in PLAN_SUFFIXES and child.is_file())
    return [path]


def read_plan(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Load a plan, returning it (or None) with every problem found."""
    with collector_paused():
        return _read_plan(path)


def _read_plan(path: Path) -> tuple[Plan | None, list[Problem]]:
    if not path.exists():
        return None, [Problem("L17", Location(path))]
    try:
        files = plan_files(path)
    except OSError as error:
        return None, [Problem("L01", Location(path), params={"reason": error.strerror or str(error)})]
    if not files:
        return None, [Problem("L12", Location(path))]
    sources = SourceMap(path)
    merged: dict[str, Any] = {}
    problems: list[Problem] = []
    unreadable = False
    for file in files:
        parsed, file_problems = read_yaml(file)
        problems += file_problems
        if parsed is not None:
            problems += _merge_sections(parsed, merged, sources)
        # A file refused whole leaves its sections missing: that is not reported a second time.
        unreadable = unreadable or parsed is None or not isinstance(parsed.data, dict)
    try:
        plan = Plan.model_validate(merged)
    except ValidationError as error:
        problems += _schema_problems(error.errors(), merged, sources, skip_missing_sections=unreadable)
        return None, problems
    if problems:
        return None, problems
    plan._sources = sources
    return plan, []


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a plan's values and models are built, or checked.

    A large plan builds millions of acyclic objects, freed by their reference counts alone, and each
    collection pass rescans every one still alive: paused, a 10,000-process plan loads in about a third
    of the time, and validates in two thirds (benchmarks/load_validate.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _merge_sections(parsed: ParsedFile, merged: dict[str, Any], sources: SourceMap) -> list[Problem]:
    if not isinstance(parsed.data, dict):
        line, column = parsed.positions.get((), (1, 1))
        return [Problem("L13", Location(parsed.path, line, column))]
    problems = []
    for section, value in parsed.data.items():
        line, column = parsed.positions[(section,)]
        here = Location(parsed.path, line, column)
        if section not in Plan.model_fields:
            code, params = _unknown_key("L14", str(section), list(Plan.model_fields))
            problems.append(Problem(code, here, str(section), params))
        elif section in sources.sections:
            first = sources.locate((section,))
            problems.append(Problem("L15", here, section, {"first": str(first)}))
        else:
            merged[section] = value
            sources.sections[section] = parsed.path
    sources.positions[parsed.path] = parsed.positions
    return problems


def _schema_problems(
    errors: list[ErrorDetails], data: dict[str, Any], sources: SourceMap, *, skip_missing_sections: bool
) -> list[Problem]:
    problems = []
    for error in errors:
        loc = error["loc"]
        if skip_missing_sections and len(loc) == 1 and error["type"] == "missing":
            continue  # the section is probably in the file that could not be read
        code, params = _explain(error, loc)
        problems.append(Problem(code, sources.locate(loc), format_field_path(_data_path(loc, data)), params))
    return sorted(problems, key=lambda p: (str(p.location.file), p.location.line, p.location.column))


def _data_path(loc: Sequence[str | int], data: Any) -> FieldPath:
    """The part of a pydantic location that is in the YAML, plus a missing or unknown last key."""
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        if _holds(current, part):
            current = current[part]
        elif position == len(loc) - 1:
            current = None
        else:
            continue  # a union tag or validator name that pydantic adds to the location
        path.append(part)
    return tuple(path)


def _holds(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


# Pydantic error types and what the value should have been, for messages in the reader's language.
_EXPECTED_KIND = {
    "string_type": "text",
    "list_type": "list",
    "tuple_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "int_type": "number",
    "int_parsing": "number",
    "int_from_float": "number",
    "float_type": "number",
    "float_parsing": "number",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
}
# Our own value checks raise PydanticCustomError with these types (see bcmlib.models).
_OWN_TYPES = frozenset(
    {
        "duration", "return_period", "return_period_order", "retention", "role_holding", "times_range",
        "too_long", "period", "hidden_character", "multi_line", "blank", "reserved",
    }
)  # fmt: skip


def _explain(error: ErrorDetails, loc: Sequence[str | int]) -> tuple[str, dict[str, Any]]:
    """The message code and its parameters for one pydantic error."""
    kind = error["type"]
    key = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        return _unknown_key("L21", key, _fields_at(loc[:-1]))
    if kind == "missing":
        return ("L16" if len(loc) == 1 else "L22"), {"key": key}
    return "L20", {"reason": _reason(error), "value": quoted(error.get("input"))}


_PATTERNS = {
    VERSION_PATTERN: "version",
    SERVICE_NUMBER_PATTERN: "service_number",
    ID_PATTERN: "identifier",
    LEVEL_ID_PATTERN: "level_id",
}
"""What each of the models' text patterns asks for, by the reason that explains it."""

_REASONS: dict[str, Callable[[dict[str, Any]], Msg]] = {
    "literal_error": lambda ctx: Msg("load.reason.choice", {"expected": ctx["expected"]}),
    "union_tag_invalid": lambda ctx: Msg("load.reason.choice", {"expected": ctx["expected_tags"]}),
    "string_pattern_mismatch": lambda ctx: Msg(f"load.reason.{_PATTERNS.get(ctx['pattern'], 'identifier')}"),
    "too_short": lambda ctx: Msg("load.reason.too_short", {"min": ctx["min_length"]}),
    "greater_than_equal": lambda ctx: Msg("load.reason.range", {"limit": ctx["ge"]}),
    "less_than_equal": lambda ctx: Msg("load.reason.range", {"limit": ctx["le"]}),
}


def _reason(error: ErrorDetails) -> Msg | str:
    kind = error["type"]
    if kind in _EXPECTED_KIND:
        return Msg("load.reason.kind", {"kind": Msg(f"load.kind.{_EXPECTED_KIND[kind]}")})
    if kind in _OWN_TYPES:
        return Msg(f"load.reason.{kind}", dict(error.get("ctx", {})))
    explain = _REASONS.get(kind)
    # A pydantic check this project never expected keeps pydantic's own words: better than none.
    return explain(error.get("ctx", {})) if explain else error["msg"]


def _unknown_key(code: str, key: str, allowed: list[str]) -> tuple[str, dict[str, Any]]:
    """A "did you mean" message when a close key exists, otherwise (code + "a") the list of allowed keys."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return code, {"key": key, "suggestion": close[0]}
    return f"{code}a", {"key": key, "allowed": ", ".join(allowed)}


def _fields_at(loc: Sequence[str | int]) -> list[str]:
    """The keys allowed at a location, found by following the model's types along it."""
    current: Any = Plan
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        elif _is_union(current):
            current = next((member for member in get_args(current) if _tag(member) == part), None)
        if current is None:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif _is_union(tp) and type(None) in get_args(tp):
            rest = [arg for arg in get_args(tp) if arg is not type(None)]
            tp = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007 - built from a tuple
        else:
            return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _tag(member: Any) -> Any:
    if isinstance(member, type) and issubclass(member, BaseModel) and "kind" in member.model_fields:
        annotation = member.model_fields["kind"].annotation
        if get_origin(annotation) is Literal:
            return get_args(annotation)[0]
    return None
