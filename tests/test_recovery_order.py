"""The recovery order: priority class as SOP-19 §9 lists them, then RTO, then RPO, each with its deadline."""

from datetime import timedelta
from typing import Any

import pytest

from bcmlib import Plan, load_plan
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.recovery import recovery_order
from tests.conftest import WritePlan
from tests.incident_driver import START


def test_company_order_follows_seed_000_section_9(company_plan: Plan) -> None:
    order = recovery_order(company_plan, [p.id for p in company_plan.processes], START)
    assert [item.name for item in company_plan.priority_classes] == [
        "人员安全", "法规合规", "客户出货", "财务付款", "内部运营"
    ]  # fmt: skip
    assert [item.process.id for item in order] == [
        "hazmat-storage-safety",  # 1 人员安全, RTO 1h
        "customer-response",  # 3 客户出货, RTO 4h
        "customer-shipping",  # 3 客户出货, RTO 24h
        "payments",  # 4 财务付款
        "lithera-platform",  # 5 内部运营, RTO 4h
        "dispatched-assignments",  # 5 内部运营, RTO 72h
    ]
    deadlines = {item.process.id: item.deadline for item in order}
    assert deadlines["customer-shipping"] == START + timedelta(hours=24)
    assert deadlines["hazmat-storage-safety"] == START + timedelta(hours=1)


def test_only_the_processes_hit_in_order(company_plan: Plan) -> None:
    order = recovery_order(company_plan, ["payments", "lithera-platform", "customer-shipping"], START)
    assert [item.process.id for item in order] == ["customer-shipping", "payments", "lithera-platform"]


def test_a_process_hit_later_is_due_from_its_own_time(company_plan: Plan) -> None:
    later = START + timedelta(hours=2)
    (item,) = recovery_order(company_plan, ["payments"], START, hit_at={"payments": later})
    assert item.deadline == later + timedelta(hours=48)


def test_same_class_and_rto_fall_back_to_rpo_then_plan_order(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    base = plan_data["processes"][0]
    plan_data["processes"] = [
        {**base, "id": "a", "rpo": "4h"},
        {**base, "id": "b", "rpo": "immediate"},
        {**base, "id": "c", "rpo": "4h"},
        {**base, "id": "d", "rto": None, "rpo": None},
    ]
    plan_data["processes"][3].pop("rto")
    plan_data["processes"][3].pop("rpo")
    plan = load_plan(write_plan(plan_data))
    order = recovery_order(plan, ["d", "c", "a", "b"], START)
    assert [item.process.id for item in order] == ["b", "a", "c", "d"]
    assert order[-1].deadline is None


def test_unknown_process_is_named(company_plan: Plan) -> None:
    with pytest.raises(IncidentError) as unknown:
        recovery_order(company_plan, ["payroll"], START)
    assert "payroll" in unknown.value.message("zh")
    assert "customer-shipping" in unknown.value.message("zh")
