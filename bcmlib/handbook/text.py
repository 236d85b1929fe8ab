"""Plan text made safe in Markdown: it shows as the characters typed, never as markup, links or HTML.

Every ASCII punctuation character is backslash-escaped (the `pymdownx.escapeall` extension turns any
escaped character into itself) and `<`, `>`, `&` become HTML entities, so a name like
`<script>alert(1)</script>` or a duty like `[x](javascript:alert(1))` reaches the page as text.
"""

from __future__ import annotations

import string

from markupsafe import Markup

__all__ = ["cell", "inline"]

_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_ESCAPES = {c: f"\\{c}" for c in string.punctuation} | _ENTITIES


def inline(value: object) -> Markup:
    """Plan text for a paragraph or list item: one line, nothing in it read as Markdown or HTML."""
    text = " ".join(str(value).split())
    return Markup("".join(_ESCAPES.get(c, c) for c in text))


def cell(value: object) -> Markup:
    """Plan text for a table cell: as `inline`, and an empty value shows as a dash."""
    if value is None or value in ("", []):
        return Markup("—")
    return inline(value)
