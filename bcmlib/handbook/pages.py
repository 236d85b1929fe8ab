"""Which pages the handbook has, and rendering each from its template with the plan.

Every value a template prints passes through `text.inline` unless it is `Markup` the library made, so
plan text is escaped wherever it lands. Interface strings come from the `handbook` section of the
locale catalogues.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from bcmlib.handbook.context import chains, crisis, departments, monitoring, preparedness, registers, runbooks
from bcmlib.handbook.context.communication import communication_page
from bcmlib.handbook.printing import Layout
from bcmlib.handbook.text import cell, code, inline
from bcmlib.i18n import Lang, Msg, translate
from bcmlib.loading.changes import PlanDiff
from bcmlib.locations import Location
from bcmlib.models import CallLink, Contactable, ContactChannel, Duration, Person, Plan, Role
from bcmlib.models.values import spoken
from bcmlib.response.calls import Call, calls_for, dial, holders_now
from bcmlib.validation.findings import Report

__all__ = ["HandbookPage", "Part", "Repository", "page_title", "render_handbook"]


Part = Literal["crisis", "coordinator"]
"""Who a page is for: anyone acting in a crisis, or the BCM coordinator keeping the plan at a desk."""


@dataclass(frozen=True)
class HandbookPage:
    """A generated page: its path in the site, its Markdown, who it is for and the plan file behind it."""

    path: str
    """Its path under the docs folder, such as `processes.md`."""
    markdown: str
    source: Path | None
    """The YAML file its content comes from, for the page's edit link."""
    part: Part
    """Whose part of the handbook it is in: the menu, the search rank and the binder follow it."""
    label: str | None = None
    """Its name in the menu, or None for a page reached only from other pages (a runbook)."""
    printed: Layout | None = None
    """The sheet its own PDF is printed on, or None for a page printed only in a binder."""

    @property
    def runbook(self) -> bool:
        """Whether it is a role's or a person's runbook, one of many reached from an index."""
        return self.label is None


@dataclass(frozen=True)
class Repository:
    """The repository the plan lives in: where it is on the build machine, and where its files are edited.

    Pages name a plan file by its path in the repository (`plan/roles.yaml`), never by where the build
    machine keeps it.
    """

    root: Path
    """Its folder on the build machine."""
    edit_url: str | None = None
    """The address a file's path in the repository is appended to for its edit page; None for no links."""

    def edit_path(self, file: Path) -> str | None:
        """`file`'s path in the repository, with forward slashes; None outside it (a plan kept elsewhere)."""
        path = Path(os.path.relpath(file.resolve(), self.root.resolve())).as_posix()
        return None if path.startswith("../") else path

    def where(self, location: Location) -> Markup:
        """A place in a plan file as `plan/roles.yaml:12:5`, linked to the file's edit page if it has one.

        A file outside the repository is named by its folder and name (`plan/roles.yaml`), not by
        where the build machine keeps it, and has no edit page.
        """
        file = location.file.resolve()  # a plan given as ../elsewhere is named by its own folder
        path = self.edit_path(file)
        shown = path or f"{file.parent.name}/{file.name}"
        text = inline(f"{shown}:{location.line}:{location.column}" if location.line else shown)
        if self.edit_url is None or path is None:
            return text
        return Markup("[{}]({})").format(text, Markup(self.edit_url + quote(path)))


@dataclass(frozen=True)
class _Spec:
    path: str
    template: str
    section: str | None
    """The plan section whose file the edit link points at."""
    part: Part
    label: str | None = None
    """The interface-string key of its name in the menu, for a page whose title is too long for it; by
    default its title."""
    extra: Callable[[Plan], dict[str, Any]] = lambda plan: {}
    printed: Layout | None = None


@dataclass(frozen=True)
class _EachSpec:
    """One page for each item of a plan collection, such as a runbook for each role."""

    collection: str
    folder: str
    template: str
    section: str
    extra: Callable[[Plan, Any, Any], dict[str, Any]]
    prepare: Callable[[Plan], Any] = lambda plan: None
    """What every page of the collection shares, computed once (so 1,000 pages cost 1,000, not a million)."""
    part: Part = "crisis"


# In reading order: the crisis pages first, in the order a person needs them, then the coordinator's.
_SPECS = (
    _Spec("index.md", "home.md.j2", "document", "crisis", "nav.home", crisis.home),
    _Spec("scenarios.md", "scenarios.md.j2", "risk_scenarios", "crisis", extra=crisis.scenario_pages),
    _Spec("contacts.md", "contacts.md.j2", "people", "crisis", extra=crisis.contacts),
    _Spec("crisis-levels.md", "crisis_levels.md.j2", "crisis_levels", "crisis"),
    _Spec("communication.md", "communication.md.j2", "communication", "crisis", extra=communication_page),
    _Spec(
        "runbooks/people/index.md",
        "person_index.md.j2",
        "people",
        "crisis",
        "nav.people",
        registers.people_index,
    ),
    _Spec("processes.md", "processes.md.j2", "processes", "crisis", "nav.processes", registers.processes),
    _Spec("supplies.md", "supplies.md.j2", "emergency_supplies", "crisis", extra=preparedness.supplies),
    _Spec(
        "wallet-card.md", "wallet_card.md.j2", "people", "crisis", extra=crisis.wallet_card, printed="card"
    ),
    _Spec("dashboard.md", "dashboard.md.j2", "document", "coordinator"),
    _Spec("plan-health.md", "plan_health.md.j2", "waivers", "coordinator"),
    _Spec("governance.md", "governance.md.j2", "kpis", "coordinator", extra=registers.governance),
    _Spec("coverage.md", "coverage.md.j2", "document", "coordinator"),
    _Spec("changes.md", "changes.md.j2", "document", "coordinator"),
    _Spec("organisation.md", "organisation.md.j2", "roles", "coordinator", extra=registers.organisation),
    _Spec(
        "runbooks/roles/index.md",
        "role_index.md.j2",
        "roles",
        "coordinator",
        "nav.roles",
        registers.organisation,
    ),
    _Spec(
        "departments/index.md",
        "department_index.md.j2",
        "departments",
        "coordinator",
        "nav.departments",
        departments.department_index,
    ),
    _Spec(
        "incident-flow.md",
        "incident_flow.md.j2",
        "incident_workflow",
        "coordinator",
        extra=registers.incident_flow,
    ),
    _Spec(
        "dependencies.md",
        "dependencies.md.j2",
        "processes",
        "coordinator",
        extra=chains.chain_page,
        printed="a4",
    ),
    _Spec("risks.md", "risks.md.j2", "risk_scenarios", "coordinator", extra=registers.risks),
    _Spec("insurance.md", "insurance.md.j2", "insurance", "coordinator", extra=preparedness.insurance),
    _Spec("strategies.md", "strategies.md.j2", "strategies", "coordinator", extra=preparedness.strategies),
    _Spec("systems.md", "systems.md.j2", "systems", "coordinator", extra=registers.systems),
    _Spec("exercises.md", "exercises.md.j2", "exercises", "coordinator", extra=registers.exercises),
    _Spec("forms.md", "forms.md.j2", "forms", "coordinator"),
)
_EACH = (
    _EachSpec(
        "roles", "runbooks/roles", "role_runbook.md.j2", "roles", runbooks.role_runbook, runbooks.runbooks
    ),
    _EachSpec(
        "people",
        "runbooks/people",
        "person_runbook.md.j2",
        "people",
        runbooks.person_runbook,
        runbooks.runbooks,
    ),
    _EachSpec(
        "departments",
        "departments",
        "department.md.j2",
        "departments",
        departments.department_page,
        departments.department_plans,
        "coordinator",
    ),
)


def _safe(value: object) -> object:
    """Numbers and the library's own markup as they are; anything else is plan text, escaped."""
    return value if isinstance(value, Markup | int | float) else inline(value)


@pass_context
def _item_name(context: Context, item_id: str, collection: str) -> str:
    plan: Plan = context["plan"]
    name: str = plan.collections[collection][item_id].name
    return name


@pass_context
def _role_name(context: Context, role_id: str) -> str:
    plan: Plan = context["plan"]
    role = plan.collections["roles"].get(role_id)
    return role.name if role is not None else role_id


@pass_context
def _calls_of(context: Context, link: CallLink) -> list[Call]:
    return calls_for(context["plan"], link)


@pass_context
def _holders_of(context: Context, role: Role) -> list[Person]:
    return holders_now(context["plan"], role)


def _tel(number: str) -> Markup:
    """An emergency service's number as a `tel:` address (the model admits only dialable numbers)."""
    return Markup(dial(number) or "")


def _dialled(number: str, mark: str = "") -> Markup:
    """A phone number as a `tel:` link; one that cannot be dialled as written stays text, to read and dial."""
    address = dial(number)
    # A `|` would split the Markdown table row the number sits in, even inside HTML.
    shown = Markup(escape(number).replace("|", "&#124;"))
    if address is None:
        return Markup('<span class="bcm-tel">{}{}</span>').format(mark, shown)
    return Markup('<a class="bcm-tel" href="tel:{}">{}{}</a>').format(address, mark, shown)


@functools.cache
def _compiled_templates() -> FileSystemBytecodeCache | None:
    """Where the templates are kept compiled from one build to the next: compiling took 0.8 s of each.

    Jinja's own folder for the user in the temporary folder (Jinja checks it is the user's, 0700), under
    file names of this environment, whose settings the compiled code depends on.
    """
    try:
        return FileSystemBytecodeCache(pattern="bcm-handbook-pages-%s.cache")
    except (OSError, RuntimeError):  # no folder only the user can write: compiled for each build instead
        return None


def _environment(lang: Lang) -> Environment:
    def finalize(value: object) -> object:
        return _safe(spoken(value, lang))

    def duration(value: object) -> object:
        """A value the plan spells as a duration but that arrives as text (a change's old and new RTO)."""
        return spoken(Duration(value) if isinstance(value, str) else value, lang)

    env = Environment(
        loader=PackageLoader("bcmlib.handbook", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        autoescape=False,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["cell"] = lambda value: cell(spoken(value, lang))
    # `html` is for raw HTML, where Markdown reads no backslash escapes: plan text is HTML-escaped only.
    env.filters.update(code=code, html=lambda value: escape(spoken(value, lang)))
    env.filters["duration"] = duration
    env.filters["item_name"] = _item_name
    env.filters["role_name"] = _role_name
    env.filters["tel"] = _tel
    env.globals["holders_of"] = _holders_of
    env.globals["calls_of"] = _calls_of
    env.filters["state_name"] = lambda state, workflow: next(
        (known.name for known in workflow.states if known.id == state), state
    )
    env.filters["prefix"] = lambda value, prefix: prefix + str(value)
    env.filters["slug"] = lambda value: Markup(quote(str(value), safe="/"))

    def way(contact: ContactChannel) -> Markup:
        value = _dialled(contact.value) if contact.is_phone else inline(contact.value)
        text = interface(f"runbook.channel.{contact.channel}") + Markup(" ") + value
        if contact.verified_on is not None:
            text += interface("runbook.verified", date=contact.verified_on.isoformat())
        return text

    @pass_context
    def reach(context: Context, person: Contactable) -> Markup:
        """Every way to reach a person or an outside party, phones as calls; no phone is said in words."""
        ways = [way(contact) for contact in person.contacts]
        if not person.phones:
            ways.insert(0, phone(context, person))
        if not person.contacts:
            ways.append(interface("runbook.see_emergency_list"))
        return Markup(translate("list_separator", lang)).join(ways)

    @pass_context
    def phone(context: Context, person: Contactable) -> Markup:
        """Someone's phones as `tel:` links, or words: none in the plan, or left out."""
        numbers = [c.value for c in person.phones if re.search(r"[0-9]", c.value)]
        if numbers:
            return Markup(" ").join(_dialled(number, "☎ ") for number in numbers)
        plan: Plan = context["plan"]
        # A redacted edition is read by people not in it: the number exists, they are not to have it.
        missing = "people.phone_withheld" if plan.phone_withheld(person) else "people.no_phone"
        return Markup('<span class="bcm-no-phone">{}</span>').format(interface(missing))

    def interface(key: str, **params: object) -> Markup:
        return interface_key(f"handbook.{key}", **params)

    def message(msg: Msg) -> Markup:
        """A message of the library's own catalogue (a KPI's formula, why it has no value)."""
        return interface_key(msg.key, **msg.params)

    def interface_key(key: str, **params: object) -> Markup:
        return Markup(
            translate(key, lang, **{name: _safe(spoken(value, lang)) for name, value in params.items()})
        )

    def print_link(href: str, key: str = "print.link") -> Markup:
        """A link to a page's PDF; raw HTML, since MkDocs checks Markdown links before the PDFs exist."""
        return Markup('<a class="bcm-print-link" href="{}">{}</a>').format(quote(href), interface(key))

    def aside(text: object, detail: object) -> Markup:
        """`text` followed by a detail about it, in brackets as the language writes them."""
        return interface_key("punctuation.aside", text=text, detail=detail)

    env.filters["say_key"] = interface_key
    env.globals["aside"] = aside
    # Written by the templates between the pieces they glue together; plan text never passes through.
    env.globals["punctuation"] = {
        name: Markup(translate(key, lang))
        for name, key in (
            ("colon", "punctuation.colon"),
            ("clause", "punctuation.clause_separator"),
            ("end", "punctuation.sentence_end"),
            ("list", "list_separator"),
        )
    }
    env.globals["t"] = interface
    env.globals["message"] = message
    env.globals["say"] = interface_key
    env.globals["reach"] = reach
    env.globals["phone"] = phone
    env.globals["print_link"] = print_link
    return env


def _root(path: str) -> Markup:
    r"""The way from the page at `path` up to the docs folder, for its links: a path, not text to escape.

    Escaped as text, `\.\./` reads the same to MkDocs but not to an engine that checks links in the
    Markdown itself (Zensical), which then finds no such page.
    """
    return Markup("../" * path.count("/"))


def render_handbook(
    plan: Plan,
    report: Report,
    built: date,
    lang: Lang = "zh",
    changes: PlanDiff | None = None,
    repository: Repository | None = None,
    *,
    checked: Plan | None = None,
) -> list[HandbookPage]:
    """Every generated page of the handbook for `plan`.

    The validator's `report` goes on the health page, and `changes` since the previous version (None
    when that version's data is not on record) on the changes page. The health page names plan files
    by their path in `repository`; without one, the plan's folder (or file) is taken to sit at the
    repository's root, as `plan/` does, and nothing is linked. `checked` is the plan `report` was found
    in, when `plan` is a redacted copy of it; nothing of it is printed.
    """
    if repository is None:
        # A plan built in code has no files, so no finding has a location and the root is never used.
        where = plan.locate(())
        repository = Repository(where.file.parent if where else Path())
    env = _environment(lang)
    common = {
        "plan": plan,
        "report": report,
        "built": built,
        "lang": lang,
        "changes": changes,
        "repository": repository,
        **monitoring.monitoring(plan, report, built, checked, lang),
    }
    pages = []
    for spec in _SPECS:
        root = {"root": _root(spec.path)}
        markdown = env.get_template(spec.template).render({**common, **root, **spec.extra(plan)})
        source = _source(plan, (spec.section,) if spec.section else ())
        label = translate(f"handbook.{spec.label}", lang) if spec.label else page_title(markdown)
        pages.append(HandbookPage(spec.path, markdown, source, spec.part, label, spec.printed))
    for each in _EACH:
        template = env.get_template(each.template)
        shared = each.prepare(plan)
        for index, item in enumerate(getattr(plan, each.collection)):
            path = f"{each.folder}/{item.id}.md"
            markdown = template.render({**common, "root": _root(path), **each.extra(plan, item, shared)})
            source = _source(plan, (each.collection, index))
            pages.append(HandbookPage(path, markdown, source, each.part, printed="a4"))
    return pages


def _source(plan: Plan, path: tuple[str | int, ...]) -> Path | None:
    location = plan.locate(path) if path else None
    return location.file if location else None


def page_title(markdown: str) -> str:
    """The page's first heading, which MkDocs would take as its title."""
    first = markdown.lstrip().splitlines()[0]
    return first.removeprefix("# ").replace("\\", "")
