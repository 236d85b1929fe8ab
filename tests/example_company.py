"""The example company's names and numbers, to prove no other company's handbook or tool output shows them.

Most come from its plan (plan/*.yaml, read as plain YAML so the list does not depend on the model):
people's names and identifiers, organisations, contact values, the procedure's and forms' numbers, the
numbers of the documents it cites. The rest are words of its seeds that its plan holds only inside
longer text (a product in a note, a password manager in a response), written out here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

_GENERIC_PEOPLE = frozenset({"external-tech-consultant", "outsourced-accountant"})
"""People of the example plan known by their job (外聘技术顾问, 外包会计): every company has them."""

_BY_HAND = (
    "Empryon",
    "Lithera",
    "1Password",
    "twcio",
    "Droplet",
    "蔡坤旺",
    # Its copy of the ISO 22301 procedure set carries this number; an adopter numbers its own.
    "BCM8.4-01",
    # Its commander's title and its levels' reporting deadline, once hard-coded on the home page.
    "BCM 总指挥",
    "2 小时",
)

_NUMBER = re.compile(r"\b[A-Z][A-Z0-9]*-\d+(?:-\d+)*\b")
"""A document or form number as the example company writes them: SOP-19, SOP-04, QEF-19-05."""


@dataclass(frozen=True)
class Hit:
    """Where one of the example company's words turned up."""

    source: str
    word: str
    context: str


def _plan_sections() -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for path in sorted((ROOT / "plan").glob("*.yaml")):
        sections.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return sections


def example_company_words() -> list[str]:
    """Every name and number of the example company that no other company's output may show."""
    plan = _plan_sections()
    words: set[str] = set(_BY_HAND)
    for person in plan["people"]:
        if person["id"] in _GENERIC_PEOPLE:
            continue
        words |= {person["id"], person["name"], *filter(None, [person.get("organisation")])}
        for contact in person.get("contacts", []):
            words.add(contact["value"])
            if contact["channel"] == "email":
                words.add(contact["value"].split("@")[1].split(".")[0])
    words.add(plan["document"]["number"])
    for form in plan["forms"]:
        words |= {form["id"], form["number"]}
    for document in plan["documents"]:
        words |= set(_NUMBER.findall(document["title"]))
    # A Latin word is searched for in any case: KC and kc are one word.
    return sorted({word.casefold() if word.isascii() else word for word in words})


def _pattern(word: str) -> re.Pattern[str]:
    if word.isascii():
        # A Latin word or number stands alone (KC, not the kc in backup; SOP-19, not SOP-190), in any case.
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)
    if word[0].isdigit():
        return re.compile(rf"(?<!\d){re.escape(word)}")
    return re.compile(re.escape(word))


PATTERNS = {word: _pattern(word) for word in example_company_words()}
"""Each word and how it is searched for."""


def find_example_company(source: str, text: str) -> list[Hit]:
    """Every place `text` (the contents of `source`) shows one of the example company's words."""
    hits = []
    for word, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            context = text[max(match.start() - 40, 0) : match.end() + 40].replace("\n", " ")
            hits.append(Hit(source, word, context))
    return hits
