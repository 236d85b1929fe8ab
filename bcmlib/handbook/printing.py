"""The printed handbook: a PDF for each runbook, the wallet card, and the crisis and coordinator binders.

WeasyPrint lays out a print document made of the pages' own HTML (the site's content, without its
navigation) and `print/print.css`. Measured on this project's runbooks, it printed 31 A4 pages in 2.7 s
with real subset CID fonts whose text extracts as written; headless Chromium took 6.3 s for the same
pages and embeds Type 3 fonts whose text extracts as Kangxi radicals (手 as ⼿). WeasyPrint runs no
script, which is why the site draws its diagram as SVG at build time.

A PDF's links never name the build machine: a link to a page printed in the same PDF goes to its
section, and any other stays relative, so it works wherever the PDF and the site are copied together.

The PDFs are printed on every core, and kept between builds in a cache keyed by what each is printed
from, so a rebuild prints only the PDFs its edit changed (`print_pdfs`, `pdf_cache`). While `mkdocs
serve` previews an edit, the PDFs still to print are printed behind it (`background=True`), so the page
reloads at once and a binder follows when it is printed.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from hashlib import sha256
from importlib.metadata import version
from importlib.resources import files
from multiprocessing import get_context, parent_process
from multiprocessing.connection import wait
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from platformdirs import user_cache_dir

from bcmlib.i18n import Lang, translate
from bcmlib.models import Plan

__all__ = [
    "PDF_CACHE_ENV",
    "Layout",
    "PrintJob",
    "PrintedPdf",
    "Section",
    "footer_text",
    "pdf_cache",
    "print_document",
    "print_pdfs",
    "relink",
    "wait_for_background",
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
    """A PDF written, how many pages it has, and how long it took (to print, or to copy)."""

    pdf: Path
    pages: int
    seconds: float
    reused: bool = False
    """Copied from the cache, not printed."""


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


def print_pdfs(
    jobs: Iterable[PrintJob],
    workers: int | None = None,
    cache: Path | None = None,
    *,
    background: bool = False,
) -> list[PrintedPdf]:
    """Write every job's PDF, on every core, reusing from `cache` each PDF printed before.

    A PDF is kept in `cache` under a hash of all it is printed from (see `_key`), so it is reused only
    when its whole print document, and the printer, are unchanged: a rebuild after one plan edit
    prints only the PDFs that edit changed. After the build, `cache` keeps only this build's PDFs.

    With `background`, the PDFs reused are written before this returns and the rest are printed by a
    thread behind it; what it returns is the PDFs reused. A later call's work replaces work a former
    one left that has not started: a preview prints only for the latest edit.
    """
    todo = list(jobs)
    # First: from here on, PDFs a former build left printing behind are not written into the site.
    generation = _BACKGROUND.supersede()
    if not todo:
        return []
    if cache is not None and not _private(cache):
        cache = None
    printer = _printer()
    keys = [_key(job, printer) for job in todo]
    done: dict[int, PrintedPdf] = {}
    for index, job in enumerate(todo):
        reused = _reuse(job, cache / f"{keys[index]}{_ENTRY}") if cache is not None else None
        if reused is not None:
            done[index] = reused
    missing = [(index, job, keys[index]) for index, job in enumerate(todo) if index not in done]
    if background:
        if missing:
            _log.info("Printing %d PDFs behind the preview; they appear when printed", len(missing))
        _BACKGROUND.submit(
            generation, lambda: _print_behind(missing, workers, cache, printer, keys, generation)
        )
        return list(done.values())
    done.update(_print_all(missing, workers, cache, printer))
    if cache is not None:
        _prune(cache, set(keys))
    return [done[index] for index in range(len(todo))]


def _print_behind(
    tasks: list[_Task],
    workers: int | None,
    cache: Path | None,
    printer: str,
    keys: list[str],
    generation: int,
) -> None:
    """Print `tasks` into a folder of their own, then move them into the site if no build came since.

    A build started since has cleaned the site and written its own PDFs: the ones printed here are
    kept in the cache for it, but not written over its own, and the cache keeps what it reused.
    """
    with tempfile.TemporaryDirectory(prefix="bcm-pdf-") as folder:
        staged = [
            (index, PrintJob(Path(folder, str(index), job.pdf.name), job.html), key)
            for index, job, key in tasks
        ]
        _print_all(staged, workers, cache, printer)

        def publish() -> None:
            for (_, job, _), (_, printed, _) in zip(tasks, staged, strict=True):
                job.pdf.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(printed.pdf, job.pdf)  # the site may be on another file system
            if cache is not None:
                _prune(cache, set(keys))
            if tasks:
                _log.info("Printed %d PDFs behind the preview", len(tasks))

        _BACKGROUND.if_latest(generation, publish)


_Task = tuple[int, PrintJob, str]
"""A job to print: its place in the build's list, the job, and its key in the cache."""


def _print_all(
    tasks: list[_Task], workers: int | None, cache: Path | None, printer: str
) -> dict[int, PrintedPdf]:
    """Print `tasks` in processes that stay up between builds, longest first, small ones in batches.

    Separate processes because layout is pure Python and holds the interpreter lock; spawned ones
    because the build that calls this may run threads (a fork could copy a held lock).
    """
    count = min(workers or _cores(), len(tasks))
    if count <= 1:
        return dict(_print_batch(tasks, cache))
    pool = _pool(count, printer)
    try:
        futures = [pool.submit(_print_batch, batch, cache) for batch in _batches(tasks, count)]
        return {index: printed for future in futures for index, printed in future.result()}
    except BrokenProcessPool:
        # A worker died (killed, out of memory): the next build starts new ones.
        _pools.clear()
        raise


class _Background:
    """One thread that prints what the latest build left to print, behind a preview server.

    A daemon thread, so stopping the server does not wait for a binder to finish. Each build is a
    generation: work submitted replaces work of a former one that has not started, and work of a
    former one that finishes after a build began writes nothing into the site.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._generation = 0
        self._work: Callable[[], object] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None

    def supersede(self) -> int:
        """Start a new generation, and return it."""
        with self._lock:
            self._generation += 1
            return self._generation

    def submit(self, generation: int, work: Callable[[], object]) -> None:
        """Run `work` behind the build of `generation`, unless a newer build began."""
        with self._lock:
            if generation != self._generation:
                return
            self._work = work
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bcm-pdf", daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def if_latest(self, generation: int, action: Callable[[], object]) -> None:
        """Run `action` if no build began since the one of `generation`; no build begins meanwhile."""
        with self._lock:
            if generation == self._generation:
                action()

    def wait(self) -> None:
        """Until nothing is waiting or being printed."""
        with self._lock:
            self._lock.wait_for(lambda: self._work is None and not self._busy)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._work is not None)
                work, self._work, self._busy = self._work, None, True
            try:
                if work is not None:
                    work()
            except Exception as error:  # a preview's PDFs failed: said in the server's log, which goes on
                _log.error("The PDFs could not be printed: %s", error)
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()


_BACKGROUND = _Background()
_log = logging.getLogger("mkdocs.plugins.bcm")


def wait_for_background() -> None:
    """Return once the PDFs left to print behind a build are printed (for a caller that must have them)."""
    _BACKGROUND.wait()


def _batches(tasks: list[_Task], workers: int) -> list[list[_Task]]:
    """`tasks` longest first, the short ones together: sending a job to a process costs little beside it.

    A binder takes a minute, a runbook a tenth of a second. A batch holds about a quarter of a worker's
    share of the work, so the last batches still even out the workers' loads. The length of the print
    document stands for the time it takes to print.
    """
    ordered = sorted(tasks, key=lambda task: len(task[1].html), reverse=True)
    share = sum(len(job.html) for _, job, _ in ordered) / (workers * 4)
    batches: list[list[_Task]] = []
    weight = share
    for task in ordered:
        if weight >= share:
            batches.append([])
            weight = 0
        batches[-1].append(task)
        weight += len(task[1].html)
    return batches


_pools: dict[tuple[int, str], ProcessPoolExecutor] = {}
"""The printing processes, kept for the next build of the same process (each `mkdocs serve` rebuild):
starting one and importing WeasyPrint in it takes a second."""


def _pool(count: int, printer: str) -> ProcessPoolExecutor:
    """`count` processes that have WeasyPrint and the system's fonts loaded, for this `printer`.

    New ones when the fonts changed: a process reads the system's fonts once, as it starts.
    """
    key = (count, printer)
    if key not in _pools:
        for stale in _pools.values():
            stale.shutdown(wait=False)
        _pools.clear()
        _pools[key] = ProcessPoolExecutor(count, mp_context=get_context("spawn"), initializer=_start_worker)
    return _pools[key]


def _cores() -> int:
    """The cores this process may run on (the scheduler's affinity, as a container or taskset sets it)."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return int(counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _print_batch(tasks: list[_Task], cache: Path | None) -> list[tuple[int, PrintedPdf]]:
    return [(index, _print(job, cache / f"{key}{_ENTRY}" if cache else None)) for index, job, key in tasks]


def _print(job: PrintJob, entry: Path | None = None) -> PrintedPdf:
    # 0.4 s to import: only the processes that print pay it.
    from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: PLC0415

    start = time.perf_counter()
    # No base URL: WeasyPrint would make every relative link absolute against it, a file: address on
    # the build machine. The document loads nothing by address: its style and its diagrams are inline.
    #
    # Fonts are subset for each document, not once per build: WeasyPrint has no option for that.
    # `full_fonts` skips subsetting but embeds the whole face: a 2-page runbook becomes 32 MB (from
    # 0.3 MB) and takes 20 s longer to compress; `hinting` only keeps more of the font; `cache` shares
    # decoded images, and the documents have none (their diagrams are inline SVG). Measured, subsetting
    # is 0.1-0.25 s per font and document, up to half of a one-page runbook; handing WeasyPrint's
    # private subset code a face loaded once per process saved nothing (the time is in its two
    # HarfBuzz subset passes over a 65,535-glyph CJK face), and hb_subset_preprocess costs 1.3 s per face.
    document = HTML(string=job.html).render(font_config=_fonts())
    pdf = document.write_pdf()
    pages = len(document.pages)
    _publish(job.pdf, pdf)
    if entry is not None:
        with suppress(OSError):  # a full disk: the PDF is in the site, only the next build prints it again
            _store(entry, pdf, pages)
    return PrintedPdf(job.pdf, pages, time.perf_counter() - start)


PDF_CACHE_ENV = "BCM_PDF_CACHE"
"""Where the PDFs are kept between builds (else `extra.pdf_cache` in mkdocs.yml); `false` keeps none."""
_ENTRY = ".entry"
_FORMAT = "bcm-pdf 1"
"""What every cache entry starts with, and part of every key: raise it when `_print` prints differently
from the same document (another write_pdf option), so no PDF printed the old way is reused."""


def pdf_cache(setting: object, root: Path, edition: str) -> Path | None:
    """The folder that keeps the PDFs of one edition of one handbook between builds, or None for none.

    By default the user's cache folder (`$XDG_CACHE_HOME/bcm-handbook/pdf` on Linux): the PDFs hold the
    plan's personal data, so neither the published site (which `bcm publish` copies to a share) nor
    the repository (where a commit could take them along) is the place; and unlike the site folder,
    which `mkdocs serve` makes anew each time, it outlives the build. `setting` (BCM_PDF_CACHE or
    `extra.pdf_cache`) names another folder, relative to `root` (mkdocs.yml's), or is false for none.
    Each `edition` (the project, its language, redacted or not) has a folder of its own, since each
    build keeps only its own PDFs: building one edition does not throw away another's.
    """
    if setting is None or setting == "":
        base = Path(user_cache_dir("bcm-handbook")) / "pdf"
    elif str(setting).strip().lower() in ("false", "no", "off", "0"):
        return None
    else:
        base = root / Path(str(setting)).expanduser()
    return base / sha256(edition.encode()).hexdigest()[:16]


def _private(cache: Path) -> bool:
    """Make `cache` readable by its owner only, as it holds the plan's personal data; False if it cannot.

    A read-only home or another user's folder: the cache only saves time, so the build prints every
    PDF instead of failing.
    """
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        cache.chmod(0o700)  # mkdir's mode is cut by the umask, and the folder may be older
    except OSError:
        return False
    return True


def _printer() -> str:
    """What a PDF depends on besides its print document: this code, WeasyPrint and the system's fonts.

    The document carries the rest: the page's content, print.css, the layout (its body's class), the
    diagrams (inline SVG); it loads nothing by address. The fonts are the files fontconfig looks in,
    by name, size and time: installing or updating a font prints every PDF again.
    """
    fonts = sha256()
    for place in _font_places():
        for folder, _, names in sorted(os.walk(place)):
            for name in sorted(names):
                path = Path(folder, name)
                with suppress(OSError):
                    status = path.stat()
                    fonts.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return " ".join([_FORMAT, *_versions(), fonts.hexdigest()])


def _font_places() -> list[Path]:
    """Where fontconfig finds fonts and its configuration on Linux (other systems: no font changes seen)."""
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    places = [Path("/etc/fonts"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    places += [Path.home() / ".fonts", data / "fonts"]
    chosen = [os.environ[name] for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH") if os.environ.get(name)]
    return places + [Path(place) for place in chosen]


@cache
def _versions() -> tuple[str, ...]:
    """This package's version and the printer's, from the installed packages' metadata (no import)."""
    return tuple(f"{name} {version(name)}" for name in ("bcm-handbook", "weasyprint", "pydyf", "fonttools"))


def _key(job: PrintJob, printer: str) -> str:
    """The job's key in the cache: a hash of its whole print document and of the printer."""
    return sha256(f"{printer}\n{job.html}".encode()).hexdigest()


def _reuse(job: PrintJob, entry: Path) -> PrintedPdf | None:
    """Write the PDF kept at `entry` for `job`, if there is one and it is whole; else None.

    An entry names its PDF's hash: one cut short or changed since (a full disk, a crash, a hand) is
    printed again, never copied into the site.
    """
    start = time.perf_counter()
    try:
        kept = entry.read_bytes()
    except OSError:
        return None
    header, _, pdf = kept.partition(b"\n")
    words = header.decode("ascii", "replace").split(" ")
    if len(words) != 4 or " ".join(words[:2]) != _FORMAT or not words[2].isdigit():
        return None
    if sha256(pdf).hexdigest() != words[3]:
        return None
    _publish(job.pdf, pdf)
    return PrintedPdf(job.pdf, int(words[2]), time.perf_counter() - start, reused=True)


def _store(entry: Path, pdf: bytes, pages: int) -> None:
    """Keep `pdf` at `entry`, whole or not at all: two builds at once may write the same entry.

    Through a temporary file beside it, which only its owner can read, renamed into place.
    """
    descriptor, temporary = tempfile.mkstemp(prefix=_TEMPORARY, dir=entry.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(f"{_FORMAT} {pages} {sha256(pdf).hexdigest()}\n".encode())
            file.write(pdf)
        os.replace(temporary, entry)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _publish(pdf: Path, content: bytes) -> None:
    """Write a PDF into the site, readable as the site's other files are (the umask's mode)."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(content)


_TEMPORARY = ".bcm-pdf-"
_ABANDONED = 24 * 3600
"""Seconds after which a temporary file in the cache is a crashed build's, not one being written."""


def _prune(cache: Path, keys: set[str]) -> None:
    """Delete the entries this build did not use, so the cache holds one build's PDFs at most."""
    now = time.time()
    for path in cache.iterdir():
        unused = path.name.endswith(_ENTRY) and path.name.removesuffix(_ENTRY) not in keys
        with suppress(OSError):  # another build may delete it first
            if unused or (path.name.startswith(_TEMPORARY) and now - path.stat().st_mtime > _ABANDONED):
                path.unlink()


def _start_worker() -> None:
    """Ready a printing process: it ends with the build that started it, and has the fonts loaded."""
    # A build stopped by a signal (`mkdocs serve` ended with kill) runs no exit handlers, and its
    # printing processes would wait for work for ever: each watches its parent and ends with it.
    parent = parent_process()
    if parent is not None:
        sentinel = parent.sentinel
        threading.Thread(target=lambda: (wait([sentinel]), os._exit(1)), daemon=True).start()
    _fonts()


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
