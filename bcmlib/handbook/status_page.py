"""An incident's status as one self-contained HTML page, for people with only a phone or a file share."""

from __future__ import annotations

from itertools import groupby

from markupsafe import Markup, escape

from bcmlib.handbook.publishing import published_env
from bcmlib.i18n import Lang, translate
from bcmlib.incident.status import IncidentStatus
from bcmlib.incident.status_text import Line, status_lines, when
from bcmlib.response.calls import dial

__all__ = ["STATUS_PAGE", "status_page"]

STATUS_PAGE = "incident-status.html"
"""The page's file name beside the published handbook."""


def _with_calls(line: Line) -> Markup:
    """A line's text, escaped, with each phone number it quotes made a `tel:` link where it can be dialled."""
    text = escape(line.text)
    for number in line.phones:
        if (address := dial(number)) is not None:
            link = Markup('<a href="tel:{}">{}</a>').format(address, number)
            text = Markup(text.replace(escape(number), link))
    return text


def status_page(current: IncidentStatus, lang: Lang) -> str:
    """The page: the status's sections with headings, what needs acting on now marked; plan text escaped."""
    lines = status_lines(current, lang)
    sections = [
        (translate(f"incident.section.{section}", lang), [(line.urgent, _with_calls(line)) for line in group])
        for section, group in groupby(lines, key=lambda line: line.section)
    ]
    return (
        published_env()
        .get_template("status.html.j2")
        .render(
            lang_tag=translate("handbook.print.lang_tag", lang),
            title=translate(
                "incident.status_title", lang, at=when(current.at, current.incident.records[0].at.tzinfo)
            ),
            sections=sections,
            generated=translate(
                "incident.status_generated", lang, at=current.at.isoformat(timespec="minutes")
            ),
        )
    )
