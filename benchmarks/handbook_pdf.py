"""Print the PDFs' cost: every PDF from cold, a rebuild after one plan edit, and seconds per page.

For the company's plan and synthetic plans of 100 and 1,000 roles (and as many people): the site is
built without PDFs (what the hook hands the printer is the pages' content), then one fresh process,
as `mkdocs build` would be, prints every PDF into an empty cache on every core ("cold", "s/page" its
wall-clock time over the pages written); then, in the same process as `mkdocs serve` keeps it, the plan
gets one edit (a role's first duty) and the PDFs are printed again with the cache ("edit": the time,
and how many PDFs were printed rather than reused). The floor, measured in the same run: WeasyPrint
printing a one-page document with the handbook's print style, in a warm process.
Targets: cold ≤ 60 s for 1,000 roles on 2 cores, edit ≤ 2 s for the company, ≤ 0.05 s per page.
Run: .venv/bin/python -m benchmarks.handbook_pdf [SIZE ...]
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdf
import yaml
from bs4 import BeautifulSoup
from markupsafe import Markup

from bcmlib import clock
from bcmlib.handbook.build import prepare_handbook, print_jobs
from bcmlib.handbook.printing import PrintJob, Section, print_document, print_pdfs
from benchmarks.handbook_build import ROOT, _build, _project
from benchmarks.synthetic import write_synthetic_plan

SIZES = (100, 1_000)
FLOOR_RUNS = 5

_PRINT = """
import pickle, sys, time
from pathlib import Path
from bcmlib.handbook.printing import print_pdfs
cache = Path(sys.argv[1])
for name in sys.argv[2:]:
    jobs = pickle.loads(Path(name).read_bytes())
    start = time.perf_counter()
    printed = print_pdfs(jobs, cache=cache)
    seconds = time.perf_counter() - start
    print(seconds, sum(pdf.pages for pdf in printed), sum(not pdf.reused for pdf in printed), len(printed))
"""
"""Print each pickled list of jobs in turn, in one process: the first cold, the next ones warm."""


def _jobs(project: Path, into: Path) -> Path:
    """Build the site without PDFs and pickle the jobs that print its PDFs into `into`."""
    _build(project)
    site = project / "site"
    handbook = prepare_handbook(project / "plan", clock.today())
    contents = {}
    for page in handbook.pages:
        html = (site / page.path).with_suffix(".html").read_text(encoding="utf-8")
        article = BeautifulSoup(html, "html.parser").select_one("article")
        contents[page.path] = "".join(str(child) for child in article.children) if article else ""
    into.write_bytes(pickle.dumps(print_jobs(handbook, contents, site)))
    return into


def _edit(plan: Path) -> None:
    """One edit, as a coordinator makes one: a word added to the first duty of the first role with any."""
    path = plan / "roles.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    role = next(role for role in data["roles"] if role.get("duties"))
    role["duties"][0] += "（已核对）"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _floor() -> float:
    """Seconds for WeasyPrint to print one page with the handbook's print style, warm, best of a few."""
    body = "<h1>一页</h1>" + "<p>出事时我做什么：先确认人员安全，再按顺序通知。</p>" * 12
    document = print_document("一页", [Section("一页", "page-0", Markup(body))], "页脚", "zh")
    with tempfile.TemporaryDirectory() as tmp:
        job = PrintJob(Path(tmp) / "one.pdf", document)
        print_pdfs([job], workers=1)  # WeasyPrint's import and the fonts, paid once
        best = min(print_pdfs([job], workers=1)[0].seconds for _ in range(FLOOR_RUNS))
        assert len(pypdf.PdfReader(job.pdf).pages) == 1
    return best


def main(sizes: list[int]) -> None:
    """Print the floor, then one row per plan."""
    floor = _floor()
    print(f"floor: WeasyPrint prints one page in {floor:.3f}s (one process, warm)")
    print(f"{'plan':>8} {'PDFs':>6} {'pages':>6} {'cold':>8} {'s/page':>7} {'edit':>7} {'printed':>8}")
    for size in [None, *sizes]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = ROOT / "plan" if size is None else write_synthetic_plan(size, folder / "synthetic")
            project = _project(folder / "project", plan)
            before = _jobs(project, folder / "before.pickle")
            _edit(project / "plan")
            after = _jobs(project, folder / "after.pickle")
            out = subprocess.run(
                [sys.executable, "-c", _PRINT, str(folder / "cache"), str(before), str(after)],
                cwd=ROOT, check=False, capture_output=True, text=True,
            )  # fmt: skip
            if out.returncode:
                raise RuntimeError(out.stderr)
            cold, edit = (line.split() for line in out.stdout.strip().splitlines()[-2:])
            pages = int(cold[1])
            print(
                f"{size or 'company'!s:>8} {cold[3]:>6} {pages:>6} {float(cold[0]):>7.2f}s"
                f" {float(cold[0]) / pages:>6.3f}s {float(edit[0]):>6.2f}s {edit[2]:>8}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
