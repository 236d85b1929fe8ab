"""MkDocs hooks: check the plan and add the handbook's pages, rendered by `bcmlib.handbook`.

A handbook's mkdocs.yml loads them through a one-line file, `hooks/handbook.py`, that re-exports this
module: MkDocs takes hooks by path only, and the code stays in the installed package.

The plan folder is BCM_PLAN (which `bcm build --plan` sets) or else `extra.plan` in mkdocs.yml (default
`plan`, relative to mkdocs.yml or absolute), anywhere; `extra.redact` leaves personal contact channels
out. Built by `mike deploy` (which sets MIKE_DOCS_VERSION), the site gets Material's version selector,
made to work from a file share by `versions.js`, which `bcm publish` writes at the published site's root.
"""

from __future__ import annotations

import os
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urljoin

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from bcmlib import clock
from bcmlib.handbook import Repository
from bcmlib.handbook.build import (
    CALENDAR,
    PLAN_ENV,
    POLYFILLS,
    SCRIPTS,
    STYLESHEETS,
    THEME,
    Handbook,
    HandbookError,
    handbook_language,
    prepare_handbook,
    print_jobs,
)
from bcmlib.handbook.notfound import relative_404
from bcmlib.handbook.printing import PDF_CACHE_ENV, footer_text, pdf_cache, print_pdfs
from bcmlib.handbook.search import search_meta, write_dictionary
from bcmlib.i18n import translate

__all__ = [
    "on_config",
    "on_files",
    "on_page_content",
    "on_page_markdown",
    "on_post_build",
    "on_post_template",
]

_built: dict[str, Handbook] = {}
_contents: dict[str, str] = {}
"""Each generated page's content as rendered, for its PDF and the binder."""
_search = TemporaryDirectory(prefix="bcm-search-")
"""Where the jieba user dictionary goes: the plan's names are company data, so neither docs/ nor the site."""


# Before the search plugin's on_config, which loads the jieba user dictionary this one writes.
@event_priority(50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build the pages from the plan before anything is written; a broken plan stops the build here.

    The plan's names go into the search plugin's jieba user dictionary, so each segments one way.
    """
    root = Path(config.config_file_path).parent
    # `bcm build --plan` (or BCM_PLAN, relative to the working folder as for every bcm command) chooses
    # the plan; else extra.plan, relative to mkdocs.yml's folder unless absolute, and anywhere.
    chosen = os.environ.get(PLAN_ENV)
    plan = Path(chosen).absolute() if chosen else root / config.extra.get("plan", "plan")
    # `mkdocs serve` rebuilds on a plan edit wherever the plan is: mkdocs.yml's watch cannot name it.
    config.watch.append(str(plan))
    if not config.repo_url:
        config.edit_uri = None  # no repository to link to: no edit links
    # Where MkDocs sends a page's edit link, so the plan-health page links plan files the same way.
    repo, edit_uri = config.repo_url, config.edit_uri
    edit = urljoin(repo.rstrip("/") + "/", edit_uri) if repo and edit_uri else None
    try:
        lang = handbook_language(config.theme.get("language"))
        handbook = prepare_handbook(
            plan,
            clock.today(),
            lang,
            redact=bool(config.extra.get("redact", False)),
            baseline=config.extra.get("baseline"),
            repository=Repository(root, edit),
        )
    except HandbookError as error:
        raise Abort(str(error)) from error
    _built["handbook"] = handbook
    _contents.clear()
    search = config.plugins.get("material/search")
    if search is not None:
        search.config["jieba_dict_user"] = str(write_dictionary(handbook.plan, Path(_search.name)))
        # How the language's words are told apart, unless mkdocs.yml says otherwise.
        if not search.config["lang"]:
            search.config["lang"] = [translate("handbook.search.lang", lang)]
        if not search.config["separator"]:
            search.config["separator"] = translate("handbook.search.separator", lang)
    # The company's own hand-written pages (mkdocs.yml's nav) come last, in a section of their own.
    own = {translate("handbook.nav.own", handbook.lang): config.nav} if config.nav else None
    config.nav = [*handbook.nav, *([own] if own else [])]
    # The theme ships the site's styles and scripts, listed before a company's own extra_css and
    # extra_javascript, which can then override them.
    config.theme.dirs.insert(0, str(THEME))
    config.extra_css = [*STYLESHEETS, *config.extra_css]
    config.extra_javascript = [*SCRIPTS, *config.extra_javascript]
    polyfills = [*POLYFILLS, *config.extra.get("polyfills", [])]
    # Every page's footer names the plan version it was built from; MkDocs prints it unescaped.
    config.copyright = str(escape(footer_text(handbook.plan, handbook.lang)))
    company = handbook.plan.company
    if company is not None:
        # The site's title names the company; the configured title stays the handbook's kind. Material
        # prints the title both raw (an aria-label, <title>) and through `| e`: escaped once as Markup,
        # the raw places get text and `| e` leaves Markup as it is, so no place shows `&lt;`.
        config.site_name = escape(
            translate("handbook.site_name", handbook.lang, company=company.title, title=config.site_name)
        )
    config.extra["bcm"] = {
        key: translate(f"handbook.version.{key}", lang) for key in ("outdated", "to_latest")
    }
    for scheme in config.theme.get("palette") or []:
        scheme["toggle"]["name"] = translate(f"handbook.palette.{scheme['scheme']}", lang)
    if os.environ.get("MIKE_DOCS_VERSION"):
        config.extra["version"] = {"provider": "mike", "alias": True, "default": "latest"}
        # Loaded before Material's bundle, which asks for the version list as it starts.
        polyfills += ["../versions.js", "assets/javascripts/bcm-versions.js"]
    config.extra["polyfills"] = polyfills
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages; each page's edit link points at its YAML file."""
    # edit_uri is counted from the repository root (mkdocs.yml's folder), so hand-written pages name the
    # docs folder too; a file outside it, such as a plan kept elsewhere, gets no edit link.
    repository = Repository(Path(config.config_file_path).parent)
    for file in files.documentation_pages():
        file.edit_uri = repository.edit_path(Path(config.docs_dir) / file.src_uri)
    files.append(File.generated(config, CALENDAR, content=_built["handbook"].calendar()))
    for page in _built["handbook"].pages:
        generated = File.generated(config, page.path, content=page.markdown)
        if page.source is not None:
            generated.edit_uri = repository.edit_path(page.source)
        files.append(generated)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give every page the glossary's acronyms, which Material shows as tooltips, and its search rank."""
    generated = _built["handbook"].page(page.file.src_uri)
    if generated is not None:
        page.meta.update(search_meta(generated.part))
    return markdown + _built["handbook"].abbreviations


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep the content of each generated page, which the PDFs are printed from."""
    _contents[page.file.src_uri] = html
    return html


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page, whose links MkDocs writes from the server's root, made to work from a share."""
    return relative_404(output_content) if template_name == "404.html" else output_content


def on_post_build(config: MkDocsConfig) -> None:
    """Print the PDFs into the built site: each runbook's, the wallet card's, and the two binders.

    `extra.pdf: false` (BCM_PDF=false) skips them. A PDF whose source is unchanged since the last build
    comes from the cache (BCM_PDF_CACHE or `extra.pdf_cache`, by default the user's cache folder; false
    for none), so a `mkdocs serve` rebuild prints only what the edit changed.
    """
    if config.extra.get("pdf", True):
        handbook = _built["handbook"]
        setting = os.environ.get(PDF_CACHE_ENV, config.extra.get("pdf_cache"))
        edition = f"{config.config_file_path}\n{handbook.lang}\n{bool(config.extra.get('redact', False))}"
        cache = pdf_cache(setting, Path(config.config_file_path).parent, edition)
        print_pdfs(print_jobs(handbook, _contents, Path(config.site_dir)), cache=cache)
