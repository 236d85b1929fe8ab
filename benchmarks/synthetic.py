"""Write a synthetic plan with N people, roles, processes and systems, split over files like plan/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def synthetic_plan(size: int) -> dict[str, dict[str, Any]]:
    """Plan sections by file name, for a plan of `size` people, roles, processes and systems."""
    contact = {"channel": "mobile", "value": "13800000000", "personal": True}
    people = [
        {"id": f"p{n}", "name": f"员工{n}", "kind": "staff", "contacts": [contact]} for n in range(size)
    ]
    roles = [
        {
            "id": f"r{n}",
            "name": f"角色{n}",
            "group": "key-position",
            "primary": f"p{n}",
            "backups": [f"p{(n + 1) % size}", f"p{(n + 2) % size}"],
            "duties": ["负责本岗位的恢复", "向总指挥报告"],
        }
        for n in range(size)
    ]
    processes = [
        {
            "id": f"proc{n}",
            "name": f"业务{n}",
            "impact": "营收损失",
            "rto": "24h",
            "rpo": "4h",
            "mao": "72h",
            "fallback": "手动表单",
            "priority": "ops",
            "owner": f"r{n}",
            "depends_on": {"systems": [f"s{n}"], "roles": [f"r{n}"]},
        }
        for n in range(size)
    ]
    systems = [
        {"id": f"s{n}", "name": f"系统{n}", "primary": "主", "fallback": "备", "recovery_time": "4h"}
        for n in range(size)
    ]
    document = {
        "number": "SOP-B",
        "title": "基准计划",
        "purpose": "基准",
        "scope": "全部",
        "revisions": [{"version": "v1", "date": "2026-01-01", "summary": "首版"}],
    }
    return {
        "document.yaml": {
            "document": document,
            "priority_classes": [{"id": "ops", "name": "内部运营"}],
            # Without an emergency number a plan is refused (LIF001): the handbook's first step.
            "life_safety": {"services": [{"name": "火警", "number": "119"}]},
        },
        "people.yaml": {"people": people},
        "roles.yaml": {"roles": roles},
        "processes.yaml": {"processes": processes},
        "systems.yaml": {"systems": systems},
    }


def write_synthetic_plan(size: int, folder: Path) -> Path:
    """Write the synthetic plan into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, sections in synthetic_plan(size).items():
        text = yaml.dump(sections, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper)
        (folder / name).write_text(text, encoding="utf-8")
    return folder
