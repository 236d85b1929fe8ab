"""What the crisis pages need: the wallet card's call order and reporting deadlines."""

from __future__ import annotations

from typing import Any

from bcmlib.handbook.context.shared import chain
from bcmlib.models import Plan

__all__ = ["wallet_card"]


def wallet_card(plan: Plan) -> dict[str, Any]:
    """Whom to call, in order, for each role of the BCM organisation, and the reporting deadlines."""
    chains = [(role, chain(plan, role)) for role in plan.roles if role.group == "bcm-organisation"]
    levels = [level for level in plan.crisis_levels if level.report_to and level.report_within]
    return {"chains": chains, "levels": levels}
