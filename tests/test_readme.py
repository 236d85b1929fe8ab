"""The README's Python examples run as written and print what their comments say."""

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import PLAN_DIR

README = (PLAN_DIR.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS)
def test_example_runs(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    for expected in re.findall(r"^\s*print\(.*\)\s+# (.+)$", block, re.M):
        assert expected in printed
