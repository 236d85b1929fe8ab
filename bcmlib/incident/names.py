"""Plan items named as people name them: by identifier or by name, in any case, with errors that list both.

A responder types what the handbook shows them (系统故障, 桌上演练, 客户响应, 开始恢复), or the identifier;
either works for every argument that names a plan item. An unknown text is refused with the known items as
`name (id)`, so the reader can pick one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from bcmlib.incident.errors import IncidentError

__all__ = ["Named", "resolve_named"]


class Named(Protocol):
    """Anything of the plan with an identifier and a name."""

    @property
    def id(self) -> str:
        """The identifier."""

    @property
    def name(self) -> str:
        """The name."""


def resolve_named(items: Mapping[str, Named] | Iterable[Named], text: str, error: str) -> str:
    """The identifier of the item `text` names by identifier or name; else `IncidentError(error)`.

    The error gets `name` (the text) and `known` (every item as `name (id)`).
    """
    candidates = list(items.values() if isinstance(items, Mapping) else items)
    wanted = _folded(text)
    for item in candidates:
        if wanted in (_folded(item.id), _folded(item.name)):
            return str(item.id)
    raise IncidentError(error, name=text, known=[f"{item.name} ({item.id})" for item in candidates])


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
