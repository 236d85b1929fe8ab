"""The one place the library reads the time, so that every "now" and "today" can be set.

`BCM_AS_OF` fixes the moment for the CLI, the handbook build and the library alike: an ISO 8601 date
(`2027-06-01`, read as midnight in the local zone) or a date and time with its zone
(`2027-06-01T09:30+08:00`). The test suite pins it, so nothing it checks depends on the day it runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

__all__ = ["AS_OF", "ClockError", "aware", "now", "parse", "pinned", "today"]

AS_OF = "BCM_AS_OF"
"""The environment variable that sets the moment."""


class ClockError(ValueError):
    """A time the library cannot use: not ISO 8601, or without its zone."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


_pinned: ContextVar[datetime | None] = ContextVar("pinned", default=None)


def now() -> datetime:
    """The current moment, aware: as `pinned` sets it, else `BCM_AS_OF`, else the machine's clock."""
    moment = _pinned.get()
    if moment is not None:
        return moment
    text = os.environ.get(AS_OF, "").strip()
    return parse(text) if text else datetime.now().astimezone()


def parse(text: str) -> datetime:
    """An ISO 8601 date (midnight in the local zone) or a date and time with its zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ClockError(text, "not an ISO 8601 date or time") from error
    if "T" not in text and " " not in text:
        return datetime.combine(moment.date(), time()).astimezone()
    return aware(moment, text)


@contextmanager
def pinned(moment: datetime) -> Iterator[None]:
    """Within the block, `now()` is `moment` (a command's `--as-of`), whatever `BCM_AS_OF` says."""
    token = _pinned.set(aware(moment))
    try:
        yield
    finally:
        _pinned.reset(token)


def today() -> date:
    """The current day, as `now()` sees it."""
    return now().date()


def aware(moment: datetime, text: str | None = None) -> datetime:
    """`moment` if it carries its zone; a naive time is refused, since laptops and shares disagree on one."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(text or moment.isoformat(), "no time zone: add one, such as +08:00")
    return moment
