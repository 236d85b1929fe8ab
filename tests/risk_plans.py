"""Changes to the small test plan that give it a risk matrix, insurance, strategies and emergency supplies.

The matrix is a four-step likelihood scale and a three-step impact scale, each high from its third step;
the treatments are the three of a procedure that leaves low impact with low likelihood open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Mutation = Callable[[dict[str, Any]], None]

LIKELIHOOD = ["rare", "unlikely", "likely", "certain"]
IMPACT = ["minor", "major", "severe"]


def matrix(data: dict[str, Any]) -> None:
    """The risk matrix and the three treatments of the quadrants it splits into."""
    data["risk_matrix"] = {
        "likelihood": {
            "levels": [{"id": level, "name": f"可能性{n + 1}"} for n, level in enumerate(LIKELIHOOD)],
            "high_from": "likely",
        },
        "impact": {
            "levels": [{"id": level, "name": f"影响{n + 1}"} for n, level in enumerate(IMPACT)],
            "high_from": "severe",
        },
    }
    data["risk_treatments"] = [
        {"id": "avoid", "name": "避开", "impact": "high", "likelihood": "low", "description": "d"},
        {"id": "transfer", "name": "投保", "impact": "high", "likelihood": "high", "description": "d"},
        {"id": "reduce", "name": "控制", "impact": "low", "likelihood": "high", "description": "d"},
    ]


def scenario(
    likelihood: str | None = None, impact: str | None = None, treatment: str | None = None, **more: Any
) -> Mutation:
    """The matrix and one scenario, 火灾, scored at `likelihood` × `impact` (unscored if not given)."""

    def mutate(data: dict[str, Any]) -> None:
        matrix(data)
        fire: dict[str, Any] = {"id": "fire", "name": "火灾", "level": "medium", "frequency": "5-20y", **more}
        if likelihood and impact:
            fire["assessment"] = {"likelihood": likelihood, "impact": impact}
        if treatment:
            fire["treatment"] = treatment
        data["risk_scenarios"] = [fire]

    return mutate


def insured(expires: str = "2027-06-30", claim_contact: bool = True) -> Mutation:
    """The fire scenario transferred to a property policy that expires on `expires`."""

    def mutate(data: dict[str, Any]) -> None:
        scenario("likely", "severe", "transfer")(data)
        data["external_parties"] = [
            {
                "id": "claims",
                "name": "理赔专线",
                "kind": "insurer",
                "contacts": [{"channel": "landline", "value": "400 555 0100", "personal": False}],
            }
        ]
        policy: dict[str, Any] = {
            "id": "property",
            "name": "财产险",
            "insurer": "某财产保险公司",
            "number": "PX-0001",
            "cover": "厂房与存货",
            "expires": expires,
            "risks": ["fire"],
        }
        if claim_contact:
            policy["claim_contact"] = "claims"
        data["insurance"] = [policy]

    return mutate


def strategy(mbco: int | None = None, **measures: Any) -> Mutation:
    """A backup warehouse for the shipping process (RTO 24h), with `measures`; `mbco` the process's."""

    def mutate(data: dict[str, Any]) -> None:
        data["strategies"] = [
            {"id": "spare", "name": "备援仓", "loss": "site", "processes": ["ship"], **measures}
        ]
        if mbco is not None:
            data["processes"][0]["mbco"] = {"level": "半数订单", "capacity": mbco}

    return mutate


MEASURED: dict[str, Any] = {"ready_within": "12h", "lasts": "30d", "capacity": 60}
"""A strategy's measures that meet the shipping process's RTO."""


def supplies(**stock: Any) -> Mutation:
    """One stock of water, counted every 3 months and kept by the role `role-1`, with `stock` set."""

    def mutate(data: dict[str, Any]) -> None:
        water = {"id": "water", "name": "饮用水", "quantity": 20, "unit": "箱", "location": "前台", **stock}
        data["emergency_supplies"] = {
            "check_every": "3mo",
            "owner": "role-1",
            "items": [{key: value for key, value in water.items() if value is not None}],
        }

    return mutate
