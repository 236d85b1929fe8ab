"""Add an exercise record to a plan file in place, keeping everything its authors wrote.

PyYAML would drop the file's comments, so the file is edited with ruamel.yaml's round trip, and the result
is compared with the original: anything other than the new record's lines (and `records: []` opening up to
take it) would be a silent change to what people wrote, so the file is then left alone and the command
refused.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bcmlib.incident.errors import IncidentError
from bcmlib.models import ExerciseRecord

__all__ = ["add_record"]


def add_record(path: Path, record: ExerciseRecord) -> None:
    """Append `record` to `exercises.records` in the plan file at `path`; refuse a duplicate id."""
    original = path.read_text(encoding="utf-8")
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(original)
    exercises = data.get("exercises") if isinstance(data, CommentedMap) else None
    if not isinstance(exercises, CommentedMap):
        raise IncidentError("review.into_no_exercises", path=str(path))
    records = exercises.get("records")
    if records is None:
        records = exercises["records"] = CommentedSeq()
    if not isinstance(records, CommentedSeq):
        raise IncidentError("review.into_no_exercises", path=str(path))
    if any(isinstance(item, dict) and item.get("id") == record.id for item in records):
        raise IncidentError("review.into_duplicate", path=str(path), id=record.id)
    records.fa.set_block_style()
    records.append(_plain(record.model_dump(mode="json", exclude_defaults=True)))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    updated = buffer.getvalue()
    if not _only_added(original, updated):
        raise IncidentError("review.into_would_reformat", path=str(path))
    path.write_text(updated, encoding="utf-8")


def _plain(value: Any) -> Any:
    """Data as ruamel's block-style maps and lists, so the record reads like the rest of the file."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _plain(item)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_plain(item) for item in value)
        sequence.fa.set_block_style()
        return sequence
    return value


def _only_added(original: str, updated: str) -> bool:
    """True when `updated` is `original` with lines added (and at most an empty `records: []` opened)."""
    before, after = original.splitlines(), updated.splitlines()
    for tag, first, last, _, _ in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag in {"equal", "insert"}:
            continue
        if tag == "replace" and [line.strip() for line in before[first:last]] == ["records: []"]:
            continue
        return False
    return True
