"""Print the handbook's build time and size: the company's plan and synthetic plans of 100 and 1,000.

Each plan is built twice in the same run: by MkDocs with the hooks (from plan/), and by plain MkDocs from
the same pages written out as static Markdown, so the hooks' overhead is a ratio measured here and now.
It also prints the rebuild time `mkdocs serve` needs after one plan edit: a second build in a warm
process, as serve does it.
Run: .venv/bin/python -m benchmarks.handbook_build [SIZE ...]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bcmlib import clock, load_plan, validate
from bcmlib.handbook.build import prepare_handbook
from benchmarks.synthetic import write_synthetic_plan

SIZES = (100, 1_000)
ROOT = Path(__file__).resolve().parent.parent
# The pages alone: the PDFs have their own benchmark (handbook_pdf), and the static build prints none.
_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BCM_PDF": "false"}


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


def _build(project: Path, **env: str) -> tuple[float, float]:
    """Seconds for `mkdocs build` with `env` set, and the size of the site in MB."""
    site = project / "site"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=project, env={**_ENV, **env}, check=False, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(result.stderr)
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1e6
    return seconds, size


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


def main(sizes: list[int]) -> None:
    """Print one row per plan."""
    print(f"{'plan':>8} {'pages':>6} {'hooks':>8} {'static':>8} {'ratio':>6} {'site':>8} {'rebuild':>8}")
    for size in [None, *sizes]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = ROOT / "plan" if size is None else write_synthetic_plan(size, folder / "synthetic")
            project = _project(folder / "project", plan)
            loaded = load_plan(project / "plan")
            assert not validate(loaded).errors
            hooks, megabytes = _build(project)
            static, _ = _build(_static(project, folder / "static"))
            # The serve rebuild is measured on the company's plan, the one people edit.
            rebuild = f"{_rebuild(project):.2f}s" if size is None else "—"
            pages = len(list((project / "site").rglob("*.html")))
            print(
                f"{size or 'company'!s:>8} {pages:>6} {hooks:>7.2f}s {static:>7.2f}s {hooks / static:>5.2f}x "
                f"{megabytes:>6.1f}MB {rebuild:>8}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
