"""MkDocs hooks: check the plan and add the handbook's pages, rendered by `bcmlib.handbook`.

A handbook's mkdocs.yml loads them through a one-line file, `hooks/handbook.py`, that re-exports this
module: MkDocs takes hooks by path only, and the code stays in the installed package.

The plan folder is BCM_PLAN (which `bcm build --plan` sets) or else `extra.plan` in mkdocs.yml (default
`plan`, relative to mkdocs.yml or absolute), anywhere; `extra.redact` leaves personal contact channels
out. Built as one version of several (`bcm publish` sets MIKE_DOCS_VERSION, as mike does), the site
gets Material's version selector, made to work from a file share by `versions.js`, which `bcm publish`
writes at the published site's root.
"""

from __future__ import annotations

import os
from pathlib import Path
from tempfile import TemporaryDirectory

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from bcmlib.handbook import Repository
from bcmlib.handbook.build import THEME, Handbook, HandbookError, print_site
from bcmlib.handbook.notfound import relative_404
from bcmlib.handbook.rendering import (
    VERSION_ENV,
    configured_handbook,
    configured_plan,
    handbook_files,
    name_toggles,
    search_settings,
    site_settings,
    with_abbreviations,
)
from bcmlib.handbook.search import write_dictionary
from bcmlib.handbook.segmenting import segment_search_index, segmenter

__all__ = [
    "on_config",
    "on_files",
    "on_page_content",
    "on_page_markdown",
    "on_post_build",
    "on_post_template",
    "on_startup",
]

_built: dict[str, Handbook] = {}
_contents: dict[str, str] = {}
"""Each generated page's content as rendered, for its PDF and the binder."""
_search = TemporaryDirectory(prefix="bcm-search-")
"""Where the jieba user dictionary goes: the plan's names are company data, so neither docs/ nor the site."""
_serving = False
"""Whether MkDocs runs `serve`: the preview reloads without waiting for the PDFs."""


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this is `mkdocs serve`, whose rebuilds print their PDFs behind the preview."""
    global _serving  # noqa: PLW0603  # MkDocs says it once, before the first build; read by each
    _serving = command == "serve"


# Before the search plugin's on_config, which loads the jieba user dictionary this one writes.
@event_priority(50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build the pages from the plan before anything is written; a broken plan stops the build here.

    The plan's names go into the search plugin's jieba user dictionary, so each segments one way.
    """
    config_file = Path(config.config_file_path)
    # `mkdocs serve` rebuilds on a plan edit wherever the plan is: mkdocs.yml's watch cannot name it.
    config.watch.append(str(configured_plan(config_file, config)))
    if not config.repo_url:
        config.edit_uri = None  # no repository to link to: no edit links
    try:
        handbook = configured_handbook(config_file, config)
    except HandbookError as error:
        raise Abort(str(error)) from error
    _built["handbook"] = handbook
    _contents.clear()
    search = config.plugins.get("material/search")
    if search is not None:
        search_settings(search.config, handbook, write_dictionary(handbook.plan, Path(_search.name)))
    settings = site_settings(
        handbook,
        site_name=config.site_name,
        nav=config.nav,
        extra_css=config.extra_css,
        extra_javascript=config.extra_javascript,
        polyfills=config.extra.get("polyfills", []),
        versioned=bool(os.environ.get(VERSION_ENV)),
    )
    config.theme.dirs.insert(0, str(THEME))
    config.site_name = settings.site_name
    config.copyright = settings.copyright
    config.nav = settings.nav
    config.extra_css = settings.extra_css
    config.extra_javascript = settings.extra_javascript
    config.extra["polyfills"] = settings.polyfills
    config.extra["bcm"] = settings.strings
    name_toggles(config.theme.get("palette") or [], handbook)
    if settings.version is not None:
        config.extra["version"] = settings.version
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages; each page's edit link points at its YAML file."""
    # edit_uri is counted from the repository root (mkdocs.yml's folder), so hand-written pages name the
    # docs folder too; a file outside it, such as a plan kept elsewhere, gets no edit link.
    repository = Repository(Path(config.config_file_path).parent)
    for file in files.documentation_pages():
        file.edit_uri = repository.edit_path(Path(config.docs_dir) / file.src_uri)
    handbook = _built["handbook"]
    for path, content in handbook_files(handbook):
        generated = File.generated(config, path, content=content)
        page = handbook.page(path)
        if page is not None and page.source is not None:
            generated.edit_uri = repository.edit_path(page.source)
        files.append(generated)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give the company's own pages the glossary's acronyms too, which Material shows as tooltips."""
    handbook = _built["handbook"]
    return markdown if handbook.page(page.file.src_uri) else with_abbreviations(markdown, handbook)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep the content of each generated page, which the PDFs are printed from."""
    _contents[page.file.src_uri] = html
    return html


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page, whose links MkDocs writes from the server's root, made to work from a share."""
    return relative_404(output_content) if template_name == "404.html" else output_content


# After the search plugin and the offline plugin, which write the search index this one cuts.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Cut the search index's Chinese into words; print the PDFs into the built site.

    The PDFs: each runbook's, the wallet card's, and the two binders (`build.print_site`: skipped with
    BCM_PDF=false). A `mkdocs serve` rebuild prints only what the edit changed, behind the preview: the
    page reloads at once, and a binder follows when it is printed.
    """
    handbook, site = _built["handbook"], Path(config.site_dir)
    segment_search_index(site, segmenter(handbook.plan))
    config_file = Path(config.config_file_path)
    contents = dict(_contents)  # the next rebuild starts a new one while these may still print
    print_site(handbook, contents, site, config_file, config.extra, os.environ, background=_serving)
