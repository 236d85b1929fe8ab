"""Every message a reader sees, in Simplified Chinese (the default) and English, from `locale/<lang>.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any, Literal, get_args

import yaml

__all__ = ["LANGUAGES", "Lang", "Msg", "spelled", "translate"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: it reads a catalogue in a tenth of the time, and every
command that prints a message reads one."""

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)


@cache
def _catalogue(lang: Lang) -> dict[str, str]:
    text = files("bcmlib").joinpath(f"locale/{lang}.yaml").read_text(encoding="utf-8")
    flat: dict[str, str] = {}

    def flatten(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                flatten(f"{name}.", value)
            else:
                flat[name] = str(value)

    flatten("", yaml.load(text, Loader=_LOADER))
    return flat


@dataclass(frozen=True)
class Msg:
    """A message used as a parameter of another, translated together with it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def translate(key: str, lang: Lang = "zh", /, **params: Any) -> str:
    """The message `key` in `lang`, filled in with `params`; a missing key is a bug and raises `KeyError`.

    A parameter that is a `Msg` is translated into the same language first; a list or tuple is joined
    with the language's list separator, its `Msg` items translated.
    """
    resolved = {name: _resolve(value, lang) for name, value in params.items()}
    return _catalogue(lang)[key].format(**resolved)


def spelled(value: Any, lang: Lang) -> str:
    """A message parameter as a message would print it in `lang`: a `Msg` translated, a list joined."""
    return str(_resolve(value, lang))


def _resolve(value: Any, lang: Lang) -> Any:
    if isinstance(value, Msg):
        return translate(value.key, lang, **value.params)
    if isinstance(value, list | tuple):
        return _catalogue(lang)["list_separator"].join(str(_resolve(item, lang)) for item in value)
    return value
