"""What the handbook's search needs from the plan: the words jieba must keep whole, and how pages rank.

Material's search plugin segments every run of Chinese characters with jieba at build time, and the
browser splits a query into the words the index holds. jieba guesses words it does not know, such as a
person's name, from their neighbours, so 柳转红 became 柳转/红 on one page and 柳/转红 on another, and
typing her name found neither. The user dictionary written here names those words once, so each
segments one way everywhere; a name made of words jieba knows (模拟/仓库/火灾) is left to them, so each
of its words still finds it.
"""

from __future__ import annotations

import functools
import marshal
import re
from collections.abc import Iterator
from pathlib import Path

# jieba ships no type information.
import jieba  # type: ignore[import-untyped]
from platformdirs import user_cache_dir

from bcmlib.handbook.pages import Part
from bcmlib.models import Plan

__all__ = ["DICTIONARY", "HAN", "dictionary_words", "plan_tokenizer", "search_meta", "write_dictionary"]

DICTIONARY = "jieba-user.txt"
"""The user dictionary's file name, in the folder the build gives it."""

HAN = re.compile(r"[\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
"""A run of Han characters: what the search plugin hands to jieba, one run at a time."""

_FREQUENCY = 100_000
"""How often jieba is to think a dictionary word occurs: near its commonest words (的 is 318,825 in 60
million), so a name stays whole beside any neighbour. Left out, jieba suggests 1 for 柳转红: whole only
where no neighbour forms a likelier word with one of its characters."""

_JIEBA_CACHE = "jieba.cache"
"""The name jieba gives the cache of its own dictionary, in its `tmp_dir`."""

_BOOSTS: dict[Part, float] = {"crisis": 5.0, "coordinator": 0.5}
"""The search boost of the pages of each part: a person in a crisis reaches for the crisis pages and their
runbook first; the coordinator's pages mention every name and term but are read at a desk."""


def search_meta(part: Part) -> dict[str, object]:
    """The front matter that ranks a generated page of the handbook's `part` in Material's search."""
    return {"search": {"boost": _BOOSTS[part]}}


def dictionary_words(plan: Plan) -> list[str]:
    """The words of the plan's names that jieba's own dictionary does not know, in a stable order.

    A name's Han runs are cut with jieba's dictionary alone (no guessing); each stretch of two or more
    single characters it leaves is a word jieba would otherwise guess at: a person's name (柳转红, 林婧),
    or a coined word (备援, 危化品).
    """
    words: dict[str, None] = {}
    for name in _names(plan):
        for run in HAN.findall(name):
            for word in _unknown(run):
                words.setdefault(word)
    return list(words)


def write_dictionary(plan: Plan, folder: Path) -> Path:
    """Write the plan's jieba user dictionary into `folder` (one `word frequency` a line); return its path."""
    path = folder / DICTIONARY
    lines = (f"{word} {_FREQUENCY}\n" for word in dictionary_words(plan))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def plan_tokenizer(plan: Plan) -> jieba.Tokenizer:
    """A jieba tokenizer that knows the plan's words, as the user dictionary tells the search plugin."""
    tokenizer = _copy(_dictionary_alone())
    for word in dictionary_words(plan):
        tokenizer.add_word(word, _FREQUENCY)
    return tokenizer


def _names(plan: Plan) -> Iterator[str]:
    """Every name the plan gives: people, roles and their aliases, processes, systems, sites and the rest."""
    for items in plan.collection_lists().values():
        for item in items:
            name = getattr(item, "name", None)
            if isinstance(name, str):
                yield name
    for role in plan.roles:
        yield from role.aliases


def _unknown(run: str) -> Iterator[str]:
    """The stretches of `run` that jieba's dictionary cuts into single characters, two or more long."""
    stretch = ""
    for piece in [*_dictionary_alone().cut(run, HMM=False), ""]:
        if len(piece) == 1:
            stretch += piece
            continue
        if len(stretch) > 1:
            yield stretch
        stretch = ""


@functools.cache
def _dictionary_alone() -> jieba.Tokenizer:
    """A jieba tokenizer with jieba's own dictionary, without the user words loaded into jieba since.

    The search plugin loads the user dictionary into jieba's shared tokenizer, and `mkdocs serve` builds
    again in the same process: without this copy, a name written once would look known the next time
    and drop out of the dictionary. Taken on first use, which the build makes before the plugin loads.
    """
    return _copy(_loaded(jieba.dt))


def _loaded(shared: jieba.Tokenizer) -> jieba.Tokenizer:
    """The shared jieba tokenizer with its own dictionary loaded, from a cache that outlives the build.

    jieba builds its prefix dictionary from its word list (seconds) and keeps it in a cache file, which
    it reads with `marshal.load` on the open file: a few bytes a call, 0.7 s of every build. Read whole
    and unmarshalled at once, it takes a fifth of that. The cache is kept in the user's cache folder,
    where it also outlives a reboot: not in the shared temporary folder, where anyone could leave a file
    for jieba to unmarshal.
    """
    with shared.lock:
        if not shared.initialized and shared.dictionary is None:  # None: jieba's own dictionary
            folder = Path(user_cache_dir("bcm-handbook")) / "jieba"
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                folder.chmod(0o700)  # mkdir's mode is cut by the umask, and the folder may be older
                shared.tmp_dir = str(folder)  # where jieba writes the cache when it builds the dictionary
                frequencies, total = marshal.loads((folder / _JIEBA_CACHE).read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                pass  # not built yet, or unusable: jieba builds it below and writes the cache
            else:
                shared.FREQ, shared.total, shared.initialized = frequencies, total, True
    shared.check_initialized()
    return shared


def _copy(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """A tokenizer with `tokenizer`'s words, whose words can be added to without changing `tokenizer`'s."""
    copy = jieba.Tokenizer(tokenizer.dictionary)
    copy.FREQ, copy.total, copy.initialized = dict(tokenizer.FREQ), tokenizer.total, True
    return copy
