"""Run every rule over a plan, then apply the plan's waivers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bcmlib import clock
from bcmlib.loading.loader import collector_paused
from bcmlib.locations import FieldPath
from bcmlib.models import Plan
from bcmlib.validation import rules as _rules  # noqa: F401 - importing registers the rules
from bcmlib.validation.findings import RULES, Finding, Report, Severity

__all__ = ["WAIVER_CODES", "validate"]

WAIVER_CODES = ("WAI001", "WAI002", "WAI003")
"""The findings about waivers themselves, which no rule of `RULES` reports: the validator does."""


def validate(plan: Plan, *, today: date | None = None) -> Report:
    """Check a plan against every rule and return the findings, waived ones marked as such.

    Args:
        plan: A plan from `load_plan` (findings then carry file, line and column) or built in code.
        today: The day to check dates against (exercise cadence, waiver expiry); defaults to
            `bcmlib.clock.today()`, which `BCM_AS_OF` sets.

    Returns:
        A report of every finding, in rule order. A finding matched by a waiver that still holds
        carries the waiver; an expired waiver leaves its finding unwaived and adds a WAI001 error, and a
        waiver that matches nothing adds a WAI002 warning. A permanent waiver past its review date still
        holds, and adds a WAI003 warning.
    """
    day = today or clock.today()
    with collector_paused():
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
        holds = waiver is not None and waiver.holds(today)
        result.append(replace(finding, waiver=waiver) if holds else finding)
    for index, waiver in enumerate(plan.waivers):
        params: dict[str, object] = {
            "rule": waiver.rule,
            "item": waiver.item,
            "until": waiver.term.isoformat(),
        }
        path: FieldPath
        if not waiver.holds(today):
            code, severity, path = "WAI001", Severity.ERROR, ("waivers", index, "until")
        elif waiver.permanent and waiver.term < today:
            # The acceptance stands (the company chose to live with the risk), but nobody has looked at
            # it since it was due: ISO 22301 §9.3 reviews keep accepted risks current.
            params["late"] = (today - waiver.term).days
            code, severity, path = "WAI003", Severity.WARNING, ("waivers", index, "review_by")
        elif id(waiver) not in matched:
            code, severity, path = "WAI002", Severity.WARNING, ("waivers", index)
        else:
            continue
        result.append(Finding(code, severity, f"waivers/{index}", path, params, plan.locate(path)))
    return result
