"""Every language says every message, with the same fields: `translate` raises on a key a language lacks,
so a message added in one catalogue only would stop a command run in the other."""

from __future__ import annotations

import re

from bcmlib.i18n import LANGUAGES, _catalogue, translate

FIELD = re.compile(r"(?<!\{)\{(\w+)[^{}]*\}(?!\})")
"""A field filled in by `translate` (`{due}`); a doubled brace is a template's own, left for later."""


def test_every_language_has_every_message_with_the_same_fields() -> None:
    default, *others = (_catalogue(lang) for lang in LANGUAGES)
    for other in others:
        assert sorted(set(default) ^ set(other)) == []
        differ = [
            key for key in default if set(FIELD.findall(default[key])) != set(FIELD.findall(other[key]))
        ]
        assert differ == []


def test_the_check_finds_a_field_one_language_leaves_out() -> None:
    # What the test above compares, on a message it would have to catch.
    zh, en = "{audience}：{stage}须于 {due} 前发出", "{audience}: {stage} due"
    assert set(FIELD.findall(zh)) - set(FIELD.findall(en)) == {"due"}
    assert FIELD.findall("{{company}} {level}") == ["level"]
    assert translate("review.message_missed", "en", audience="A", stage="S", due="D").endswith("by D.")
