"""Plan text in Graphviz drawings: labels that show as typed, and SVG for pages and PDFs that run no script.

Graphviz reads a label in ways that plan text must never trigger. A label written `<…>` is an HTML-like
label: a link in the drawing, an image read from the build host into the PDF, or a build that dies in
`dot`. Inside an ordinary label a backslash starts an escape (backslash-N is the node's name, backslash-l
ends a line) and `&` an entity (`&lt;` is drawn as `<`). Every drawing of plan text makes its labels
here, so each of these is defended once.
"""

from __future__ import annotations

from typing import Any

import graphviz  # type: ignore[import-untyped]

__all__ = ["DIAGRAM_FONT", "escaped", "label", "plain", "svg_element"]

DIAGRAM_FONT = "Noto Sans CJK SC"
"""The font Graphviz measures labels with; without a CJK font the boxes are too narrow for Chinese."""


def escaped(text: str) -> str:
    """Plan text inside a Graphviz label, where no backslash starts an escape and no `&` an entity."""
    return text.replace("&", "&amp;").replace("\\", "\\\\")


def plain(text: str | None) -> str | None:
    """A label, already escaped, marked as plain text, never read as an HTML-like label."""
    return None if text is None else graphviz.nohtml(text)


def label(*lines: str) -> str:
    """Lines of plan text as one plain label, each line as typed, one under the other."""
    # A newline inside a label is a centred line break; only the escaped text is plan text.
    text: str = graphviz.nohtml("\n".join(escaped(line) for line in lines))
    return text


def svg_element(graph: Any) -> str:
    """`graph` drawn by Graphviz in the diagram font, as an `<svg>` element to stand inside an HTML page."""
    for attributes in (graph.graph_attr, graph.node_attr, graph.edge_attr):
        attributes["fontname"] = DIAGRAM_FONT
    svg: str = graph.pipe(format="svg", encoding="utf-8")
    # Only the <svg> element: the XML prolog and doctype may not stand inside an HTML page.
    return svg[svg.index("<svg") :].strip()
