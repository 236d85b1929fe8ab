"""Chinese text cut into words by the library, so a site's search finds them whatever engine built it.

Material's search runs lunr in the browser, which splits text into words at its separator and finds a
query only as a whole word or a word's start: Chinese, written without spaces, must reach it already
cut, with a zero-width space between words. Material's plugin cuts with jieba itself, but only while
jieba can be imported beside it, and a successor engine's search may not. So the built site's search
index is cut again here, from the text as written, with the plan's names whole (`search.dictionary_words`).

Zensical's own search matches within words, so its index is left as written: cut, a query spanning two
words would no longer match.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bcmlib.handbook.search import HAN, plan_tokenizer
from bcmlib.models import Plan

__all__ = ["MATERIAL_INDEX", "SEPARATOR", "segment_search_index", "segmenter"]

SEPARATOR = "\u200b"
"""What goes between two words: a zero-width space, which the search separator of every language lists."""

MATERIAL_INDEX = ("search/search_index.json", "search/search_index.js")
"""Material's search index, and the copy its offline plugin writes as a script for a file:// share."""

_SCRIPT = re.compile(r"^(?P<head>[^{]*)(?P<json>\{.*\})(?P<tail>[^}]*)$", re.DOTALL)
"""The offline copy: `var __index = {…}` around the same JSON."""


def segmenter(plan: Plan) -> Callable[[str], str]:
    """A function that cuts the Chinese in a text into words, the plan's names whole.

    Text cut before (by the engine) is cut anew from the characters as written.
    """
    tokenizer = plan_tokenizer(plan)

    @functools.cache
    def cut(run: str) -> str:
        # Pages repeat the same names and phrases: each run of characters is cut once per build. The
        # run is set apart from what touches it too: in 我是Charles, Charles is a word of its own.
        return SEPARATOR + SEPARATOR.join(tokenizer.cut(run)) + SEPARATOR

    def segment(text: str) -> str:
        cut_text = HAN.sub(lambda match: cut(match.group(0)), text.replace(SEPARATOR, ""))
        return cut_text.replace(SEPARATOR * 2, SEPARATOR).strip(SEPARATOR)

    return segment


def segment_search_index(site: Path, segment: Callable[[str], str]) -> list[Path]:
    """Cut the titles and text of the Material search index in `site`; return the files rewritten."""
    rewritten = []
    for name in MATERIAL_INDEX:
        path = site / name
        if not path.is_file():
            continue
        found = _SCRIPT.match(path.read_text(encoding="utf-8"))
        if found is None:
            continue
        index = json.loads(found["json"])
        for entry in index.get("docs", []):
            _cut_fields(entry, segment)
        body = json.dumps(index, separators=(",", ":"))
        path.write_text(found["head"] + body + found["tail"], encoding="utf-8")
        rewritten.append(path)
    return rewritten


def _cut_fields(entry: dict[str, Any], segment: Callable[[str], str]) -> None:
    for field in ("title", "text"):
        if isinstance(entry.get(field), str):
            entry[field] = segment(entry[field])
