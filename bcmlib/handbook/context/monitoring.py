"""What the dashboard, the KPI and the coverage pages show, computed once for them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bcmlib.handbook.plots import trend_svg
from bcmlib.i18n import Lang, Msg, spelled
from bcmlib.models import Plan, Waiver
from bcmlib.monitoring.coverage import Coverage, coverage
from bcmlib.monitoring.drill_calendar import planned_drills
from bcmlib.monitoring.kpis import kpi_trend, kpi_value
from bcmlib.validation.findings import RULES, Finding, Report, Severity

__all__ = ["NEXT_DRILLS", "FindingGroup", "group_findings", "kpis", "monitoring"]


NEXT_DRILLS = 3
"""How many coming drills the dashboard lists."""


def monitoring(
    plan: Plan, report: Report, built: date, checked: Plan | None = None, lang: Lang = "zh"
) -> dict[str, Any]:
    """What the dashboard, the KPI and the coverage pages show, computed once for them all, in `lang`.

    `checked` is the plan `report` was found in, when `plan` is a redacted copy of it.
    """
    readiness = report.readiness
    late = [
        finding
        for finding in report
        if "late" in finding.params and finding.waiver is None and finding not in readiness
    ]
    soon = [finding for finding in report if "days" in finding.params]
    clauses = coverage(plan, report)
    counts = {status.value: sum(clause.status == status for clause in clauses) for status in Coverage}
    errors_first = sorted(
        group_findings(plan, readiness, built, checked, lang),
        key=lambda group: group.severity is not Severity.ERROR,
    )
    return {
        "kpis": kpis(plan, built),
        "readiness": errors_first,
        "overdue": sorted(group_findings(plan, late, built, checked, lang), key=lambda group: -group.age),
        "due_soon": sorted(soon, key=lambda finding: finding.params["days"]),
        "drills": planned_drills(plan, built)[:NEXT_DRILLS],
        "clauses": clauses,
        "coverage_summary": Msg("coverage.summary", counts),
    }


def kpis(plan: Plan, built: date) -> list[dict[str, Any]]:
    """Each KPI's value as of the build day, and its yearly trend as a plot when it has a value."""
    rows = []
    for kpi in plan.kpis:
        trend = kpi_trend(plan, kpi, built)
        drawn = any(value is not None for _, value in trend)
        plot = trend_svg(trend, kpi.target) if drawn else None
        rows.append({"kpi": kpi, "value": kpi_value(plan, kpi, built), "trend": plot})
    return rows


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one rule, as one row of the dashboard: what is wrong, for whom, since when."""

    code: str
    severity: Severity
    items: list[str]
    """The people or items the findings are about, by name, in the plan's order."""
    age: int
    """Days since the oldest of these gaps appeared, as of the build day."""
    owners: list[str] = field(default_factory=list)
    """Who is to act on them, where the rule says."""
    waivers: list[Waiver] = field(default_factory=list)
    """The waivers that hold for some of them, each once."""

    @property
    def count(self) -> int:
        """How many people or items the rule finds."""
        return len(self.items)


def group_findings(
    plan: Plan, findings: list[Finding], built: date, checked: Plan | None = None, lang: Lang = "zh"
) -> list[FindingGroup]:
    """The findings grouped by rule, in the order the rules first appear, each with its age in days.

    `checked` is the plan the findings were found in, when `plan` is a redacted copy of it: the ages
    check it again, as a finding's place (a contact's index) is a place in that plan, not in the copy.
    """
    ages = _ages(checked or plan, findings, built)
    codes = list(dict.fromkeys(finding.code for finding in findings))
    groups = []
    for code in codes:
        mine = [(finding, age) for finding, age in zip(findings, ages, strict=True) if finding.code == code]
        owners = [spelled(finding.params["owner"], lang) for finding, _ in mine if "owner" in finding.params]
        waivers = {id(f.waiver): f.waiver for f, _ in mine if f.waiver is not None}
        groups.append(
            FindingGroup(
                code,
                mine[0][0].severity,
                [name for finding, _ in mine for name in _subjects(plan, finding)],
                max(age for _, age in mine),
                list(dict.fromkeys(owners)),
                list(waivers.values()),
            )
        )
    return groups


def _subjects(plan: Plan, finding: Finding) -> list[str]:
    """Whom or what a finding is about, by name, never by field path.

    Most findings name one item as `collection/id`. A finding about a whole section (ROL007 names every
    holder without a contact at once) lists its members in the parameter named after the section; a
    finding about the plan as a whole (the document, a missing section) is about the plan's document.
    """
    collection, _, item_id = finding.item.partition("/")
    if item_id:
        item = plan.collections.get(collection, {}).get(item_id)
        return [str(getattr(item, "name", None) or item_id)]
    listed = finding.params.get(collection)
    if isinstance(listed, list):
        return [str(name) for name in listed]
    return [plan.document.number]


def _ages(plan: Plan, findings: list[Finding], built: date) -> list[int]:
    """How many days each gap has stood on the build day, from the earliest evidence of it.

    The upkeep rules count what was never done from the current version's issue (`issued`), so their
    `late` starts again at zero whenever a revision is appended. An age that resets hides the oldest
    gaps, so each dated finding is checked again as if the programme ran from the first revision, and
    the larger of the two ages kept.

    A structural gap (a role with nobody, a commander without a phone) carries no date. Its earliest
    evidence would be the oldest version of the plan that already had it, but the dashboard is rendered
    from the current plan alone and older versions are often not on record (no git tag per version):
    the first revision's date is the earliest day the plan, and with it the gap, is known to exist. It
    may overstate the age of an item added later; it never understates it and never resets.
    """
    # The earliest by date, not the first written: an unordered history is DOC001's to report.
    first = min(plan.document.revisions, key=lambda revision: revision.date)
    structural = max((built - first.date).days, 0)
    baseline = plan.model_copy(update={"document": plan.document.model_copy(update={"revisions": [first]})})
    dated = {finding.code for finding in findings if "late" in finding.params}
    again = {
        (code, hit.item, hit.path): int(hit.params["late"])
        for code in dated
        for hit in RULES[code].check(baseline, built)
        if "late" in hit.params
    }
    return [
        max(int(finding.params["late"]), again.get((finding.code, finding.item, finding.path), 0))
        if "late" in finding.params
        else structural
        for finding in findings
    ]
