"""The one error an incident command raises: a translated message that says what to do."""

from __future__ import annotations

from typing import Any

from bcmlib.i18n import Lang, Msg, translate

__all__ = ["IncidentError"]


class IncidentError(Exception):
    """A refused command or an unreadable log; `message(lang)` says which and how to fix it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.msg = Msg(key, params)

    def message(self, lang: Lang = "zh") -> str:
        """The error in `lang`."""
        return translate(self.msg.key, lang, **self.msg.params)

    def __str__(self) -> str:
        return self.message("en")
