"""The printed handbook: a PDF for each runbook, the wallet card, and the crisis and coordinator binders.

WeasyPrint lays out a print document made of the pages' own HTML (the site's content, without its
navigation) and `print/print.css`. Measured on this project's runbooks, it printed 31 A4 pages in 2.7 s
with real subset CID fonts whose text extracts as written; headless Chromium took 6.3 s for the same
pages and embeds Type 3 fonts whose text extracts as Kangxi radicals (手 as ⼿). WeasyPrint runs no
script, which is why the site draws its diagram as SVG at build time.

A PDF's links never name the build machine: a link to a page printed in the same PDF goes to its
section, and any other stays relative, so it works wherever the PDF and the site are copied together.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from multiprocessing import get_context
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from bcmlib.i18n import Lang, translate
from bcmlib.models import Plan

__all__ = [
    "Layout",
    "PrintJob",
    "PrintedPdf",
    "Section",
    "footer_text",
    "print_document",
    "print_pdfs",
    "relink",
]

Layout = Literal["a4", "card"]
"""A4 sheets for runbooks and the binder; a card of 74 × 105 mm (A7) for the wallet card."""


@dataclass(frozen=True)
class Section:
    """One page of the site in a print document: its title, an anchor for the contents, and its HTML."""

    title: str
    anchor: str
    body: Markup
    """The page's content as the site renders it: plan text in it is already escaped."""


@dataclass(frozen=True)
class PrintJob:
    """One PDF to write: where, and the whole HTML document, its links already made to work from there."""

    pdf: Path
    html: str


@dataclass(frozen=True)
class PrintedPdf:
    """A PDF written, how many pages it has, and how long it took."""

    pdf: Path
    pages: int
    seconds: float


def footer_text(plan: Plan, lang: Lang) -> str:
    """What every printed page carries: the company, the document, its version and date, its approval."""
    document = plan.document
    revision = document.revisions[-1]
    signed = [approval.signed_on for approval in document.approvals]
    if signed and all(day is not None for day in signed):
        approval = translate("handbook.print.approved", lang, date=max(d for d in signed if d).isoformat())
    else:
        approval = translate("handbook.print.not_approved", lang)
    footer = translate(
        "handbook.print.footer",
        lang,
        number=document.number,
        title=document.title,
        version=revision.version,
        date=revision.date.isoformat(),
        approval=approval,
    )
    if plan.company is None:
        return footer
    return translate("handbook.print.company_footer", lang, company=plan.company.title, footer=footer)


def print_document(
    title: str,
    sections: Sequence[Section],
    footer: str,
    lang: Lang,
    layout: Layout = "a4",
    contents: bool = False,
) -> str:
    """The HTML document WeasyPrint prints: `sections` in order, after a cover with contents if asked."""
    folio = translate(
        "handbook.print.folio",
        lang,
        page=Markup('<span class="page-number"></span>'),
        pages=Markup('<span class="page-total"></span>'),
    )
    return (
        _environment()
        .get_template("document.html.j2")
        .render(
            lang_tag=translate("handbook.print.lang_tag", lang),
            title=title,
            css=_stylesheet(),
            layout=layout,
            footer=footer,
            folio=Markup(folio),
            contents=contents,
            contents_title=translate("handbook.print.contents", lang),
            sections=sections,
        )
    )


_LINK = re.compile(r'(<a\s(?:[^>]*?\s)?href=")([^"]*)(")')
"""A link's address in a page's content. MkDocs writes every attribute in double quotes and the plan's
text arrives escaped, so `<a ` only ever starts a tag; `xlink:href` (an SVG's own references) is left out."""


def relink(body: str, page: str, pdf: str, sections: Mapping[str, str]) -> Markup:
    """`body`'s links, written for the site's page at `page`, made to work in the PDF at `pdf`.

    Both are paths in the site (`runbooks/people/person-1.html`, `handbook.pdf`). A link to a page printed in
    the same PDF goes to that page's section (`sections` maps a page's path to its section's anchor); a
    link to any other page of the site becomes relative to the PDF's folder. Addresses with a scheme
    (`https:`, `mailto:`), from the site's root, or within the page stay as they are.
    """
    folder = posixpath.dirname(page)
    here = posixpath.dirname(pdf) or "."

    def rewrite(match: re.Match[str]) -> str:
        link = urlsplit(html.unescape(match.group(2)))
        if link.scheme or link.netloc or not link.path or link.path.startswith("/"):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, unquote(link.path)))
        if target in sections:
            # Not the fragment: a heading's id repeats across the binder's pages, so it could land in another.
            address = "#" + sections[target]
        else:
            path = quote(posixpath.relpath(target, here))
            address = urlunsplit(("", "", path, link.query, link.fragment))
        return f"{match.group(1)}{escape(address)}{match.group(3)}"

    return Markup(_LINK.sub(rewrite, body))


def print_pdfs(jobs: Iterable[PrintJob], workers: int | None = None) -> list[PrintedPdf]:
    """Write every job's PDF, several at a time, one process per core.

    Separate processes because layout is pure Python and holds the interpreter lock; spawned ones
    because the build that calls this may run threads (a fork could copy a held lock).
    """
    todo = list(jobs)
    if not todo:
        return []
    count = min(workers or os.cpu_count() or 1, len(todo))
    if count == 1:
        return [_print(job) for job in todo]
    with ProcessPoolExecutor(count, mp_context=get_context("spawn")) as pool:
        # One job at a time: a job takes 0.1 s to a minute, so a batch could leave a process idle.
        return list(pool.map(_print, todo))


def _print(job: PrintJob) -> PrintedPdf:
    # 0.4 s to import: only the processes that print pay it.
    from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: PLC0415

    start = time.perf_counter()
    # No base URL: WeasyPrint would make every relative link absolute against it, a file: address on
    # the build machine. The document loads nothing by address: its style and its diagrams are inline.
    document = HTML(string=job.html).render(font_config=_fonts())
    job.pdf.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(job.pdf)
    return PrintedPdf(job.pdf, len(document.pages), time.perf_counter() - start)


@cache
def _fonts() -> object:
    """One font configuration per process: building it scans the system's fonts."""
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]  # noqa: PLC0415

    # WeasyPrint logs each CSS property it does not know (Material's) and each repeated anchor.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return FontConfiguration()


@cache
def _stylesheet() -> Markup:
    return Markup(files("bcmlib.handbook").joinpath("print/print.css").read_text(encoding="utf-8"))


@cache
def _environment() -> Environment:
    """One environment, so a build of 2,000 documents compiles the template once."""
    return Environment(
        loader=PackageLoader("bcmlib.handbook", "print"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
