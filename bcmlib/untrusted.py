"""Plan text written out where it cannot pass for anything else: a terminal line, JSON, a YAML record.

Plan text (names, titles, duties) comes from many hands and is not trusted. On a terminal a newline in
a name would forge a line of the output ("0 errors"), a carriage return or an ESC sequence would
overwrite or repaint what is shown, and a bidirectional override would make text read other than it is
stored. JSON readers pass C1 controls and bidi overrides on raw to whatever shows them. One test,
`hidden`, says which characters those are, so every output defends against the same set.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from typing import Any

import yaml

__all__ = ["hidden", "json_text", "one_line", "yaml_text"]

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls (C0, DEL, C1), format characters (bidi controls, zero-width spaces, tag characters), lone
surrogates, and the Unicode line and paragraph separators."""

_JOINER = "\u200d"
"""The zero-width joiner joins emoji sequences (👩‍💻); on its own it draws, moves and breaks nothing."""


def hidden(char: str) -> bool:
    """Whether `char` acts on the text around it instead of showing as itself (newline and tab too)."""
    return char != _JOINER and unicodedata.category(char) in _HIDDEN_CATEGORIES


def one_line(text: str) -> str:
    r"""`text` as one terminal line: each hidden character shown as its escape (`\n`, `\x1b`, `\u202e`).

    Everything else, Chinese, emoji and punctuation included, is left as it is.
    """
    return "".join(char.encode("unicode_escape").decode("ascii") if hidden(char) else char for char in text)


def json_text(data: Any) -> str:
    r"""`data` as indented JSON with its text readable (not `\u` codes), but every hidden character escaped.

    `json.dumps` escapes C0 controls in strings itself, so each newline left is the layout's own; the
    other hidden characters can only stand inside a JSON string, where a `\u` escape means the same
    character, so the data a tool reads is unchanged.
    """
    lines = json.dumps(data, ensure_ascii=False, indent=2).split("\n")
    return "\n".join("".join(_json_escape(c) if hidden(c) else c for c in line) for line in lines)


def _json_escape(char: str) -> str:
    r"""`char` as JSON `\u` escapes: a character past U+FFFF as its UTF-16 surrogate pair."""
    units = char.encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[i : i + 2].hex()}" for i in range(0, len(units), 2))


class _QuotingDumper(yaml.SafeDumper):
    """A dumper that writes text holding a hidden character double-quoted, where YAML escapes it."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Left to PyYAML, a text with a newline is written single-quoted across several lines: a value
    # would then start a line of its own. Double-quoted, every line break and control is an escape.
    style = '"' if any(hidden(char) for char in text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_QuotingDumper.add_representer(str, _represent_text)


def yaml_text(data: Any) -> str:
    r"""`data` as YAML (as `yaml.safe_dump`, Unicode kept, keys in order) whose lines are its own.

    No value is folded or spread over lines, so every line is one the YAML layout made. Any text with a
    hidden character is double-quoted, where YAML escapes controls and line breaks itself and
    `one_line`'s escape of a format character (`\u202e`) is the YAML escape of the same character.
    """
    dumped = yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False, width=sys.maxsize)
    return "\n".join(one_line(line) for line in dumped.split("\n"))
