"""The log events outside the workflow's triggers."""

from __future__ import annotations

__all__ = ["AVAILABLE", "MESSAGE", "UNAVAILABLE"]

UNAVAILABLE, AVAILABLE = "unavailable", "available"
"""The log events that record people out and back again."""

MESSAGE = "message"
"""The log event that records a message sent to an audience of the plan's crisis communication."""
