"""The recovery order: priority class as SOP-19 §9 lists them, then deadline, then RPO, dependencies first."""

from datetime import date, timedelta
from typing import Any

import pytest

from bcmlib import Plan, load_plan, validate
from bcmlib.handbook import render_handbook
from bcmlib.incident import ItemRef, resolve_items
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.recovery import recovery_order
from tests.conftest import WritePlan
from tests.incident_driver import START

HOUR = timedelta(hours=1)


def ids(order: list[Any]) -> list[str]:
    return [item.id for item in order]


def test_company_order_follows_seed_000_section_9(company_plan: Plan) -> None:
    order = recovery_order(company_plan, [p.id for p in company_plan.processes], START)
    assert [item.name for item in company_plan.priority_classes] == [
        "人员安全", "法规合规", "客户出货", "财务付款", "内部运营"
    ]  # fmt: skip
    assert ids(order) == [
        "hazmat-storage-safety",  # 1 人员安全, RTO 1h
        "lithera-platform",  # 5 内部运营 itself, but 客户响应 and 客户出货 need it: 3, due with 客户响应
        "customer-response",  # 3 客户出货, RTO 4h
        "customer-shipping",  # 3 客户出货, RTO 24h
        "payments",  # 4 财务付款
        "dispatched-assignments",  # 5 内部运营, RTO 72h
    ]
    deadlines = {item.id: item.deadline for item in order}
    assert deadlines["customer-shipping"] == START + 24 * HOUR
    assert deadlines["hazmat-storage-safety"] == START + HOUR
    assert all(item.hit and item.kind == "process" for item in order)


def test_a_process_others_need_comes_first_with_their_class_and_deadline(company_plan: Plan) -> None:
    # The practitioner's case: Lithera 平台 (4h, internal operations) came last, after payments (48h).
    hit = ["lithera-platform", "customer-shipping", "customer-response", "payments"]
    order = recovery_order(company_plan, hit, START)
    assert ids(order) == ["lithera-platform", "customer-response", "customer-shipping", "payments"]
    lithera = order[0]
    assert lithera.priority is not None
    assert lithera.priority.id == "customer-shipping"
    assert lithera.deadline == START + 4 * HOUR
    assert lithera.needed_by == (
        ItemRef("process", "customer-response"),
        ItemRef("process", "customer-shipping"),
    )
    assert order[1].depends_on == (ItemRef("process", "lithera-platform"),)


def test_a_process_hit_takes_down_what_depends_on_it(company_plan: Plan) -> None:
    order = recovery_order(company_plan, ["payments", "lithera-platform", "customer-shipping"], START)
    assert ids(order) == ["lithera-platform", "customer-response", "customer-shipping", "payments"]
    assert [item.hit for item in order] == [True, False, True, True]


def test_the_warehouse_burned(company_plan: Plan) -> None:
    order = recovery_order(company_plan, ["warehouse"], START)
    assert ids(order) == ["warehouse", "hazmat-storage-safety", "customer-shipping"]
    processes = [item for item in order if item.kind == "process"]
    assert processes[0].id == "hazmat-storage-safety"
    assert [item.hit for item in order] == [True, False, False]
    site = order[0]
    assert site.kind == "site"
    assert site.name == "仓库"
    assert site.recovery_time is None  # the plan does not say how long moving to 备援仓 takes
    assert site.priority is not None
    assert site.priority.id == "people-safety"
    assert site.deadline == START + HOUR
    assert order[2].deadline == START + 24 * HOUR


def test_a_system_hit_takes_down_processes_transitively(company_plan: Plan) -> None:
    order = recovery_order(company_plan, ["lithera"], START)
    assert ids(order) == ["lithera", "lithera-platform", "customer-response", "customer-shipping"]
    assert order[0].kind == "system"
    assert order[0].needed_by == (ItemRef("process", "lithera-platform"),)
    assert order[1].depends_on == (ItemRef("system", "lithera"),)
    assert not any(item.hit for item in order[1:])


def test_a_process_down_through_a_dependency_is_due_from_when_that_was_hit(company_plan: Plan) -> None:
    later = START + 2 * HOUR
    order = recovery_order(company_plan, ["lithera"], START, hit_at={"lithera": later})
    assert {item.id: item.deadline for item in order}["customer-shipping"] == later + 24 * HOUR


def test_a_process_hit_later_is_due_from_its_own_time(company_plan: Plan) -> None:
    later = START + 2 * HOUR
    (item,) = recovery_order(company_plan, ["payments"], START, hit_at={"payments": later})
    assert item.deadline == later + 48 * HOUR


def test_a_dependency_inherits_class_and_deadline(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    base = plan_data["processes"][0]
    plan_data["priority_classes"] = [{"id": "high", "name": "高"}, {"id": "low", "name": "低"}]
    plan_data["systems"] = [
        {"id": "srv", "name": "服务器", "primary": "主", "fallback": "备", "recovery_time": "48h"}
    ]
    plan_data["processes"] = [
        {**base, "id": "top", "priority": "high", "rto": "2h", "depends_on": {"processes": ["base"]}},
        {**base, "id": "base", "priority": "low", "rto": "24h", "depends_on": {"systems": ["srv"]}},
        {**base, "id": "other", "priority": "high", "rto": "8h"},
    ]
    order = recovery_order(load_plan(write_plan(plan_data)), ["srv", "other"], START)
    assert ids(order) == ["srv", "base", "top", "other"]
    for item in order[:3]:
        assert item.priority is not None
        assert (item.priority.id, item.deadline) == ("high", START + 2 * HOUR), item.id
    assert order[0].recovery_time == timedelta(hours=48)


def test_a_cycle_in_the_plan_ends_in_a_deterministic_order(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    base = plan_data["processes"][0]
    plan_data["processes"] = [
        {**base, "id": "a", "rto": "1h", "depends_on": {"processes": ["b"]}},
        {**base, "id": "b", "rto": "2h", "depends_on": {"processes": ["c"]}},
        {**base, "id": "c", "rto": "3h", "depends_on": {"processes": ["a", "c"]}},
        {**base, "id": "d", "rto": "1h", "depends_on": {"processes": ["b"]}},
    ]
    plan = load_plan(write_plan(plan_data))
    order = recovery_order(plan, ["a"], START)
    assert ids(order) == ids(recovery_order(plan, ["a"], START))
    assert sorted(ids(order)) == ["a", "b", "c", "d"]
    assert all(item.deadline == START + HOUR for item in order)  # the cycle shares its earliest deadline
    assert order[-1].id == "d"  # outside the cycle: after b, which it depends on


def test_names_are_accepted_casefolded(company_plan: Plan) -> None:
    assert resolve_items(company_plan, ["仓库", " 客户出货 ", "banK-token"]) == [
        ItemRef("site", "warehouse"),
        ItemRef("process", "customer-shipping"),
        ItemRef("system", "bank-token"),
    ]
    # The system and the process that runs on it share one name: whoever says it means both are down.
    assert resolve_items(company_plan, ["lithera 平台"]) == [
        ItemRef("process", "lithera-platform"),
        ItemRef("system", "lithera"),
    ]
    assert resolve_items(company_plan, ["Lithera 平台"], kinds=["process"]) == [
        ItemRef("process", "lithera-platform")
    ]
    assert ids(recovery_order(company_plan, ["仓库"], START)) == ids(
        recovery_order(company_plan, ["sites/warehouse"], START)
    )


def test_a_plain_identifier_two_collections_share_is_refused(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan_data["sites"] = [{"id": "ship", "name": "码头"}]
    plan_data["processes"][0]["depends_on"] = {"sites": ["ship"]}
    plan = load_plan(write_plan(plan_data))
    with pytest.raises(IncidentError) as ambiguous:
        recovery_order(plan, ["ship"], START)
    message = ambiguous.value.message("en")
    assert "processes/ship" in message
    assert "sites/ship" in message
    assert [item.kind for item in recovery_order(plan, ["sites/ship"], START)] == ["site", "process"]
    assert [item.kind for item in recovery_order(plan, ["processes/ship"], START)] == ["process"]


def test_unknown_items_are_named_with_what_is_known(company_plan: Plan) -> None:
    with pytest.raises(IncidentError) as unknown:
        recovery_order(company_plan, ["payroll", "warehouse"], START)
    message = unknown.value.message("zh")
    assert "payroll" in message
    assert "warehouse" not in message.split("：")[0]
    assert "仓库 (warehouse)" in message
    assert "客户出货 (customer-shipping)" in message


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
    assert ids(order) == ["b", "a", "c", "d"]
    assert order[-1].deadline is None


def test_the_handbook_lists_processes_in_this_order(company_plan: Plan) -> None:
    built = render_handbook(company_plan, validate(company_plan), date(2026, 11, 24))
    pages = {page.path: page.markdown for page in built}
    order = [item.name for item in recovery_order(company_plan, [p.id for p in company_plan.processes], None)]
    assert listed(pages["processes.md"], order) == order
    assert (
        "| Lithera 平台 | 客户出货（本身为 内部运营，为 客户响应、客户出货 所需） |" in pages["processes.md"]
    )
    owned = ["危化品仓储安全", "客户响应", "客户出货"]  # as ordered; the plan lists 客户出货 first
    assert listed(pages["runbooks/roles/business-warehouse.md"], order) == owned
    assert listed(pages["runbooks/people/sheng-zhuanhong.md"], order) == owned


def listed(markdown: str, names: list[str]) -> list[str]:
    """The first of `names` in each table row of `markdown` that holds one."""
    rows = [[cell.strip().replace("\\", "") for cell in line.split("|")] for line in markdown.splitlines()]
    return [next(cell for cell in row if cell in names) for row in rows if set(row) & set(names)]
