"""The public API is exactly what `__all__` says, and every message exists in every language."""

import re
import types
from pathlib import Path

import bcmlib
from bcmlib.i18n import LANGUAGES, _catalogue
from bcmlib.loading.loader import _EXPECTED_KIND, _OWN_TYPES
from bcmlib.validation.findings import RULES


def test_all_is_what_is_public() -> None:
    public = {
        name
        for name, value in vars(bcmlib).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(bcmlib.__all__) == public | {"__version__"}
    assert bcmlib.__all__ == sorted(bcmlib.__all__)


def test_public_functions_are_documented() -> None:
    for name in bcmlib.__all__:
        value = getattr(bcmlib, name)
        if callable(value):
            assert value.__doc__, name


def test_languages_have_the_same_messages_and_placeholders() -> None:
    catalogues = {lang: _catalogue(lang) for lang in LANGUAGES}
    keys = {lang: set(catalogue) for lang, catalogue in catalogues.items()}
    assert keys["zh"] == keys["en"]
    for key in keys["zh"]:
        fields = {lang: set(re.findall(r"{(\w+)}", catalogues[lang][key])) for lang in LANGUAGES}
        assert fields["zh"] == fields["en"], key


def test_every_own_error_type_has_a_reason() -> None:
    for kind in [*_OWN_TYPES, *(f"kind.{k}" for k in set(_EXPECTED_KIND.values()))]:
        for lang in LANGUAGES:
            assert any(key.endswith(f".{kind}") for key in _catalogue(lang)), (kind, lang)


def test_every_rule_has_a_message() -> None:
    for code in [*RULES, "WAI001", "WAI002"]:
        for lang in LANGUAGES:
            assert f"rules.{code}" in _catalogue(lang)


def test_readme_lists_every_rule_as_the_code_describes_it() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z]{3}\d{3})` \| (\w+) \| (.+) \|$", readme, flags=re.MULTILINE)
    assert {code for code, _, _ in rows} == {*RULES, "WAI001", "WAI002"}
    for code, severity, summary in rows:
        if code in RULES:
            assert (severity, summary) == (RULES[code].severity.value, RULES[code].summary), code
