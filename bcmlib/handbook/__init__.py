"""The handbook: the plan rendered into Markdown pages through Jinja2 templates, for MkDocs to build."""

from bcmlib.handbook.pages import HandbookPage, Repository, render_handbook

__all__ = ["HandbookPage", "Repository", "render_handbook"]
