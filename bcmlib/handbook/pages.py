"""Which pages the handbook has, and rendering each from its template with the plan.

Every value a template prints passes through `text.inline` unless it is `Markup` the library made, so
plan text is escaped wherever it lands. Interface strings come from the `handbook` section of the
locale catalogues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bcmlib.handbook import context
from bcmlib.handbook.text import cell, inline
from bcmlib.i18n import Lang, translate
from bcmlib.models import Plan
from bcmlib.validation.findings import Report

__all__ = ["HandbookPage", "render_handbook"]


@dataclass(frozen=True)
class HandbookPage:
    """A generated page: where it goes in the site, its Markdown, and the plan file it comes from."""

    path: str
    """Its path under the docs folder, such as `processes.md`."""
    markdown: str
    source: Path | None
    """The YAML file its content comes from, for the page's edit link."""


@dataclass(frozen=True)
class _Spec:
    path: str
    template: str
    section: str | None
    """The plan section whose file the edit link points at."""
    extra: Callable[[Plan], dict[str, Any]] = lambda plan: {}


_SPECS = (
    _Spec("index.md", "home.md.j2", "document", context.home),
    _Spec("organisation.md", "organisation.md.j2", "roles", context.organisation),
    _Spec("crisis-levels.md", "crisis_levels.md.j2", "crisis_levels"),
    _Spec("processes.md", "processes.md.j2", "processes", context.processes),
    _Spec("incident-flow.md", "incident_flow.md.j2", "incident_workflow", context.incident_flow),
    _Spec("forms.md", "forms.md.j2", "forms"),
    _Spec("plan-health.md", "plan_health.md.j2", "waivers"),
)


def _safe(value: object) -> object:
    """Numbers and the library's own markup as they are; anything else is plan text, escaped."""
    return value if isinstance(value, Markup | int | float) else inline(value)


def _environment(lang: Lang) -> Environment:
    def finalize(value: object) -> object:
        return _safe(value)

    env = Environment(
        loader=PackageLoader("bcmlib.handbook", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        autoescape=False,
    )
    env.filters["cell"] = cell

    def interface(key: str, **params: object) -> Markup:
        safe = {
            name: value if isinstance(value, Markup | int | float) else inline(value)
            for name, value in params.items()
        }
        return Markup(translate(f"handbook.{key}", lang, **safe))

    env.globals["t"] = interface
    return env


def render_handbook(plan: Plan, report: Report, built: date, lang: Lang = "zh") -> list[HandbookPage]:
    """Every generated page of the handbook for `plan`, with the validator's `report` on the health page."""
    env = _environment(lang)
    common = {"plan": plan, "report": report, "built": built, "lang": lang}
    pages = []
    for spec in _SPECS:
        values = {**common, **spec.extra(plan)}
        markdown = env.get_template(spec.template).render(values)
        location = plan.locate((spec.section,)) if spec.section else None
        pages.append(HandbookPage(spec.path, markdown, location.file if location else None))
    return pages
