"""Print the handbook's build time and size: the company's plan and synthetic plans of 100 and 1,000.

Each plan is built by MkDocs with the hooks (from plan/), and by plain MkDocs from the same pages written
out as static Markdown (the floor), in turns, the best of --runs each, so the hooks' overhead is a ratio
measured here and now. Target: the company's handbook within 1.1x plain MkDocs. Wall-clock time is what
a user waits; the machine is shared, so the CPU time of each build (its process's user and system time)
is printed and compared too, which other loads disturb less. The first build of the run fills the
caches a user's repeated build finds (compiled bytecode, as an installed tool has it, jieba's dictionary
and the compiled templates), and is not counted.
It also prints the rebuild time `mkdocs serve` needs after one plan edit: a second build in a warm
process, as serve does it. 10,000 takes minutes per build; ask for it: [SIZE ...] 10000.
Run: .venv/bin/python -m benchmarks.handbook_build [--runs N] [SIZE ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bcmlib import clock, load_plan, validate
from bcmlib.handbook.build import prepare_handbook
from benchmarks.synthetic import write_synthetic_plan

SIZES = (100, 1_000)
ROOT = Path(__file__).resolve().parent.parent
# The pages alone: the PDFs have their own benchmark (handbook_pdf), and the static build prints none.
# Bytecode is kept, in a folder of this run's, as an installed tool has its own compiled.
_BYTECODE = tempfile.TemporaryDirectory(prefix="bcm-bench-pyc-")
_ENV = {
    **{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
    "BCM_PDF": "false",
    "PYTHONPYCACHEPREFIX": _BYTECODE.name,
}


def _project(folder: Path, plan: Path) -> Path:
    """A copy of the project's site set-up whose plan is `plan`."""
    for name in ("pages", "hooks"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    if plan != folder / "plan":
        shutil.copytree(plan, folder / "plan")
    return folder


def _static(project: Path, target: Path) -> Path:
    """The same site with the generated pages written into pages/ and no hooks."""
    target.mkdir()
    shutil.copytree(project / "pages", target / "pages")
    handbook = prepare_handbook(project / "plan", clock.today())
    for page in handbook.pages:
        path = target / "pages" / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown + handbook.abbreviations, encoding="utf-8")
    # The same mkdocs.yml as text (its !ENV and !!python tags kept), without the hook, with the nav the
    # hook would have added written in.
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("hooks:\n  - hooks/handbook.py\n", "")
    config = config.replace('edit_uri: !ENV [BCM_EDIT_URI, "edit/main/"]', 'edit_uri: ""')
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)
    nav = yaml.safe_dump(handbook.nav, allow_unicode=True, default_flow_style=False)
    config += "nav:\n" + "".join(f"  {line}\n" for line in nav.splitlines())
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Build:
    """One `mkdocs build`: wall-clock and CPU seconds, and the site's size in MB."""

    wall: float
    cpu: float
    megabytes: float


def _build(project: Path, **env: str) -> Build:
    """Build `project`'s site with `env` set."""
    site = project / "site"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=project, env={**_ENV, **env}, check=False, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise RuntimeError(result.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1e6
    return Build(wall, cpu, size)


def _best(builds: list[Build]) -> Build:
    """The least wall-clock and the least CPU time of several builds of one site."""
    return Build(min(b.wall for b in builds), min(b.cpu for b in builds), builds[-1].megabytes)


_REBUILD = """
import sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
project = Path(sys.argv[1])
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
plan = project / "plan" / "processes.yaml"
plan.write_text(plan.read_text(encoding="utf-8").replace("RTO", "RTO ", 1), encoding="utf-8")
start = time.perf_counter()
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
print(time.perf_counter() - start)
"""


def _rebuild(project: Path) -> float:
    """Seconds to rebuild in a warm process after one plan edit, as `mkdocs serve` does."""
    out = subprocess.run(
        [sys.executable, "-c", _REBUILD, str(project)],
        cwd=project, env=_ENV, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int], runs: int) -> None:
    """Print one row per plan."""
    print(
        f"{'plan':>8} {'pages':>6} {'hooks':>8} {'static':>8} {'ratio':>6}"
        f" {'hooks cpu':>10} {'static cpu':>10} {'ratio':>6} {'site':>8} {'rebuild':>8}"
    )
    for size in [None, *sizes]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = ROOT / "plan" if size is None else write_synthetic_plan(size, folder / "synthetic")
            project = _project(folder / "project", plan)
            loaded = load_plan(project / "plan")
            assert not validate(loaded).errors
            static_project = _static(project, folder / "static")
            for warm_up in (project, static_project):  # fills the caches; not counted
                _build(warm_up)
            timed: tuple[list[Build], list[Build]] = ([], [])
            for _ in range(runs):
                timed[0].append(_build(project))
                timed[1].append(_build(static_project))
            hooks, static = _best(timed[0]), _best(timed[1])
            # The serve rebuild is measured on the company's plan, the one people edit.
            rebuild = f"{_rebuild(project):.2f}s" if size is None else "—"
            pages = len(list((project / "site").rglob("*.html")))
            print(
                f"{size or 'company'!s:>8} {pages:>6} {hooks.wall:>7.2f}s {static.wall:>7.2f}s"
                f" {hooks.wall / static.wall:>5.2f}x {hooks.cpu:>9.2f}s {static.cpu:>9.2f}s"
                f" {hooks.cpu / static.cpu:>5.2f}x {hooks.megabytes:>6.1f}MB {rebuild:>8}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="Builds of each site, the best counted.")
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    options = parser.parse_args()
    main(options.sizes, options.runs)
