"""The models hold what the seeds need: after-action reviews, holder chains, typed responses."""

from datetime import date, timedelta
from typing import Any

from bcmlib import load_plan, validate
from bcmlib.models import DecisionChain, EmergencyAccess
from tests.conftest import TODAY, WritePlan


def _with_drill(plan_data: dict[str, Any], process: str = "ship") -> dict[str, Any]:
    plan_data["forms"] = [
        {"id": "qef-19-03", "number": "QEF-19-03", "name": "演练记录", "retention": "permanent"}
    ]
    plan_data["exercises"] = {
        "kinds": [{"id": "tabletop", "name": "桌上演练", "every": "6mo"}],
        "scenarios": [{"id": "fire", "name": "模拟仓库火灾", "checklist": [{"do": "撤离"}]}],
        "record_form": "qef-19-03",
        "records": [
            {
                "id": "2026-h2-tabletop",
                "date": "2026-10-20",
                "kind": "tabletop",
                "scenario": "fire",
                "participants": ["ann", "bob"],
                "review": {
                    "results": [{"process": process, "rto_actual": "30h", "rpo_actual": "2h"}],
                    "coordination": "良好",
                    "backup_availability": "备援仓可用",
                    "findings": ["出货恢复超过 RTO"],
                    "actions": [{"text": "备援仓预签合同", "owner": "cy", "due": "2027-01-31"}],
                },
            }
        ],
    }
    return plan_data


def test_after_action_review_compares_actual_with_target(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = load_plan(write_plan(_with_drill(plan_data)))
    assert validate(plan, today=TODAY).findings == []
    record = plan.exercises.records[0]
    assert record.review is not None
    result = record.review.results[0]
    target = next(p for p in plan.processes if p.id == result.process)
    assert result.rto_actual is not None
    assert target.rto is not None
    assert result.rto_actual > target.rto  # 30h against 24h: missed
    assert record.review.actions[0].due == date(2027, 1, 31)
    assert record.drill is True


def test_review_of_an_unknown_process_is_a_dangling_reference(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = load_plan(write_plan(_with_drill(plan_data, process="nope")))
    [finding] = validate(plan, today=TODAY).findings
    assert (finding.code, finding.field) == ("REF001", "exercises.records[0].review.results[0].process")


def test_held_by_follows_the_chain_of_the_holding_role(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan_data["roles"].append(
        {"id": "duty", "name": "职责", "group": "crisis-duty", "held_by": "role-1", "duties": ["x"]}
    )
    plan = load_plan(write_plan(plan_data))
    assert list(plan.holders(plan.role("duty"))) == ["bob", "cy"]


def test_company_responses_are_typed(company_plan: Any) -> None:
    responses = next(s for s in company_plan.risk_scenarios if s.id == "key-person-incapacity").responses
    access = next(r for r in responses if isinstance(r, EmergencyAccess))
    assert (access.unreachable, access.after, access.grantees) == (
        "kc",
        timedelta(days=7),
        ["charles", "robert", "wang-jing"],
    )
    chain = next(r for r in responses if isinstance(r, DecisionChain))
    assert chain.successors == ["charles", "robert"]


def test_a_copy_looks_up_its_own_collections(company_plan: Any) -> None:
    # The session's plan has had its collections looked up (and cached) by other tests; this one too.
    assert company_plan.collections["systems"]
    renamed = [system.model_copy(update={"name": "改名"}) for system in company_plan.systems]
    copy = company_plan.model_copy(update={"systems": renamed})
    assert {system.name for system in copy.collections["systems"].values()} == {"改名"}
    assert company_plan.collections["systems"][renamed[0].id].name != "改名"
