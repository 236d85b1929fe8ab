"""A hostile plan: every free-text field of the company's plan carries a payload aimed at one context.

The corpus follows where plan text lands (OWASP's XSS contexts and this project's own sinks): the HTML
body, an attribute, `<title>`, a JavaScript string, a URL, Markdown's links, attribute lists and
abbreviations, Jinja, a Graphviz HTML-like label, and `innerHTML` after an entity is decoded. Each
payload that runs calls `window.__xss(n)`, so a test names the payload that got through; the ones that
would read a file of the build host name `SECRET`, whose marker must never reach a PDF.
"""

from __future__ import annotations

import types
import typing
from itertools import cycle
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from bcmlib.models import Plan

SECRET = Path("/tmp/bcm-hostile-secret.svg")
"""A file on the build host that a payload tries to pull into a page or a PDF."""
MARKER = "HOSTILE-SECRET-7731"
"""The text inside `SECRET`: found in any output, a payload read a file of the build host."""


def corpus() -> list[str]:
    """The payloads, one line each (labels are one line), none with a character the plan refuses."""
    secret = SECRET.as_posix()
    return [
        '<img src=x onerror="window.__xss(1)">',
        '"><svg onload=window.__xss(2)>',
        "'><script>window.__xss(3)</script>",
        "</title><img src=x onerror=window.__xss(4)>",
        "javascript:window.__xss(5)",
        "[点我](javascript:window.__xss(6))",
        "{{ lipsum.__globals__ }}{% raw %}",
        "*[HTML]: <img src=x onerror=window.__xss(8)>",
        f'<<img src="{secret}"/>>',
        "&lt;img src=x onerror=window.__xss(10)&gt;",
        '{: onclick="window.__xss(11)" }',
        f'<img src="file://{secret}">',
        '";window.__xss(13);//',
        '<a href="javascript:window.__xss(14)">链接</a>',
        "${window.__xss(15)}",
        '<<a href="javascript:window.__xss(16)">图</a>>',
    ]


WIDENED = "widened.yaml"
"""The plan file `widen` adds: sections the company's plan leaves empty, so poison reaches them too."""


def widen(files: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`files` with plain values in the sections the company's plan leaves empty or short.

    Committees, outside parties and their reports, a measured KPI and labelled approvals land on pages
    and runbooks of their own; poison only reaches text that is there.
    """
    files[WIDENED] = {
        "committees": [
            {"id": "working-group", "name": "工作小组", "chair": "bcm-commander", "members": ["bcm-deputy"]}
        ],
        "external_parties": [
            {
                "id": "authority",
                "name": "应急管理局",
                "kind": "authority",
                "contacts": [{"channel": "landline", "value": "021 5555 0100", "personal": False}],
                "note": "值班室",
            }
        ],
        "external_reports": [
            {"id": "accident", "to": "authority", "when": "事故", "within": "1h", "by": "field-commander"}
        ],
    }
    governance = next(data for data in files.values() if "kpis" in data)
    records = [{"on": "2026-06-30", "value": 90, "note": "抽查"}]
    governance["kpis"].append(
        {"id": "measured", "name": "实测", "target": 80, "measure": "抽查", "records": records}
    )
    document = next(data for data in files.values() if "document" in data)
    # The company's name is the site's title, printed on every page: poisoned whichever payload the
    # cycle hands it.
    document["company"]["short_name"] = corpus()[0]
    for approval in document["document"]["approvals"]:
        approval["label"] = "审核"
    _widen_analysis(files)
    return files


def _section(files: dict[str, dict[str, Any]], name: str, empty: Any) -> Any:
    """The plan section `name`, from the file that has it, or a new one in the widened file."""
    holder = next((data for data in files.values() if name in data), files[WIDENED])
    return holder.setdefault(name, empty)


def _widen_analysis(files: dict[str, dict[str, Any]]) -> None:
    """The analysis behind the plan: an impact analysis, a matrix, a policy, a strategy, supplies, messages.

    The values agree with the plan (MTPD after RTO, the strategy in time), so the plan stays free of
    errors and every page of them is built.
    """
    files[WIDENED]["impact_scale"] = [
        {"id": "minor", "name": "轻微", "criterion": "可消化"},
        {"id": "severe", "name": "严重", "criterion": "不可承受"},
    ]
    for category in _section(files, "impact_categories", []):
        category["intolerable_from"] = "severe"
        category["criteria"] = [{"rating": "severe", "criterion": "超出承受"}]
    processes = _section(files, "processes", [])
    shipping = next(process for process in processes if process.get("rto") == "24h")
    points = [
        {"after": "4h", "rating": "minor", "amount": 1, "unit": "万元", "reason": "估计"},
        {"after": "72h", "rating": "severe", "reason": "合同罚则"},
    ]
    shipping["bia"] = {"impacts": [{"category": "revenue", "over_time": points}]}
    shipping["mbco"] = {"level": "半数订单", "capacity": 50, "staff": 1}
    shipping["work_recovery"] = "1h"
    if not files[WIDENED].get("risk_matrix") and not any("risk_matrix" in d for d in files.values()):
        files[WIDENED]["risk_matrix"] = {
            "likelihood": {
                "levels": [{"id": "low", "name": "低"}, {"id": "high", "name": "高"}],
                "high_from": "high",
            },
            "impact": {
                "levels": [{"id": "low", "name": "低"}, {"id": "high", "name": "高"}],
                "high_from": "high",
            },
        }
    files[WIDENED]["external_parties"].append(
        {
            "id": "insurer",
            "name": "保险公司",
            "kind": "insurer",
            "contacts": [{"channel": "landline", "value": "021 5555 0200", "personal": False}],
        }
    )
    scenario = _section(files, "risk_scenarios", [])[0]
    files[WIDENED]["insurance"] = [
        {
            "id": "property",
            "name": "财产险",
            "insurer": "保险公司",
            "number": "P-1",
            "cover": "火灾",
            "sum_insured": "100 万元",
            "claim_contact": "insurer",
            "claim_within": "48 小时",
            "risks": [scenario["id"]],
        }
    ]
    # Beside the plan's own strategies and stocks, wherever it keeps them.
    _section(files, "strategies", []).append(
        {
            "id": "other-warehouse",
            "name": "备用仓库",
            "loss": "site",
            "description": "租用",
            "processes": [shipping["id"]],
            "ready_within": "12h",
            "lasts": "30d",
            "capacity": 60,
        }
    )
    _section(files, "emergency_supplies", {}).setdefault("items", []).append(
        {
            "id": "hostile-water",
            "name": "饮用水",
            "quantity": 10,
            "unit": "箱",
            "location": "前台",
            "checked_on": "2026-11-01",
        }
    )
    communication = _section(files, "communication", {})
    communication.setdefault("audiences", []).append(
        {"id": "press", "name": "记者", "kind": "media", "channels": ["新闻稿"]}
    )
    communication.setdefault("templates", []).append(
        {
            "audiences": ["press"],
            "stage": "first-notice",
            "subject": "通报",
            "body": "{company} 通报：{scenario}",
        }
    )


def poison(files: dict[str, dict[str, Any]]) -> int:
    """Append a payload to every free-text value of the plan files, in turn; return how many."""
    payloads = cycle(corpus())
    count = 0
    fields = Plan.model_fields
    for data in files.values():
        for section, value in data.items():
            if section in fields:
                data[section], added = _poisoned(
                    value, fields[section].annotation, fields[section].metadata, payloads
                )
                count += added
    return count


def _poisoned(
    value: Any, annotation: Any, metadata: list[Any], payloads: typing.Iterator[str]
) -> tuple[Any, int]:
    """`value` with a payload appended to each free-text string in it, as its type says."""
    annotation, metadata = _unwrap(annotation, metadata)
    if value is None:
        return value, 0
    if annotation is str and not metadata and isinstance(value, str):
        return f"{value} {next(payloads)}", 1
    if get_origin(annotation) is list and isinstance(value, list):
        (item,) = get_args(annotation)
        results = [_poisoned(entry, item, [], payloads) for entry in value]
        return [entry for entry, _ in results], sum(added for _, added in results)
    if isinstance(value, dict):
        model = _model_for(annotation, value)
        if model is None:
            return value, 0
        count = 0
        for key, entry in value.items():
            if key in model.model_fields:
                field = model.model_fields[key]
                value[key], added = _poisoned(entry, field.annotation, field.metadata, payloads)
                count += added
        return value, count
    return value, 0


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """The type inside `Annotated` and `X | None`, with the metadata gathered on the way."""
    metadata = list(metadata)
    while True:
        if get_origin(annotation) is typing.Annotated:
            annotation, *extra = get_args(annotation)
            metadata += extra
        elif get_origin(annotation) in (typing.Union, types.UnionType):
            options = [option for option in get_args(annotation) if option is not type(None)]
            if len(options) != 1:
                return options, metadata
            annotation = options[0]
        else:
            return annotation, metadata


def _model_for(annotation: Any, value: dict[str, Any]) -> type[BaseModel] | None:
    """The model a mapping is read as: the one type, or the union member whose `kind` it names."""
    options = annotation if isinstance(annotation, list) else [annotation]
    for written in options:
        option, _ = _unwrap(written, [])
        if isinstance(option, type) and issubclass(option, BaseModel):
            kind = option.model_fields.get("kind")
            if (
                kind is None
                or get_origin(kind.annotation) is not Literal
                or value.get("kind") in get_args(kind.annotation)
            ):
                return option
    return None
