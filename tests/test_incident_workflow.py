"""The incident workflow on the company's plan: every allowed move, every refusal with its reason."""

import html
import re
from datetime import datetime, timedelta

import pytest

from bcmlib import Plan, load_plan
from bcmlib.incident.diagram import workflow_diagram, workflow_svg
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.workflow import Attempt, Incident
from tests.conftest import PLAN_DIR
from tests.incident_driver import PATH_TO, START, attempt_for, drive, fire_ready

_PLAN = load_plan(PLAN_DIR)
assert _PLAN.incident_workflow is not None
_WORKFLOW = _PLAN.incident_workflow
_STATES = [state.id for state in _WORKFLOW.states]
_ALLOWED = [(t.id, source) for t in _WORKFLOW.transitions for source in t.source]
_FORBIDDEN = [
    (t.id, state)
    for t in _WORKFLOW.transitions
    for state in _STATES
    if state not in t.source and state != "closed"
]


def test_the_company_workflow_has_the_states_the_seeds_describe() -> None:
    assert _STATES == [
        "normal",
        "alert",
        "assessment",
        "activated",
        "response",
        "recovery",
        "restored",
        "review",
        "closed",
    ]


@pytest.mark.parametrize(("trigger", "source"), _ALLOWED)
def test_every_allowed_move(company_plan: Plan, trigger: str, source: str) -> None:
    incident = drive(company_plan, PATH_TO[source])
    assert incident.state == source
    fire_ready(incident, trigger, START + timedelta(hours=1))
    record = incident.records[-1]
    transition = incident.transitions[trigger]
    assert (record.source, record.dest) == (source, transition.dest or source)
    assert incident.state == record.dest
    assert record.event == trigger


def test_the_whole_path_from_alert_to_closure(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["closed"])
    assert [record.dest for record in incident.records] == [
        "alert",
        "assessment",
        "assessment",
        "activated",
        "response",
        "recovery",
        "recovery",
        "restored",
        "review",
        "closed",
    ]
    assert incident.over


def test_stand_down_when_the_assessment_finds_no_crisis(company_plan: Plan) -> None:
    incident = drive(company_plan, [*PATH_TO["assessment"], "stand-down"])
    assert incident.state == "normal"
    assert incident.over
    with pytest.raises(IncidentError) as refused:
        incident.fire(attempt_for(incident, "alert", START + timedelta(hours=1)))
    assert refused.value.msg.key == "incident.over"


@pytest.mark.parametrize(("trigger", "state"), _FORBIDDEN)
def test_every_forbidden_trigger_names_the_trigger_and_the_state(
    company_plan: Plan, trigger: str, state: str
) -> None:
    incident = drive(company_plan, PATH_TO[state])
    attempt = attempt_for(incident, trigger, START + timedelta(hours=1)) if incident.records else None
    before = list(incident.records)
    with pytest.raises(IncidentError) as refused:
        incident.fire(attempt or Attempt(trigger, "kc", START))
    assert refused.value.msg.key == "incident.wrong_state"
    message = refused.value.message("zh")
    assert f"「{trigger}」" in message
    assert f"({state})" in message
    assert incident.records == before


def test_closed_incident_refuses_everything(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["closed"])
    for transition in _WORKFLOW.transitions:
        with pytest.raises(IncidentError) as refused:
            incident.fire(Attempt(transition.id, "kc", START + timedelta(days=1)))
        assert refused.value.msg.key == "incident.over"


def test_unknown_trigger_lists_what_can_be_fired(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["alert"])
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("launch", "kc", START))
    message = refused.value.message("en")
    assert "'launch'" in message
    assert "assess (开始确认危机)" in message


def _refusal(incident: Incident, attempt: Attempt) -> IncidentError:
    before = list(incident.records)
    with pytest.raises(IncidentError) as refused:
        incident.fire(attempt)
    assert incident.records == before
    return refused.value


def test_activation_needs_the_report_of_the_level(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["assessment"])
    error = _refusal(incident, Attempt("activate", "robert", START + timedelta(hours=1)))
    assert error.msg.key == "incident.not_reported"
    assert "最高管理者（总经理）" in error.message("zh")


def test_stand_down_and_de_escalation_need_a_reason(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["assessment"])
    for trigger in ("stand-down", "de-escalate"):
        error = _refusal(incident, Attempt(trigger, "robert", START + timedelta(hours=1)))
        assert error.msg.key == "incident.needs_note"


def test_all_processes_must_be_restored_before_recovery_ends(company_plan: Plan) -> None:
    incident = drive(company_plan, [*PATH_TO["recovery"], "hit"])
    error = _refusal(incident, Attempt("restore", "robert", START + timedelta(hours=1)))
    assert error.msg.key == "incident.not_all_restored"
    assert "危化品仓储安全" in error.message("zh")


def test_escalation_and_de_escalation_stop_at_the_ends(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["response"])
    at = START + timedelta(hours=1)
    incident.fire(Attempt("escalate", "robert", at))
    assert incident.level == "I"
    assert incident.crisis_level.commander == "top-management"
    assert _refusal(incident, Attempt("escalate", "kc", at)).msg.key == "incident.level_top"
    incident.fire(Attempt("de-escalate", "kc", at, note="已控制"))
    record = incident.fire(Attempt("de-escalate", "robert", at, note="已控制"))
    assert (record.level, incident.crisis_level.id) == ("III", "III")
    assert (
        _refusal(incident, Attempt("de-escalate", "robert", at, note="x")).msg.key == "incident.level_bottom"
    )


def test_processes_hit_and_restored_are_checked(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["recovery"])
    at = START + timedelta(hours=1)
    hit = next(iter(incident.hit))
    assert _refusal(incident, Attempt("hit", "kc", at, processes=(hit,))).msg.key == "incident.already_hit"
    error = _refusal(incident, Attempt("restore-process", "robert", at, processes=("payments",)))
    assert error.msg.key == "incident.not_hit"
    assert _refusal(incident, Attempt("hit", "kc", at)).msg.key == "incident.needs_process"
    assert (
        _refusal(incident, Attempt("hit", "kc", at, processes=("nope",))).msg.key
        == "incident.unknown_process"
    )
    incident.fire(Attempt("restore-process", "robert", at, processes=(hit,)))
    error = _refusal(incident, Attempt("restore-process", "robert", at, processes=(hit,)))
    assert error.msg.key == "incident.already_restored"


def test_times_before_the_opening_far_ahead_or_without_a_zone_are_refused(
    company_plan: Plan,
) -> None:
    now = START + timedelta(hours=3)
    incident = Incident(company_plan, drive(company_plan, PATH_TO["assessment"]).records, now=lambda: now)
    cases = {
        "incident.time_before_opening": START - timedelta(minutes=1),
        "incident.time_future": now + timedelta(minutes=6),
        "incident.time_naive": datetime(2026, 11, 24, 10, 0),
    }
    for key, at in cases.items():
        assert _refusal(incident, Attempt("hit", None, at, processes=("payments",))).msg.key == key
    # The typo that once bricked a log: a year ahead is refused, so every later command still runs.
    typo = _refusal(incident, Attempt("hit", None, now.replace(year=2027), processes=("payments",)))
    assert typo.msg.key == "incident.time_future"
    incident.fire(Attempt("hit", None, now + timedelta(minutes=4), processes=("payments",)))


def test_events_may_be_recorded_after_the_fact_at_the_time_they_happened(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["recovery"])
    last = incident.records[-1].at
    hit = incident.records[0].processes[0]
    # Restored by a fallback at 09:02, before recovery started at 09:05: recorded at 09:02, not later.
    incident.fire(Attempt("restore-process", "robert", START + timedelta(minutes=2), processes=(hit,)))
    assert incident.restored[hit] == START + timedelta(minutes=2) < last


def test_opening_checks_level_scenario_and_kind(company_plan: Plan) -> None:
    incident = Incident(company_plan)
    cases = {
        "incident.needs_level": Attempt("alert", None, START),
        "incident.unknown_scenario": Attempt("alert", None, START, level="II", scenario="meteor"),
        "incident.kind_without_drill": Attempt("alert", None, START, level="II", exercise_kind="tabletop"),
        "incident.unknown_kind": Attempt("alert", None, START, level="II", drill=True, exercise_kind="chess"),
    }
    for key, attempt in cases.items():
        assert _refusal(incident, attempt).msg.key == key
    record = incident.fire(Attempt("alert", None, START, level="III", scenario="warehouse-fire", drill=True))
    assert record.by is None
    assert record.plan == "SOP-19 v2"


def test_a_drill_is_marked_on_every_record(company_plan: Plan) -> None:
    incident = Incident(company_plan)
    incident.fire(Attempt("alert", "wang-jing", START, level="II", drill=True, exercise_kind="tabletop"))
    incident.fire(Attempt("assess", "robert", START))
    incident.mark(["kc"], available=False, by="robert", at=START)
    assert [record.drill for record in incident.records] == [True, True, True]
    assert all('"drill":true' in record.line().decode() for record in incident.records)


def test_diagram_shows_every_state_and_trigger_by_the_plan_s_names(company_plan: Plan) -> None:
    text = workflow_diagram(company_plan, title="事件处置流程")
    assert text.startswith('---\ntitle: "事件处置流程"\n---\nstateDiagram-v2')
    for state in _WORKFLOW.states:
        assert f'state "{state.name}" as {state.id}' in text
    for transition in _WORKFLOW.transitions:
        assert transition.name.replace(":", "#58;") in text
    assert "[*] --> normal" in text
    assert "s_active" not in text.split("classDef s_active")[1]
    assert "Class recovery s_active" in workflow_diagram(company_plan, "recovery")


@pytest.mark.parametrize(
    ("name", "mermaid", "svg"),
    [
        ('a"b: <i>\n', 'state "a#34;b#58; #60;i#62;#10;" as normal', "a&quot;b: &lt;i&gt;"),
        # A whole label in angle brackets would be a Graphviz HTML-like label: it must stay text.
        ("<b>正常</b>", 'state "#60;b#62;正常#60;/b#62;" as normal', "&lt;b&gt;正常&lt;/b&gt;"),
    ],
)
def test_diagrams_escape_plan_text(company_plan: Plan, name: str, mermaid: str, svg: str) -> None:
    assert company_plan.incident_workflow is not None
    states = list(company_plan.incident_workflow.states)
    states[0] = states[0].model_copy(update={"name": name})
    workflow = company_plan.incident_workflow.model_copy(update={"states": states})
    plan = company_plan.model_copy(update={"incident_workflow": workflow})
    assert mermaid in workflow_diagram(plan)
    drawn = workflow_svg(plan)
    assert drawn.startswith("<svg")
    assert svg in drawn
    assert "<b>" not in drawn


@pytest.mark.parametrize(
    "name",
    [
        '<<a href="javascript:alert(1)">点我</a>>',
        '<<img src="/etc/passwd"/>>',
        "<<table><tr><td>未闭合",  # Graphviz would refuse this as HTML, and the build would die
    ],
)
def test_a_trigger_named_like_graphviz_markup_is_drawn_as_its_text(company_plan: Plan, name: str) -> None:
    # transitions joins a pair of states' trigger labels into a new string, which is where a plain
    # label used to turn back into Graphviz's HTML-like label.
    assert company_plan.incident_workflow is not None
    transitions = list(company_plan.incident_workflow.transitions)
    transitions[0] = transitions[0].model_copy(update={"name": name})
    workflow = company_plan.incident_workflow.model_copy(update={"transitions": transitions})
    drawn = workflow_svg(company_plan.model_copy(update={"incident_workflow": workflow}))
    assert not re.search(r"<(a|image|img|table)\b", drawn)
    assert html.escape(name, quote=False).replace('"', "&quot;") in drawn


def test_a_backslash_in_a_state_s_name_is_drawn_as_typed(company_plan: Plan) -> None:
    assert company_plan.incident_workflow is not None
    states = list(company_plan.incident_workflow.states)
    states[0] = states[0].model_copy(update={"name": r"共享盘 \\nas\N"})
    workflow = company_plan.incident_workflow.model_copy(update={"states": states})
    drawn = workflow_svg(company_plan.model_copy(update={"incident_workflow": workflow}))
    assert r"共享盘 \\nas\N" in drawn
