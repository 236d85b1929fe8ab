"""The plan's incident workflow drawn: as Mermaid text for a live page, as SVG for pages and PDFs."""

from __future__ import annotations

import json
from typing import Any

from bcmlib.drawing import svg_element
from bcmlib.incident.machine import Engine, Stateful, build_machine, workflow_of
from bcmlib.models import Plan

__all__ = ["workflow_diagram", "workflow_svg"]


def workflow_diagram(plan: Plan, current: str | None = None, title: str = "") -> str:
    """The plan's workflow as a Mermaid state diagram, with the state `current` highlighted if given."""
    graph = _graph(plan, "mermaid", current, f"title: {json.dumps(title, ensure_ascii=False)}")
    return str(graph.draw(None))


def workflow_svg(plan: Plan) -> str:
    """The plan's workflow drawn by Graphviz as an SVG element, for pages and PDFs that run no script."""
    return svg_element(_graph(plan, "graphviz", None, ""))


def _graph(plan: Plan, engine: Engine, current: str | None, title: str) -> Any:
    workflow = workflow_of(plan)
    model = Stateful()
    machine = build_machine(workflow, model, current or workflow.initial, title, engine=engine)
    graph = machine.model_graphs[id(model)]
    if current is None:
        graph.reset_styling()
    return graph.get_graph()
