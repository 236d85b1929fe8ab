"""The plan's incident workflow as a `transitions` machine, which both the incident and the diagrams use."""

from __future__ import annotations

from typing import Any, Literal

from transitions import State
from transitions.extensions import GraphMachine
from transitions.extensions.diagrams_graphviz import Graph

from bcmlib.drawing import escaped, plain
from bcmlib.incident.errors import IncidentError
from bcmlib.models import IncidentWorkflow, Plan

__all__ = ["Engine", "Stateful", "build_machine", "ends_incident", "state_name", "workflow_of"]

Engine = Literal["mermaid", "graphviz"]


class Stateful:
    """What the machine moves; kept apart from `Incident` so that no trigger name can shadow a method."""

    state: str


class _LabelledState(State):
    """A state that carries the plan's name for it, which the diagram shows."""

    def __init__(self, name: str, *, label: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.label = label


class _PlainLabels:
    """A Graphviz graph seen through a filter that hands every label on as plain text.

    transitions joins the labels of a pair of states' triggers into a new string, dropping any
    `graphviz.nohtml` mark, and Graphviz reads a label written `<…>` as HTML: a link in the diagram,
    an image read from the build host into the PDF, or a build that dies in `dot`. Plan text is never
    that: here each label is marked plain last (its backslashes are escaped where it is made, since
    transitions ends a state's label with an escape of its own).
    """

    def __init__(self, graph: Any) -> None:
        self._graph = graph

    def node(self, name: str, label: str | None = None, **attributes: Any) -> None:
        self._graph.node(name, label=plain(label), **attributes)

    def edge(self, tail: str, head: str, label: str | None = None, **attributes: Any) -> None:
        self._graph.edge(tail, head, label=plain(label), **attributes)


class _PlainGraph(Graph):
    """transitions' Graphviz drawing, with every state and trigger label plain text."""

    def _add_nodes(self, states: Any, container: Any) -> None:
        super()._add_nodes(states, _PlainLabels(container))

    def _add_edges(self, transitions: Any, container: Any) -> None:
        super()._add_edges(transitions, _PlainLabels(container))


class _Machine(GraphMachine):
    state_cls = _LabelledState
    # Top to bottom: the handbook's page and a printed A4 sheet are taller than wide.
    machine_attributes = {**GraphMachine.machine_attributes, "rankdir": "TB"}

    def _init_graphviz_engine(self, graph_engine: str) -> Any:
        drawing = super()._init_graphviz_engine(graph_engine)
        return _PlainGraph if drawing is Graph else drawing


def _mermaid_text(text: str) -> str:
    """Plan text made safe inside a Mermaid label: characters with a meaning there become entity codes."""
    return "".join(f"#{ord(c)};" if c in '"#;:<>&{}[]|\\`' or not c.isprintable() else c for c in text)


def workflow_of(plan: Plan) -> IncidentWorkflow:
    """The plan's incident workflow; a plan without one cannot run an incident."""
    if plan.incident_workflow is None:
        raise IncidentError("incident.no_workflow")
    return plan.incident_workflow


def state_name(workflow: IncidentWorkflow, state: str) -> str:
    """The plan's name of a state, with its identifier."""
    names = {item.id: item.name for item in workflow.states}
    return f"{names[state]} ({state})"


def ends_incident(workflow: IncidentWorkflow, state: str) -> bool:
    """True for a state an incident is over in: a final one, or the initial one it is stood down to."""
    final = {item.id for item in workflow.states if item.final}
    return state in final or state == workflow.initial


def build_machine(
    workflow: IncidentWorkflow,
    model: Stateful,
    initial: str,
    title: str = "",
    engine: Engine = "mermaid",
    **callbacks: Any,
) -> GraphMachine:
    """A machine over `model` with the workflow's states and triggers, each trigger given `callbacks`."""
    label = _mermaid_text if engine == "mermaid" else escaped
    return _Machine(
        model=model,
        states=[{"name": state.id, "label": label(state.name)} for state in workflow.states],
        transitions=[
            {
                "trigger": transition.id,
                "source": transition.source,
                "dest": transition.dest or "=",
                "label": label(transition.name),
                **callbacks,
            }
            for transition in workflow.transitions
        ],
        initial=initial,
        auto_transitions=False,
        send_event=True,
        graph_engine=engine,
        # For Mermaid, transitions writes the title as the diagram's front matter, read as YAML.
        title=title,
    )
