"""The dependency-chains page: what each process needs, drawn by Graphviz, and each process's paths timed."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import graphviz  # type: ignore[import-untyped]
from markupsafe import Markup

from bcmlib.analysis.chains import MAX_PATHS, Chain, chains, unknown_times
from bcmlib.analysis.items import ItemRef
from bcmlib.drawing import label, svg_element
from bcmlib.i18n import Lang, translate
from bcmlib.models import Duration, Plan, Process
from bcmlib.models.values import spoken

__all__ = ["chain_page", "chains_svg"]

_ALARM = "#c62828"
"""The red of a box that needs the coordinator: a link with no recovery time, a process whose chain
exceeds its RTO. A dashed or bold line and the words say the same in grey."""


def chain_page(plan: Plan) -> dict[str, Any]:
    """Each process's chain, the links without a recovery time, and the graph in the page's language."""
    found = chains(plan)

    def drawing(lang: Lang) -> Markup:
        # Graphviz writes the plan's text into the SVG escaped, from plain labels: it is safe as it is.
        return Markup(chains_svg(plan, found, lang))

    return {
        "chains": list(found.values()),
        "unknown": unknown_times(found),
        # Drawn once the template knows its language: the boxes hold words, not only names.
        "drawing": drawing,
        "max_paths": MAX_PATHS,
    }


def chains_svg(plan: Plan, found: dict[str, Chain], lang: Lang) -> str:
    """The graph of every chain in `found` as an SVG element: a box for each item, an arrow to each need.

    Plan text goes in as plain labels (`bcmlib.drawing`), which Graphviz writes into the SVG escaped.
    """
    # Left to right, as the chains read; the graph is only as wide as the longest chain is deep.
    graph = graphviz.Digraph(graph_attr={"rankdir": "LR"}, node_attr={"shape": "box"})
    edges: dict[tuple[ItemRef, ItemRef], None] = {}
    for chain in found.values():
        for path in chain.paths:
            ends = (path.loop,) if path.loop else ()
            steps = (*path.items, *ends)
            edges.update(dict.fromkeys(pairwise(steps)))
    items = dict.fromkeys(ItemRef("process", process.id) for process in plan.processes)
    items.update(dict.fromkeys(ref for edge in edges for ref in edge))
    for ref in items:
        _draw(graph, plan, ref, found, lang)
    for tail, head in edges:
        graph.edge(str(tail), str(head))
    return svg_element(graph)


def _draw(graph: Any, plan: Plan, ref: ItemRef, found: dict[str, Chain], lang: Lang) -> None:
    """`ref` as a box with its name and its times; one with no recovery time dashed, red and said so."""
    item = ref.item_in(plan)
    name = item.name
    if isinstance(item, Process):
        times = [
            _say("rto", lang, item.rto) if item.rto is not None else translate("handbook.chains.no_rto", lang)
        ]
        if item.work_recovery is not None:
            times.append(_say("wrt", lang, item.work_recovery))
        lines = [name, " · ".join(times)]
        if found[item.id].verdict == "exceeds":
            lines.append(translate("handbook.chains.exceeds_mark", lang))
            graph.node(str(ref), label=label(*lines), style="rounded,bold", color=_ALARM)
        else:
            graph.node(str(ref), label=label(*lines), style="rounded")
        return
    kind = translate(f"recovery.kind.{ref.kind}", lang)
    if item.recovery_time is None:
        missing = translate("handbook.chains.no_recovery", lang)
        lines = [name, f"{kind} · {missing}"]
        graph.node(
            str(ref), label=label(*lines), style="dashed", color=_ALARM, fontcolor=_ALARM, penwidth="2"
        )
    else:
        graph.node(str(ref), label=label(name, f"{kind} · {_say('recovery', lang, item.recovery_time)}"))


def _say(key: str, lang: Lang, time: Duration) -> str:
    return translate(f"handbook.chains.{key}", lang, time=spoken(time, lang))
