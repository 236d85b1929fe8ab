"""What every build needs and no edit changes is made once and kept: jieba's dictionary, the templates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# What a build asks of jieba, run in a fresh interpreter as each build is: the words of a name, cut.
_CUT = """
import sys
import jieba
if sys.argv[1] == "cached":  # a build that finds the cache must not build the dictionary again,
    jieba.Tokenizer.gen_pfdict = lambda self, f: sys.exit("built the dictionary again")
    # nor read the cache as jieba does, a few bytes at a time
    jieba.marshal.load = lambda file: sys.exit("read the cache by marshal.load")
from bcmlib.handbook.search import _dictionary_alone
print("/".join(_dictionary_alone().cut("模拟仓库火灾演练", HMM=False)))
"""


def _cut(cache_home: Path, expect: str) -> None:
    """Cut a text as a build in a fresh interpreter does, with `cache_home` as the user's cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    run = subprocess.run(
        [sys.executable, "-c", _CUT, expect], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "模拟/仓库/火灾/演练"


def test_the_dictionary_is_built_once_then_read_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "bcm-handbook" / "jieba" / "jieba.cache"
    _cut(tmp_path, "built")
    assert cache.is_file()
    assert cache.parent.stat().st_mode & 0o777 == 0o700  # jieba unmarshals it: nobody else writes there
    first = cache.read_bytes()
    _cut(tmp_path, "cached")
    assert cache.read_bytes() == first


def test_a_damaged_cache_is_built_again(tmp_path: Path) -> None:
    cache = tmp_path / "bcm-handbook" / "jieba" / "jieba.cache"
    _cut(tmp_path, "built")
    whole = cache.read_bytes()
    cache.write_bytes(whole[: len(whole) // 2])
    _cut(tmp_path, "built")
    assert cache.read_bytes() == whole
    _cut(tmp_path, "cached")


_TEMPLATES = """
import sys
import jinja2
if sys.argv[1] == "cached":
    jinja2.Environment.compile = lambda *args, **kwargs: sys.exit("compiled a template again")
from bcmlib.handbook.pages import _environment
environment = _environment("zh")
print(len([environment.get_template(name) for name in environment.list_templates()]))
"""


def test_the_handbook_s_templates_are_compiled_once(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    counts = []
    for expect in ("compiled", "cached"):
        run = subprocess.run(
            [sys.executable, "-c", _TEMPLATES, expect], capture_output=True, text=True, env=env, check=False
        )
        assert run.returncode == 0, run.stderr
        counts.append(int(run.stdout))
    assert counts[0] == counts[1] > 20
    (folder,) = tmp_path.iterdir()  # Jinja's folder for this user, only the user's to write
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(list(folder.glob("bcm-handbook-pages-*.cache"))) == counts[0]
