"""Print the PDFs' cost: per page and per runbook, and the full build with every PDF.

For the company's plan and a synthetic plan of 1,000 roles (and 1,000 people): the build with and
without PDFs (the difference is what printing costs, on all cores), the PDF pages written, and the
seconds per page of that difference; then one process printing runbooks one after another, for the
cost of a single runbook and of a single page without the parallelism. Target: under 0.05 s per page.
Run: .venv/bin/python -m benchmarks.handbook_pdf [SIZE ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pypdf
from bs4 import BeautifulSoup

from bcmlib import clock
from bcmlib.handbook.build import prepare_handbook, print_jobs
from bcmlib.handbook.printing import print_pdfs
from benchmarks.handbook_build import ROOT, _build, _project
from benchmarks.synthetic import write_synthetic_plan

SIZES = (1_000,)
RUNBOOKS = 20
"""How many role runbooks the serial measurement prints."""


def _contents(site: Path, paths: list[str]) -> dict[str, str]:
    """Each page's content as the site shows it: what the hook hands the printer."""
    contents = {}
    for path in paths:
        html = (site / path).with_suffix(".html").read_text(encoding="utf-8")
        article = BeautifulSoup(html, "html.parser").select_one("article")
        contents[path] = "".join(str(child) for child in article.children) if article else ""
    return contents


def _serial(project: Path) -> tuple[float, float]:
    """Seconds per role runbook and per page, printed one after another in this process."""
    site = project / "site"
    handbook = prepare_handbook(project / "plan", clock.today())
    contents = _contents(site, [page.path for page in handbook.pages])
    jobs = [job for job in print_jobs(handbook, contents, site) if job.pdf.parent.name == "roles"]
    print_pdfs(jobs[:1], workers=1)  # WeasyPrint's import and font set-up, paid once per process
    start = time.perf_counter()
    printed = print_pdfs(jobs[:RUNBOOKS], workers=1)
    seconds = time.perf_counter() - start
    return seconds / len(printed), seconds / sum(pdf.pages for pdf in printed)


def main(sizes: list[int]) -> None:
    """Print one row per plan."""
    print(
        f"{'plan':>8} {'PDFs':>6} {'pages':>6} {'no PDF':>8} {'all PDF':>8} {'s/page':>7}"
        f" {'serial s/runbook':>17} {'serial s/page':>14}"
    )
    for size in [None, *sizes]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = ROOT / "plan" if size is None else write_synthetic_plan(size, folder / "synthetic")
            project = _project(folder / "project", plan)
            without, _ = _build(project)
            full, _ = _build(project, BCM_PDF="true")
            pdfs = list((project / "site").rglob("*.pdf"))
            pages = sum(len(pypdf.PdfReader(pdf).pages) for pdf in pdfs)
            per_runbook, per_page = _serial(project)
            print(
                f"{size or 'company'!s:>8} {len(pdfs):>6} {pages:>6} {without:>7.2f}s {full:>7.2f}s"
                f" {(full - without) / pages:>6.3f}s {per_runbook:>16.3f}s {per_page:>13.3f}s"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
