"""The tool's own docs build as this repository's docs (mkdocs.tool.yml), apart from any staff handbook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.example_company import find_example_company
from tests.handbook_site import ROOT, page


@pytest.fixture(scope="module")
def tool_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tool docs, built strict as `make docs` builds them."""
    folder = tmp_path_factory.mktemp("tool-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.tool.yml"), "-d", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return folder


def test_the_api_reference_documents_the_models_fields(tool_site: Path) -> None:
    reference = page(tool_site, "reference.html")
    assert reference.find(id="bcmlib.models.Process.rto") is not None
    assert "Recovery time objective" in reference.get_text()
    assert reference.find(id="bcmlib.incident.Incident") is not None
    assert reference.find(id="bcmlib.load_plan") is not None


def test_the_guides_are_generic(tool_site: Path) -> None:
    # The guides serve every company's coordinator: no example company's people, products or numbers.
    for name in ("index.html", "editing-the-plan.html", "running-an-incident.html", "reference.html"):
        article = page(tool_site, name).select_one("article")
        assert article is not None, name
        assert find_example_company(name, article.get_text(" ")) == []
