"""Changes to the small test plan that give each upkeep rule a dated item to age."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Mutation = Callable[[dict[str, Any]], None]


def drill_held(on: str, every: str = "30d") -> Mutation:
    """One exercise type every `every`, last held on `on`."""

    def mutate(data: dict[str, Any]) -> None:
        data["exercises"] = {
            "kinds": [{"id": "tabletop", "name": "桌上演练", "every": every}],
            "records": [{"id": "d1", "date": on, "kind": "tabletop"}],
        }

    return mutate


def scenario_drilled(on: str) -> Mutation:
    """A yearly drill with one scenario, so the rotation is exactly 365 days, drilled on `on`."""

    def mutate(data: dict[str, Any]) -> None:
        data["exercises"] = {
            "kinds": [{"id": "live", "name": "实战演练", "every": "365d"}],
            "scenarios": [{"id": "s0", "name": "情境0"}],
            "records": [{"id": "r1", "date": on, "kind": "live", "scenario": "s0"}],
        }

    return mutate


def contact_verified(on: str, every: str = "90d") -> Mutation:
    """Everyone's mobile verified on `on`, contacts to be verified every `every`."""

    def mutate(data: dict[str, Any]) -> None:
        data["documents"] = [{"id": "calls", "title": "应急联络名单", "relation": "联络"}]
        data["emergency_contacts"] = {"document": "calls", "verify_every": every, "owner": "role-1"}
        for person in data["people"]:
            person["contacts"][0]["verified_on"] = on

    return mutate


def restore_tested(on: str | None) -> Mutation:
    """A 3-2-1 data set whose one restore test passed on `on` (None: never tested)."""

    def mutate(data: dict[str, Any]) -> None:
        copies = [
            {"name": "主存", "location": "云", "medium": "cloud-ssd", "primary": True, "offsite": False},
            {"name": "备份 1", "location": "NAS", "medium": "local-hdd", "offsite": False},
            {"name": "备份 2", "location": "异地", "medium": "tape", "offsite": True, "custodians": ["bob"]},
        ]
        tests = [{"date": on, "by": "bob", "passed": True}] if on else []
        data["data_backups"] = [
            {"id": "erp-data", "name": "ERP 数据", "copies": copies, "restore_tests": tests}
        ]

    return mutate


def action_due(on: str) -> Mutation:
    """An open corrective action from a drill's review, due on `on`."""

    def mutate(data: dict[str, Any]) -> None:
        action = {"text": "修复备用电源", "owner": "cy", "due": on}
        review = {"actions": [action]}
        record = {"id": "d1", "date": "2026-01-10", "drill": True, "review": review}
        data["exercises"] = {"records": [record]}

    return mutate


def plan_reviewed(on: str, every: str = "100d") -> Mutation:
    """The plan reviewed on `on`, to be reviewed every `every`."""

    def mutate(data: dict[str, Any]) -> None:
        document = data["document"]
        document.update(review_every=every, review_owner="role-2", reviews=[{"date": on, "by": ["ann"]}])

    return mutate


def backups_trained(last: str | None) -> Mutation:
    """The cross-training every backup must do, done by Ann, Bob and Cy early on and by Dee on `last`."""

    def mutate(data: dict[str, Any]) -> None:
        done = [("ann", "2026-01-15"), ("bob", "2026-01-15"), ("cy", "2026-01-15")]
        done += [("dee", last)] if last else []
        data["training"] = {
            "courses": [{"id": "cross", "name": "备援人技能交叉培训", "hours": "8h"}],
            "backup_course": "cross",
            "records": [{"person": person, "course": "cross", "date": day} for person, day in done],
        }

    return mutate
