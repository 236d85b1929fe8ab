"""Risk scenarios are scored on the plan's matrix, treated as it suggests or say why not, and insured."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bcmlib.analysis.risk import policies_for, score, suggested_treatment
from bcmlib.i18n import Msg
from bcmlib.models import Plan
from bcmlib.models.risk import Treatment
from bcmlib.validation.findings import Hit, Severity, rule


def _named(treatment: Treatment) -> Msg:
    return Msg(f"handbook.risks.treatments.{treatment}")


@rule("RSK002", Severity.WARNING)
def not_assessed(plan: Plan, today: date) -> Iterator[Hit]:
    """A risk scenario is not scored on the plan's risk matrix."""
    if plan.risk_matrix is None:
        return
    for index, scenario in enumerate(plan.risk_scenarios):
        if scenario.assessment is None:
            yield Hit(f"risk_scenarios/{scenario.id}", ("risk_scenarios", index), {"scenario": scenario.name})


@rule("RSK003", Severity.WARNING)
def no_matrix(plan: Plan, today: date) -> Iterator[Hit]:
    """The plan has risk scenarios but no risk matrix to score them on."""
    if plan.risk_scenarios and plan.risk_matrix is None:
        yield Hit("risk_matrix", ("risk_scenarios",), {"count": len(plan.risk_scenarios)})


@rule("RSK004", Severity.WARNING)
def treatment_unexplained(plan: Plan, today: date) -> Iterator[Hit]:
    """A risk scenario's chosen treatment differs from the one the matrix suggests, with no reason given."""
    for index, scenario in enumerate(plan.risk_scenarios):
        found = score(plan, scenario)
        if found is None or scenario.treatment is None or scenario.treatment_reason:
            continue
        suggested = suggested_treatment(plan, found.impact_half, found.likelihood_half)
        if scenario.treatment != suggested:
            params = {
                "scenario": scenario.name,
                "chosen": _named(scenario.treatment),
                "suggested": _named(suggested),
            }
            yield Hit(f"risk_scenarios/{scenario.id}", ("risk_scenarios", index, "treatment"), params)


@rule("INS001", Severity.WARNING)
def transfer_uninsured(plan: Plan, today: date) -> Iterator[Hit]:
    """A risk is to be transferred, but no insurance policy names it."""
    for index, scenario in enumerate(plan.risk_scenarios):
        if scenario.treatment == "transfer" and not policies_for(plan, scenario):
            params = {"scenario": scenario.name, "id": scenario.id}
            yield Hit(f"risk_scenarios/{scenario.id}", ("risk_scenarios", index, "treatment"), params)


# An error, as an expired waiver is: the plan says the risk is carried by an insurer, and in a crisis
# someone would claim on cover that no longer exists.
@rule("INS002", Severity.ERROR)
def policy_expired(plan: Plan, today: date) -> Iterator[Hit]:
    """An insurance policy has expired."""
    for index, policy in enumerate(plan.insurance):
        if policy.expires is not None and policy.expires < today:
            params = {"policy": policy.name, "insurer": policy.insurer, "expires": policy.expires.isoformat()}
            yield Hit(f"insurance/{policy.id}", ("insurance", index, "expires"), params)


@rule("INS003", Severity.WARNING)
def no_claim_contact(plan: Plan, today: date) -> Iterator[Hit]:
    """An insurance policy does not say whom to call to claim on it."""
    for index, policy in enumerate(plan.insurance):
        if policy.claim_contact is None:
            params = {"policy": policy.name, "insurer": policy.insurer}
            yield Hit(f"insurance/{policy.id}", ("insurance", index), params)
