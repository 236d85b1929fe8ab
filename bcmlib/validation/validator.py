"""Run every rule over a plan, then apply the plan's waivers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bcmlib import clock
from bcmlib.locations import FieldPath
from bcmlib.models import Plan
from bcmlib.validation import rules as _rules  # noqa: F401 - importing registers the rules
from bcmlib.validation.findings import RULES, Finding, Report, Severity

__all__ = ["validate"]


def validate(plan: Plan, *, today: date | None = None) -> Report:
    """Check a plan against every rule and return the findings, waived ones marked as such.

    Args:
        plan: A plan from `load_plan` (findings then carry file, line and column) or built in code.
        today: The day to check dates against (exercise cadence, waiver expiry); defaults to
            `bcmlib.clock.today()`, which `BCM_AS_OF` sets.

    Returns:
        A report of every finding, in rule order. A finding matched by a waiver that still holds
        carries the waiver; an expired waiver leaves its finding unwaived and adds a WAI001 error, and a
        waiver that matches nothing adds a WAI002 warning.
    """
    day = today or clock.today()
    findings = [
        Finding(rule.code, rule.severity, hit.item, hit.path, hit.params, plan.locate(hit.path))
        for rule in sorted(RULES.values(), key=lambda rule: rule.code)
        for hit in rule.check(plan, day)
    ]
    return Report(_apply_waivers(plan, findings, day))


def _apply_waivers(plan: Plan, findings: list[Finding], today: date) -> list[Finding]:
    waivers = {(waiver.rule, waiver.item): waiver for waiver in plan.waivers}
    matched = set()
    result = []
    for finding in findings:
        waiver = waivers.get((finding.code, finding.item))
        if waiver is not None:
            matched.add(id(waiver))
        holds = waiver is not None and waiver.until >= today
        result.append(replace(finding, waiver=waiver) if holds else finding)
    for index, waiver in enumerate(plan.waivers):
        params = {"rule": waiver.rule, "item": waiver.item, "until": waiver.until.isoformat()}
        path: FieldPath
        if waiver.until < today:
            code, severity, path = "WAI001", Severity.ERROR, ("waivers", index, "until")
        elif id(waiver) not in matched:
            code, severity, path = "WAI002", Severity.WARNING, ("waivers", index)
        else:
            continue
        result.append(Finding(code, severity, f"waivers/{index}", path, params, plan.locate(path)))
    return result
