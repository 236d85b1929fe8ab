"""The site builders the handbook is built with: MkDocs 1.6 (the default), ProperDocs and Zensical.

MkDocs and ProperDocs (MkDocs 1.x continued) run the hook, which renders the plan in memory. Zensical
runs no hooks: the handbook is rendered into a folder first (`rendering.render`), Zensical builds that,
and what the hook does after a build (the PDFs, a 404 page that works from a share) is done here to the
site Zensical wrote. Each engine runs in its own process, as its own command would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Literal

from bcmlib.handbook.build import Handbook, HandbookError, print_site
from bcmlib.handbook.notfound import relative_404
from bcmlib.handbook.rendering import VERSION_ENV, configured_handbook, read_config, write_rendered
from bcmlib.i18n import translate

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "build_site", "page_contents"]

Engine = Literal["mkdocs", "properdocs", "zensical"]
ENGINES: tuple[Engine, ...] = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE: Engine = "mkdocs"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<content>.*)</article>', re.DOTALL)
"""A page's content in a site built with Material's templates (Zensical's are Material's successors)."""
_CHROME = re.compile(
    r'<a id="__skip"[^>]*></a>|<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.DOTALL
)
"""What the theme puts in the content's box around the page itself: the skip target, the edit button."""


def build_site(engine: Engine, config_file: Path, site_dir: Path | None, env: Mapping[str, str]) -> int:
    """Build the handbook mkdocs.yml at `config_file` describes with `engine`; return its exit status.

    `site_dir` overrides mkdocs.yml's; `env` is the environment the build runs in (the plan, the clock,
    redaction, PDFs), as for the engine's own command. Raises HandbookError when the engine is not
    installed, or (Zensical, which the library drives) when the plan or mkdocs.yml cannot be built.
    """
    if find_spec(engine) is None:
        extras = "handbook" if engine == DEFAULT_ENGINE else "handbook,engines"
        raise HandbookError(translate("handbook.build.engine_missing", engine=engine, extras=extras))
    if engine != "zensical":
        command = [sys.executable, "-m", engine, "build", "--config-file", str(config_file)]
        if site_dir is not None:
            command += ["--site-dir", str(site_dir.absolute())]
        return subprocess.run(command, env=env, check=False).returncode
    return _build_rendered(config_file, site_dir, env)


def _build_rendered(config_file: Path, site_dir: Path | None, env: Mapping[str, str]) -> int:
    """Render the handbook, build it with Zensical, then print its PDFs from the pages Zensical wrote."""
    # `env` decides mkdocs.yml's !ENV values and the plan, as it would in the engine's own process.
    config = read_config(config_file, env)
    handbook = configured_handbook(config_file, config, env)
    site = (site_dir or config_file.parent / str(config.get("site_dir", "site"))).absolute()
    with TemporaryDirectory(prefix="bcm-render-") as folder:
        own = config_file.parent / str(config.get("docs_dir", "docs"))
        # Zensical builds only inside the folder its configuration is in: the site is moved out after.
        versioned = bool(env.get(VERSION_ENV))
        rendered = write_rendered(handbook, config, own, Path(folder), versioned=versioned)
        command = [sys.executable, "-m", "zensical", "build", "--config-file", str(rendered)]
        if config.get("strict"):
            command.append("--strict")
        status = subprocess.run(command, env=env, check=False, cwd=folder).returncode
        if status == 0:
            shutil.rmtree(site, ignore_errors=True)
            shutil.move(Path(folder) / "site", site)
    if status != 0:
        return status
    # What the hook does after MkDocs writes a site, done to the site Zensical wrote.
    not_found = site / "404.html"
    if not_found.is_file():
        not_found.write_text(relative_404(not_found.read_text(encoding="utf-8")), encoding="utf-8")
    contents = page_contents(handbook, site)
    print_site(handbook, contents, site, config_file, config.get("extra") or {}, env)
    return 0


def page_contents(handbook: Handbook, site: Path) -> dict[str, str]:
    """Each generated page's content as the built `site` shows it, for its PDF and the binders."""
    contents = {}
    for page in handbook.pages:
        html = (site / Path(page.path).with_suffix(".html")).read_text(encoding="utf-8")
        found = _ARTICLE.search(html)
        contents[page.path] = _CHROME.sub("", found["content"]) if found else ""
    return contents
