"""Everything a site builder needs from a plan folder: the pages and the navigation, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bcmlib.handbook.pages import HandbookPage, render_handbook
from bcmlib.i18n import Lang, translate
from bcmlib.loading.loader import read_plan
from bcmlib.models import Plan
from bcmlib.validation.validator import validate

__all__ = ["Handbook", "HandbookError", "abbreviations", "prepare_handbook"]


class HandbookError(Exception):
    """The plan cannot be built into a handbook; the message has every problem, one per line."""


@dataclass(frozen=True)
class Handbook:
    """The generated pages, and the navigation: (title, path) pairs in reading order."""

    pages: list[HandbookPage]
    nav: list[dict[str, Any]]
    abbreviations: str
    """Markdown abbreviation definitions for the glossary's acronyms, to append to every page."""


def prepare_handbook(plan_dir: Path, built: date, lang: Lang = "zh") -> Handbook:
    """Load and validate the plan in `plan_dir` and render its pages; raise `HandbookError` if it has errors.

    A plan with errors builds no handbook at all, so no reader ever sees a half-built one.
    """
    plan, problems = read_plan(plan_dir)
    if plan is None:
        lines = [problem.describe(lang) for problem in problems]
        raise HandbookError("\n".join([*lines, translate("cli.load_failed", lang, count=len(problems))]))
    report = validate(plan, today=built)
    if report.errors:
        lines = [finding.describe(lang) for finding in report.errors]
        raise HandbookError("\n".join([*lines, translate("handbook.build.errors", lang, count=len(lines))]))
    pages = render_handbook(plan, report, built, lang)
    return Handbook(pages, _navigation(pages, lang), abbreviations(plan))


def abbreviations(plan: Plan) -> str:
    """`*[RTO]: Recovery Time Objective 最大恢复时间` for each glossary acronym (Material tooltips)."""
    lines = []
    for term in plan.glossary:
        if term.term.isascii() and term.term.isalnum():
            # One line: an abbreviation's definition ends at the line's end.
            meaning = " ".join(f"{term.english or ''} {term.definition}".split())
            lines.append(f"*[{term.term}]: {meaning}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def _navigation(pages: list[HandbookPage], lang: Lang) -> list[dict[str, Any]]:
    """The top-level pages in order, then the index page of each kind of runbook.

    The runbooks themselves are reached from their index and from the organisation page, not from the
    navigation: every page carries the whole navigation, and a plan with 1,000 roles would put 2,000
    links on each of its 2,000 pages.
    """
    nav: list[dict[str, Any]] = []
    for page in pages:
        if page.section is None or page.path.endswith("/index.md"):
            nav.append({_title(page.markdown): page.path})
    return nav


def _title(markdown: str) -> str:
    """The page's first heading, which MkDocs would take as its title."""
    first = markdown.lstrip().splitlines()[0]
    return first.removeprefix("# ").replace("\\", "")
