"""The log events outside the workflow's triggers."""

from __future__ import annotations

__all__ = ["AVAILABLE", "UNAVAILABLE"]

UNAVAILABLE, AVAILABLE = "unavailable", "available"
"""The log events that record people out and back again."""
