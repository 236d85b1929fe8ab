"""The library is generic: a second company's handbook and tool output show nothing of the example company.

The second company (tests/fixtures/second_company) is a manufacturer with its own people, document and
form numbers, a plant, other levels' deadlines and other role names, and plan files cut differently. Its
site is built with PDFs by the real MkDocs from a config of its own that points at the plan by an
absolute path, and everything it produces is searched for the example company's names and numbers.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tests.example_company import Hit, find_example_company
from tests.handbook_site import ROOT, build, page

SECOND = ROOT / "tests" / "fixtures" / "second_company"


def _bcm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bcmlib", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# Built once for the session: the department, preparedness and impact tests read the same site.
@pytest.fixture(scope="session")
def second_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second company's handbook with its PDFs, from the repository's mkdocs.yml set to its plan."""
    project = tmp_path_factory.mktemp("second-company")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = _replace_once(config, "\n  plan: plan\n", f"\n  plan: {json.dumps(str(SECOND))}\n")
    config = _replace_once(
        config, "  - hooks/handbook.py\n", f"  - {json.dumps(str(ROOT / 'hooks' / 'handbook.py'))}\n"
    )
    # MkDocs refuses a watch path that does not exist, and this project has neither plan/ nor hooks/.
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)
    docs_dir = re.search(r"^docs_dir: (\S+)$", config, flags=re.MULTILINE)
    (project / (docs_dir[1] if docs_dir else "docs")).mkdir()
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = project / "site"
    result = build(project, site, BCM_PDF="true")
    assert result.returncode == 0, result.stderr
    return site


def test_the_second_company_s_plan_checks_clean_and_cites_its_own_forms() -> None:
    result = _bcm("check", str(SECOND))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MFG-F-12「数据恢复验证单」" in result.stdout  # BAK002: the data set's verification form
    assert "MFG-F-13「岗位培训签到表」" in result.stdout  # TRN001: the training-record form
    assert find_example_company("bcm check", result.stdout + result.stderr) == []


def test_the_second_company_s_pages_carry_its_own_deadlines_roles_and_forms(second_site: Path) -> None:
    home = page(second_site, "index.html").get_text(" ", strip=True)
    assert "30 分钟" in home
    assert "4 小时" in home
    assert "周岚" in home
    assert "方明" in home
    assert "MFG-F-12" in page(second_site, "systems.html").get_text()
    assert "MFG-F-13" in page(second_site, "governance.html").get_text()


def test_no_output_shows_the_example_company_s_names_or_numbers(second_site: Path, tmp_path: Path) -> None:
    texts: dict[str, str] = {}
    for path in sorted(second_site.rglob("*.html")) + sorted(second_site.rglob("*.ics")):
        texts[path.relative_to(second_site).as_posix()] = path.read_text(encoding="utf-8")
    index = json.loads((second_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts["search/search_index.json"] = json.dumps(index, ensure_ascii=False)
    pdfs = sorted(second_site.rglob("*.pdf"))
    for path in pdfs:
        reader = pypdf.PdfReader(path)
        texts[path.relative_to(second_site).as_posix()] = "\n".join(p.extract_text() for p in reader.pages)
    schema = tmp_path / "plan.schema.json"
    assert _bcm("schema", "-o", str(schema)).returncode == 0
    texts["plan.schema.json"] = schema.read_text(encoding="utf-8")
    # Each kind of output is there to be searched: a grep of nothing finds nothing.
    assert pdfs
    assert any(name.endswith(".ics") for name in texts)
    assert "index.html" in texts
    assert "周岚" in texts["search/search_index.json"]
    hits: list[Hit] = [hit for source, text in texts.items() for hit in find_example_company(source, text)]
    assert hits == []
