"""The public API is exactly what `__all__` says, and every message exists in every language."""

import re
import types
from pathlib import Path

import pytest

import bcmlib
import bcmlib.incident
from bcmlib.i18n import LANGUAGES, _catalogue
from bcmlib.loading.loader import _EXPECTED_KIND, _OWN_TYPES
from bcmlib.validation.findings import RULES
from bcmlib.validation.validator import WAIVER_CODES


@pytest.mark.parametrize("package", [bcmlib, bcmlib.incident])
def test_all_is_what_is_public(package: types.ModuleType) -> None:
    # dir(), not vars(): bcmlib loads its exports on first use, so they are not all in vars() yet.
    public = {
        name
        for name in dir(package)
        if not name.startswith("_") and not isinstance(getattr(package, name), types.ModuleType)
    }
    assert set(package.__all__) == public | ({"__version__"} if package is bcmlib else set())
    assert package.__all__ == sorted(package.__all__, key=lambda name: (not name.isupper(), name))


@pytest.mark.parametrize("package", [bcmlib, bcmlib.incident])
def test_public_functions_are_documented(package: types.ModuleType) -> None:
    for name in package.__all__:
        value = getattr(package, name)
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
    for code in [*RULES, *WAIVER_CODES]:
        for lang in LANGUAGES:
            assert f"rules.{code}" in _catalogue(lang)


def test_readme_lists_every_rule_as_the_code_describes_it() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z]{3}\d{3})` \| (\w+) \| (.+) \|$", readme, flags=re.MULTILINE)
    assert {code for code, _, _ in rows} == {*RULES, *WAIVER_CODES}
    for code, severity, summary in rows:
        if code in RULES:
            assert (severity, summary) == (RULES[code].severity.value, RULES[code].summary), code
