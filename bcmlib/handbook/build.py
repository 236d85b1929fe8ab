"""Everything a site builder needs from a plan folder: the pages and the navigation, or why not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from bcmlib.handbook.pages import HandbookPage, Repository, page_title, render_handbook
from bcmlib.handbook.printing import (
    PDF_CACHE_ENV,
    Layout,
    PrintJob,
    Section,
    footer_text,
    pdf_cache,
    print_document,
    print_pdfs,
    relink,
)
from bcmlib.i18n import LANGUAGES, Lang, translate
from bcmlib.loading.changes import PlanDiff, diff_plans
from bcmlib.loading.loader import read_plan
from bcmlib.loading.revisions import RevisionError, is_git_revision, read_plan_at
from bcmlib.models import Plan
from bcmlib.monitoring.drill_calendar import drill_calendar, planned_drills
from bcmlib.validation.validator import validate

__all__ = [
    "ADMIN_BINDER",
    "BINDER",
    "CALENDAR",
    "PEOPLE_RUNBOOKS",
    "PLAN_ENV",
    "POLYFILLS",
    "SCRIPTS",
    "STYLESHEETS",
    "THEME",
    "Handbook",
    "HandbookError",
    "abbreviations",
    "handbook_language",
    "prepare_handbook",
    "print_jobs",
    "print_site",
]

BINDER = "handbook.pdf"
"""Where the crisis binder goes in the site."""
ADMIN_BINDER = "handbook-admin.pdf"
"""Where the coordinator's binder goes in the site."""
CALENDAR = "drills.ics"
"""Where the drill programme's iCalendar file goes in the site."""
PEOPLE_RUNBOOKS = "runbooks/people/"
"""Where each person's runbook goes in the site."""
PLAN_ENV = "BCM_PLAN"
"""The environment variable naming the plan, for every bcm command and for the hook, over `extra.plan`."""
THEME = Path(__file__).parent / "theme"
"""The handbook's template overrides, styles and scripts, put in front of Material's: MkDocs copies
every file of a theme folder into the site, so a company's repository holds none of them."""
STYLESHEETS = ("assets/stylesheets/bcm-handbook.css", "assets/stylesheets/bcm-print.css")
"""The theme's stylesheets, which the hook puts before a company's own `extra_css`."""
SCRIPTS = ("assets/javascripts/bcm-tables.js",)
"""The theme's scripts, which the hook puts before a company's own `extra_javascript`."""
POLYFILLS = ("assets/vendor/iframe-worker/shim.js",)
"""Scripts loaded before Material's bundle: iframe-worker's shim lets search run from a `file://` share;
served from the site, as the site loads nothing from a CDN (the licence and source are beside it)."""


class HandbookError(Exception):
    """The plan cannot be built into a handbook; the message has every problem, one per line."""


@dataclass(frozen=True)
class Handbook:
    """The generated pages, and the navigation: (title, path) pairs in reading order."""

    pages: list[HandbookPage]
    nav: list[dict[str, Any]]
    abbreviations: str
    """Markdown abbreviation definitions for the glossary's acronyms, to append to every page."""
    plan: Plan
    lang: Lang
    built: date

    def calendar(self) -> bytes:
        """The announced drills of the year from the build day, as an iCalendar file."""
        drills = planned_drills(self.plan, self.built)
        stamp = datetime.combine(self.built, time(), UTC)
        ical: bytes = drill_calendar(self.plan, drills, stamp, self.lang).to_ical()
        return ical

    def page(self, path: str) -> HandbookPage | None:
        """The generated page at `path` in the docs folder, or None for a hand-written one."""
        return next((page for page in self.pages if page.path == path), None)

    def binder(self) -> list[HandbookPage]:
        """The pages of the crisis binder: the crisis pages, every person's runbook, then the wallet card.

        A person's runbook carries what their roles demand, so the roles' own runbooks stay on the site.
        """
        crisis = [page for page in self.pages if page.part == "crisis" and not page.runbook]
        # Not the index of people's runbooks, which is a crisis page of its own.
        people = [page for page in self.pages if page.runbook and page.path.startswith(PEOPLE_RUNBOOKS)]
        cards = [page for page in crisis if page.printed == "card"]
        return [*(page for page in crisis if page not in cards), *people, *cards]

    def admin_binder(self) -> list[HandbookPage]:
        """The pages of the coordinator's binder, kept apart from the one read in a crisis."""
        return [page for page in self.pages if page.part == "coordinator"]


def handbook_language(chosen: object) -> Lang:
    """The handbook's language from mkdocs.yml's `theme.language`, which Material's own words follow too.

    One setting for both, so the generated pages, the PDFs and Material's words (search box, 404 page)
    never disagree; unset, it is Material's default, English. Any other value raises `HandbookError`,
    said in every language the handbook has, since none was chosen that the reader is known to read.
    """
    for lang in LANGUAGES:
        if chosen == lang:
            return lang
    said = [translate("handbook.build.language", to, language=chosen, known=LANGUAGES) for to in LANGUAGES]
    raise HandbookError("\n".join(said))


def prepare_handbook(
    plan_dir: Path,
    built: date,
    lang: Lang = "zh",
    *,
    redact: bool = False,
    baseline: str | None = None,
    repository: Repository | None = None,
) -> Handbook:
    """Load and validate the plan in `plan_dir` and render its pages; raise `HandbookError` if it is unusable.

    A plan that cannot be loaded, or whose references or workflow are broken, builds no handbook at all,
    so no reader ever sees a half-built one. Any other error (an expired waiver, a date that aged) is
    shown on the plan-health page: the handbook is what people read in a crisis, and `bcm check` is the
    gate that keeps such errors out of a release. `redact`
    leaves every personal contact channel out, for a handbook read beyond the people in it. The
    changes page compares the plan with `baseline` (a plan folder or a git revision), by default the
    git tag named after the previous version in the revision history, when there is one. Plan files
    are named by their path in `repository`, by default the folder `plan_dir` is in.
    """
    plan, problems = read_plan(plan_dir)
    if plan is None:
        lines = [problem.describe(lang) for problem in problems]
        raise HandbookError("\n".join([*lines, translate("cli.load_failed", lang, count=len(problems))]))
    # The findings are the plan's, so they are found in all of it: checked without the channels a
    # redacted edition leaves out, every commander whose only phone is personal would be reported as
    # having none, and findings would point at the wrong line of people.yaml. None of them can leak a
    # channel, as no rule's message quotes a contact's value.
    report = validate(plan, today=built)
    if report.blocking:
        lines = [finding.describe(lang) for finding in report.blocking]
        raise HandbookError("\n".join([*lines, translate("handbook.build.errors", lang, count=len(lines))]))
    # Everything published from here on (pages, changes, search words, PDFs, calendar) reads this copy.
    edition = plan.redacted() if redact else plan
    changes = _changes(edition, plan_dir, baseline, lang, redact=redact)
    pages = render_handbook(edition, report, built, lang, changes, repository, checked=plan)
    return Handbook(pages, _navigation(pages, lang), abbreviations(edition), edition, lang, built)


def print_jobs(handbook: Handbook, contents: Mapping[str, str], site: Path) -> list[PrintJob]:
    """The PDFs of a built site: the crisis binder, the coordinator's binder, and each printed page's own.

    `contents` maps a page's path (`processes.md`) to its content as the site renders it.
    """
    lang = handbook.lang
    footer = footer_text(handbook.plan, lang)
    document = handbook.plan.document
    title = f"{document.number} {document.title}"
    crisis = translate("handbook.print.binder", lang, title=title)
    admin = translate("handbook.print.admin_binder", lang, title=title)
    # First: the binders are the longest jobs, and the pool takes jobs in order.
    jobs = [
        _job(site, BINDER, handbook.binder(), contents, footer, lang, cover=crisis),
        _job(site, ADMIN_BINDER, handbook.admin_binder(), contents, footer, lang, cover=admin),
    ]
    for page in handbook.pages:
        if page.printed is not None:
            pdf = PurePosixPath(page.path).with_suffix(".pdf").as_posix()
            jobs.append(_job(site, pdf, [page], contents, footer, lang, layout=page.printed))
    return jobs


def print_site(
    handbook: Handbook,
    contents: Mapping[str, str],
    site: Path,
    config_file: Path,
    extra: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    background: bool = False,
) -> None:
    """Print the PDFs of a built site, as mkdocs.yml at `config_file` (its `extra`) and `environ` say.

    `extra.pdf: false` (BCM_PDF=false) prints none. A PDF whose source is unchanged since the last build
    comes from the cache (BCM_PDF_CACHE or `extra.pdf_cache`, by default the user's cache folder; false
    for none), so a rebuild prints only what an edit changed. `contents` is as for `print_jobs`. With
    `background` (a preview server), the PDFs still to print are printed behind the build.
    """
    if not extra.get("pdf", True):
        return
    setting = environ.get(PDF_CACHE_ENV, extra.get("pdf_cache"))
    edition = f"{config_file}\n{handbook.lang}\n{bool(extra.get('redact', False))}"
    cache = pdf_cache(setting, config_file.parent, edition)
    print_pdfs(print_jobs(handbook, contents, site), cache=cache, background=background)


def _job(
    site: Path,
    pdf: str,
    pages: Sequence[HandbookPage],
    contents: Mapping[str, str],
    footer: str,
    lang: Lang,
    *,
    layout: Layout = "a4",
    cover: str | None = None,
) -> PrintJob:
    """The job that prints `pages` into `pdf`, a path in the site; `cover` titles a binder's contents."""
    html = {page.path: PurePosixPath(page.path).with_suffix(".html").as_posix() for page in pages}
    anchors = {html[page.path]: f"page-{number}" for number, page in enumerate(pages)}
    sections = [
        Section(
            page_title(page.markdown),
            anchors[html[page.path]],
            relink(contents[page.path], html[page.path], pdf, anchors),
        )
        for page in pages
    ]
    title = cover or sections[0].title
    document = print_document(title, sections, footer, lang, layout, contents=cover is not None)
    return PrintJob(site / pdf, document)


def _changes(
    plan: Plan, plan_dir: Path, baseline: str | None, lang: Lang, *, redact: bool
) -> PlanDiff | None:
    """The changes since `baseline`, or since the previous version's git tag; None without either.

    With `redact`, the baseline is redacted as `plan` is, so a personal channel changed, added or
    removed since is no change the page shows.
    """
    if baseline is None:
        revisions = plan.document.revisions
        if len(revisions) < 2 or not is_git_revision(revisions[-2].version, plan_dir):
            return None
        baseline = revisions[-2].version
    try:
        old, problems = read_plan_at(baseline, plan_dir)
    except RevisionError as error:
        raise HandbookError(str(error)) from error
    if old is None:
        lines = [problem.describe(lang) for problem in problems]
        raise HandbookError(
            "\n".join([*lines, translate("handbook.build.baseline", lang, baseline=baseline)])
        )
    return diff_plans(old.redacted() if redact else old, plan)


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
    """The crisis pages at the top of the menu, then the coordinator's in a section of their own.

    The runbooks themselves are reached from their index and from the organisation page, not from the
    navigation: every page carries the whole navigation, and a plan with 1,000 roles would put 2,000
    links on each of its 2,000 pages.
    """
    crisis = [{page.label: page.path} for page in pages if page.part == "crisis" and page.label]
    desk = [{page.label: page.path} for page in pages if page.part == "coordinator" and page.label]
    return [*crisis, {translate("handbook.nav.coordinator", lang): desk}]
