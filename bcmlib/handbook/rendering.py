"""The handbook as files any MkDocs-compatible engine builds, and the settings its site takes from the plan.

The MkDocs hook and `bcm render` share everything here: the hook hands the files and settings to MkDocs
in memory; `render` writes them into a folder with a configuration of its own, so an engine that runs
no hooks (Zensical) builds the same pages, and one that does (ProperDocs) builds them without the plan.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from markupsafe import Markup, escape

from bcmlib import clock
from bcmlib.handbook.build import (
    CALENDAR,
    PLAN_ENV,
    POLYFILLS,
    SCRIPTS,
    STYLESHEETS,
    THEME,
    Handbook,
    handbook_language,
    prepare_handbook,
)
from bcmlib.handbook.pages import Repository
from bcmlib.handbook.printing import footer_text
from bcmlib.handbook.search import search_meta, write_dictionary
from bcmlib.i18n import translate

__all__ = [
    "VERSION_ENV",
    "VERSION_SCRIPTS",
    "SiteSettings",
    "configured_handbook",
    "configured_plan",
    "handbook_files",
    "name_toggles",
    "read_config",
    "render",
    "search_settings",
    "site_settings",
    "with_abbreviations",
    "write_rendered",
]

VERSION_ENV = "MIKE_DOCS_VERSION"
"""Set to the version a build is deployed as (`bcm publish`; mike sets it too): the site then gets
Material's version selector, made to work from a share by the scripts below."""
VERSION_SCRIPTS = ("../versions.js", "assets/javascripts/bcm-versions.js")
"""Loaded before Material's bundle in a versioned site, which asks for the version list as it starts:
`bcm publish` writes versions.js at the published site's root."""


@dataclass(frozen=True)
class SiteSettings:
    """What the plan sets in a site's configuration, over what mkdocs.yml says."""

    site_name: Markup
    """The handbook's kind, with the company's name; escaped once, as Material prints it both raw (an
    aria-label, <title>) and through `| e`, which leaves Markup as it is."""
    copyright: str
    """Every page's footer: the plan version it was built from. Escaped, as MkDocs prints it as it is."""
    nav: list[Any]
    extra_css: list[str]
    extra_javascript: list[Any]
    """Paths, or MkDocs's script entries (a path with `type`, `async`, `defer`)."""
    polyfills: list[str]
    strings: dict[str, str]
    """The theme's own strings (the banner of an older version), from the locale catalogue."""
    version: dict[str, object] | None
    """Material's version selector, in a site deployed as one of several versions."""


def configured_handbook(
    config_file: Path, config: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> Handbook:
    """The handbook mkdocs.yml at `config_file` describes (`config`, as read), as of the clock's today.

    The plan is BCM_PLAN (`bcm build --plan`; relative to the working folder, as for every bcm command)
    or else `extra.plan`, relative to mkdocs.yml's folder unless absolute, anywhere. Plan files are linked for
    editing where MkDocs links a page's edit button, when mkdocs.yml names a repository.
    Raises `HandbookError` for a plan that builds no handbook.
    """
    extra = config.get("extra") or {}
    repo, edit_uri = config.get("repo_url"), config.get("edit_uri")
    edit = urljoin(repo.rstrip("/") + "/", edit_uri) if repo and edit_uri else None
    return prepare_handbook(
        configured_plan(config_file, config, environ),
        clock.today(),
        handbook_language((config.get("theme") or {}).get("language")),
        redact=bool(extra.get("redact", False)),
        baseline=extra.get("baseline"),
        repository=Repository(config_file.parent, edit),
    )


def configured_plan(
    config_file: Path, config: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> Path:
    """The plan folder of the handbook mkdocs.yml at `config_file` describes (`config`, as read)."""
    chosen = environ.get(PLAN_ENV)
    if chosen:
        return Path(chosen).absolute()
    return config_file.parent / str((config.get("extra") or {}).get("plan", "plan"))


def read_config(config_file: Path, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """mkdocs.yml as data: `!ENV` values resolved in `environ` as MkDocs does, `!!python/…` values kept."""
    with config_file.open(encoding="utf-8") as stream:
        loader = ConfigLoader(stream)  # a SafeLoader: it runs no Python
        loader.environ = environ
        try:
            config = loader.get_single_data()
        finally:
            loader.dispose()
    return config if isinstance(config, dict) else {}


def render(config_file: Path, out: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Render the handbook mkdocs.yml at `config_file` describes into `out`; return the config written.

    `environ` is the environment mkdocs.yml's `!ENV` values and BCM_PLAN are read in.
    Raises `HandbookError` for a plan that builds no handbook.
    """
    config = read_config(config_file, environ)
    handbook = configured_handbook(config_file, config, environ)
    docs = config_file.parent / str(config.get("docs_dir", "docs"))
    return write_rendered(handbook, config, docs, out, versioned=bool(environ.get(VERSION_ENV)))


def site_settings(
    handbook: Handbook,
    *,
    site_name: str,
    nav: Sequence[Any] | None,
    extra_css: Sequence[str],
    extra_javascript: Sequence[Any],
    polyfills: Sequence[str],
    versioned: bool,
) -> SiteSettings:
    """The settings a site built from `handbook` takes; the other arguments are what mkdocs.yml says.

    The company's own hand-written pages (mkdocs.yml's nav) come after the generated ones, in a section
    of their own. The theme's styles and scripts come before a company's own, which can then override
    them. `versioned` adds the version selector's scripts, for a site deployed as one of several versions.
    """
    lang = handbook.lang
    own = [{translate("handbook.nav.own", lang): list(nav)}] if nav else []
    company = handbook.plan.company
    if company is not None:
        site_name = translate("handbook.site_name", lang, company=company.title, title=site_name)
    scripts = [*POLYFILLS, *polyfills, *(VERSION_SCRIPTS if versioned else ())]
    return SiteSettings(
        site_name=escape(site_name),
        copyright=str(escape(footer_text(handbook.plan, lang))),
        nav=[*handbook.nav, *own],
        extra_css=[*STYLESHEETS, *extra_css],
        extra_javascript=[*SCRIPTS, *extra_javascript],
        polyfills=scripts,
        strings={key: translate(f"handbook.version.{key}", lang) for key in ("outdated", "to_latest")},
        # The list of versions is versions.json, as mike writes it and `bcm publish` keeps it.
        version={"provider": "mike", "alias": True, "default": "latest"} if versioned else None,
    )


def name_toggles(palette: Sequence[MutableMapping[str, Any]], handbook: Handbook) -> None:
    """Name each light/dark toggle of Material's `palette` in the handbook's language."""
    for scheme in palette:
        scheme["toggle"]["name"] = translate(f"handbook.palette.{scheme['scheme']}", handbook.lang)


def search_settings(options: MutableMapping[str, Any], handbook: Handbook, dictionary: Path) -> None:
    """Complete the search plugin's `options`: the language's own words and separator, unless set.

    `dictionary` is the plan's jieba user dictionary, for an engine whose search segments Chinese with
    jieba itself (Material's), so it cuts the plan's names as the library does.
    """
    options["jieba_dict_user"] = str(dictionary)
    if not options.get("lang"):
        options["lang"] = [translate("handbook.search.lang", handbook.lang)]
    if not options.get("separator"):
        options["separator"] = translate("handbook.search.separator", handbook.lang)


def handbook_files(handbook: Handbook) -> Iterator[tuple[str, str | bytes]]:
    """Each generated file's path in the docs folder and its content: the pages, then the calendar.

    A page carries its search rank as front matter, which every engine reads, and the glossary's
    acronyms, which Material shows as tooltips.
    """
    for page in handbook.pages:
        meta = yaml.safe_dump(search_meta(page.part), allow_unicode=True)
        yield page.path, f"---\n{meta}---\n\n{with_abbreviations(page.markdown, handbook)}"
    yield CALENDAR, handbook.calendar()


def with_abbreviations(markdown: str, handbook: Handbook) -> str:
    """`markdown` with the glossary's acronyms defined, as every page of the handbook has them."""
    return markdown + handbook.abbreviations


def write_rendered(
    handbook: Handbook,
    config: Mapping[str, Any],
    own_pages: Path | None,
    out: Path,
    *,
    versioned: bool = False,
) -> Path:
    """Write the handbook into `out` as plain files and return the configuration file written there.

    `out/docs` gets the generated pages, the calendar and the company's own pages from `own_pages`;
    `out/theme` the handbook's theme; `out/mkdocs.yml` is `config` (mkdocs.yml as read, `!ENV` values
    resolved) with the plan's settings, without the hook: the pages are already there; its site goes
    into `out/site`, as Zensical builds only inside the configuration's folder.
    """
    docs, theme = out / "docs", out / "theme"
    for folder in (docs, theme):
        if folder.exists():
            shutil.rmtree(folder)
    if own_pages is not None and own_pages.is_dir():
        shutil.copytree(own_pages, docs)
        for page in docs.rglob("*.md"):
            page.write_text(with_abbreviations(page.read_text(encoding="utf-8"), handbook), encoding="utf-8")
    for name, content in handbook_files(handbook):
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    shutil.copytree(THEME, theme)
    rendered = _rendered_config(dict(config), handbook, write_dictionary(handbook.plan, out), versioned)
    path = out / "mkdocs.yml"
    path.write_text(
        yaml.dump(rendered, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def _rendered_config(
    config: dict[str, Any], handbook: Handbook, dictionary: Path, versioned: bool
) -> dict[str, Any]:
    """mkdocs.yml for the rendered folder: its pages are there, so no hook, plan or watched folders."""
    for key in ("hooks", "watch", "docs_dir", "site_dir"):
        config.pop(key, None)
    extra = dict(config.get("extra") or {})
    settings = site_settings(
        handbook,
        site_name=str(config.get("site_name", "")),
        nav=config.get("nav"),
        extra_css=config.get("extra_css") or [],
        extra_javascript=config.get("extra_javascript") or [],
        polyfills=extra.get("polyfills") or [],
        versioned=versioned,
    )
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = "theme"
    palette = [dict(scheme, toggle=dict(scheme["toggle"])) for scheme in theme.get("palette") or []]
    name_toggles(palette, handbook)
    if palette:
        theme["palette"] = palette
    extra.pop("plan", None)
    extra.update(bcm=settings.strings, polyfills=settings.polyfills)
    if settings.version is not None:
        extra["version"] = settings.version
    config.update(
        site_name=str(settings.site_name),
        copyright=settings.copyright,
        nav=settings.nav,
        extra_css=settings.extra_css,
        extra_javascript=settings.extra_javascript,
        theme=theme,
        extra=extra,
        docs_dir="docs",
        plugins=_plugins(config.get("plugins") or [], handbook, dictionary),
    )
    return config


def _plugins(plugins: Sequence[Any], handbook: Handbook, dictionary: Path) -> list[Any]:
    """mkdocs.yml's plugins, the search plugin's options completed for the handbook's language."""
    completed: list[Any] = []
    for plugin in plugins:
        name, options = (plugin, {}) if isinstance(plugin, str) else next(iter(dict(plugin).items()))
        if name == "search":
            options = dict(options or {})
            search_settings(options, handbook, dictionary)
        completed.append({name: options} if name == "search" else plugin)
    return completed


class PythonTag:
    """A `!!python/…` value of mkdocs.yml (the toc's slugify function), kept as written for the engine."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: `!ENV` resolved as MkDocs does, `!!python/…` values kept, not run."""

    environ: Mapping[str, str] = os.environ


class _Dumper(yaml.SafeDumper):
    """Writes the rendered configuration, `!!python/…` values as they were read."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonTag:
    value: Any
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return PythonTag("tag:yaml.org,2002:python/" + suffix, value)


def _dump_python_tag(dumper: yaml.SafeDumper, tagged: PythonTag) -> yaml.Node:
    if isinstance(tagged.value, dict):
        return dumper.represent_mapping(tagged.tag, tagged.value)
    if isinstance(tagged.value, list):
        return dumper.represent_sequence(tagged.tag, tagged.value)
    return dumper.represent_scalar(tagged.tag, str(tagged.value))


def _env(loader: ConfigLoader, node: yaml.Node) -> Any:
    """MkDocs's `!ENV`: the first of the variables set, else the last item as the default.

    As pyyaml_env_tag reads it for MkDocs (`!ENV NAME` or `!ENV [NAME, OTHER, default]`), with the
    value read as YAML, so `true` is a boolean; from the environment the loader was given.
    """
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = [loader.construct_object(child) for child in node.value]
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    for name in names:
        if isinstance(name, str) and name in loader.environ:
            return yaml.safe_load(loader.environ[name]) if loader.environ[name] else None
    return default


ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
ConfigLoader.add_constructor("!ENV", _env)
_Dumper.add_representer(PythonTag, _dump_python_tag)
_Dumper.add_representer(Markup, yaml.representer.SafeRepresenter.represent_str)
