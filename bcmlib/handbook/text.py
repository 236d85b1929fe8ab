"""Plan text made safe in Markdown: it shows as the characters typed, never as markup, links or HTML.

Every ASCII punctuation character is backslash-escaped (the `pymdownx.escapeall` extension turns any
escaped character into itself) and `<`, `>`, `&` become HTML entities, so a name like
`<script>alert(1)</script>` or a duty like `[x](javascript:alert(1))` reaches the page as text. Inside a
code span Markdown reads no escapes, so text bound for one goes through `code` instead.
"""

from __future__ import annotations

import re
import string

from markupsafe import Markup

__all__ = ["cell", "code", "inline"]

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


def code(value: object) -> Markup:
    """Plan text as a code span: shown as typed, since a code span shows backslashes and HTML literally.

    The fence is one backtick longer than the longest run of backticks in the text, so none closes it.
    """
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    # Markdown strips one space at each end of a padded code span: the padding lets the text start or end
    # with a backtick.
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{padding}{text}{padding}{fence}")
