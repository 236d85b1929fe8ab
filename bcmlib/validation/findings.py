"""Findings of the validator, the registry of its rules, and the report of one run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bcmlib.i18n import Lang, translate
from bcmlib.locations import FieldPath, Location, format_field_path
from bcmlib.models import Plan, Waiver
from bcmlib.models.values import spoken

__all__ = ["RULES", "Finding", "Hit", "Report", "Rule", "Severity", "rule"]


class Severity(StrEnum):
    """How serious a finding is: an error blocks the plan, a warning is shown and never silenced."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Hit:
    """What a rule reports: the item it is about, the field path, and the message's parameters."""

    item: str
    path: FieldPath
    params: dict[str, Any] = field(default_factory=dict)


Check = Callable[[Plan, date], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A validation rule with a stable code and a severity."""

    code: str
    severity: Severity
    check: Check
    blocking: bool = False
    """True when a plan with this error cannot be used at all: nothing can be run or built by it."""
    readiness: str | None = None
    """The ISO 22301 clause whose subject a finding of this rule leaves unready for a crisis, or None."""

    @property
    def summary(self) -> str:
        """What the rule checks, from the check's docstring."""
        return (self.check.__doc__ or "").strip().splitlines()[0]


RULES: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity, *, blocking: bool = False, readiness: str | None = None
) -> Callable[[Check], Check]:
    """Register a check under a stable code; a code used twice is a bug and raises.

    `blocking` marks the errors that leave the plan unusable (a reference to nothing, a workflow that
    cannot run). Every other error, expired waivers and aged dates among them, fails `bcm check` but
    never stops an incident command or the handbook build: in a crisis a gap is shown, not obeyed.

    `readiness` names the ISO 22301 clause (`"8.4.3"`) whose subject a finding leaves unready for a
    crisis: nobody to call, nobody to act, nothing to do first. The dashboard lists these findings
    first, waived or not (a waiver says where the answer lives, yet the handbook still lacks it), and
    the clause is rated partial while one stands.
    """

    def register(check: Check) -> Check:
        if code in RULES:
            msg = f"rule code {code} is registered twice"
            raise ValueError(msg)
        RULES[code] = Rule(code, severity, check, blocking, readiness)
        return check

    return register


@dataclass(frozen=True)
class Finding:
    """A problem in the plan: which rule, how serious, about which item, where, and any waiver of it."""

    code: str
    severity: Severity
    item: str
    path: FieldPath
    params: dict[str, Any]
    location: Location | None = None
    waiver: Waiver | None = None

    def message(self, lang: Lang = "zh") -> str:
        """The finding in plain language, with how to fix it."""
        params = {name: spoken(value, lang) for name, value in self.params.items()}
        return translate(f"rules.{self.code}", lang, **params)

    def describe(self, lang: Lang = "zh") -> str:
        """Where, the code, the severity, the field and the message; a waiver on a second line."""
        return "\n".join(self.lines(lang))

    def lines(self, lang: Lang = "zh") -> list[str]:
        """`describe` line by line, for a terminal that shows each as one line of its own."""
        severity = translate(f"cli.{self.severity.value}", lang)
        where = f" [{self.field}]" if self.field else ""
        lines = [f"{self.location or self.item}: {self.code} {severity}{where} {self.message(lang)}"]
        if self.waiver is not None:
            waived = translate(
                "cli.waived_permanent" if self.waiver.permanent else "cli.waived",
                lang,
                reason=self.waiver.reason,
                by=self.waiver.accepted_by,
                until=self.waiver.term.isoformat(),
            )
            lines.append(f"    {waived}")
        return lines

    @property
    def field(self) -> str:
        """The field path in the plan, as `roles[3].backups`."""
        return format_field_path(self.path)

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The finding as plain data, for `--format json`."""
        where = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "item": self.item,
            "field": self.field,
            "file": str(where.file) if where else None,
            "line": where.line if where else None,
            "column": where.column if where else None,
            "message": self.message(lang),
            "waiver": None
            if self.waiver is None
            else {
                "reason": self.waiver.reason,
                "accepted_by": self.waiver.accepted_by,
                "until": self.waiver.until and self.waiver.until.isoformat(),
                "permanent": self.waiver.permanent,
                "review_by": self.waiver.review_by and self.waiver.review_by.isoformat(),
            },
        }


@dataclass(frozen=True)
class Report:
    """All findings of one validation run, in rule order; iterating it gives the findings."""

    findings: list[Finding]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """Errors nobody waived: each one fails the check."""
        return [f for f in self.findings if f.severity is Severity.ERROR and f.waiver is None]

    @property
    def blocking(self) -> list[Finding]:
        """Errors that leave the plan unusable: commands and the build refuse to run by it."""
        return [f for f in self.errors if f.code in RULES and RULES[f.code].blocking]

    @property
    def readiness(self) -> list[Finding]:
        """Findings that leave the plan unready for a crisis, waived ones included."""
        return [f for f in self.findings if f.code in RULES and RULES[f.code].readiness is not None]

    @property
    def warnings(self) -> list[Finding]:
        """Warnings nobody waived."""
        return [f for f in self.findings if f.severity is Severity.WARNING and f.waiver is None]

    @property
    def waived(self) -> list[Finding]:
        """Findings covered by a waiver that still holds."""
        return [f for f in self.findings if f.waiver is not None]

    def passes(self, *, strict: bool = False) -> bool:
        """True with no unwaived errors; with `strict`, also no warnings and no waived findings."""
        return not self.errors and not (strict and (self.warnings or self.waived))
