"""An incident's status as one self-contained HTML page, for people with only a phone or a file share."""

from __future__ import annotations

from itertools import groupby

from bcmlib.handbook.publishing import published_env
from bcmlib.i18n import Lang, translate
from bcmlib.incident.status import IncidentStatus
from bcmlib.incident.status_text import status_lines, when

__all__ = ["STATUS_PAGE", "status_page"]

STATUS_PAGE = "incident-status.html"
"""The page's file name beside the published handbook."""


def status_page(current: IncidentStatus, lang: Lang) -> str:
    """The page: the status's sections with headings, what needs acting on now marked; plan text escaped."""
    lines = status_lines(current, lang)
    sections = [
        (translate(f"incident.section.{section}", lang), list(group))
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
