"""Our own LanguageTool rules (content/languagetool/): their ids and examples, read from the XML.

The examples are the rules' specification: tests run every one against the real server, and
the checker probes a server with one of them to know whether our rules are loaded there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.contentfile import content_dir

RULE_PREFIX = "WEBCARE_"
LANGUAGES = ("nl", "en")


def rules_path(language: str) -> Path:
    return Path("org") / "languagetool" / "rules" / language / "grammar_custom.xml"


@dataclass(frozen=True)
class RuleExample:
    rule: str
    text: str
    language: str = "nl"
    # The marked error (start, end) and its first correction; None for a correct example.
    span: tuple[int, int] | None = None
    correction: str | None = None

    @property
    def incorrect(self) -> bool:
        return self.span is not None


def rules_file(root: Path | None = None, language: str = "nl") -> Path:
    return (root or content_dir()) / "languagetool" / rules_path(language)


@lru_cache(maxsize=None)
def rule_examples(root: Path | None = None) -> tuple[RuleExample, ...]:
    """Every example of every language's rules, Dutch first."""
    found = []
    for language in LANGUAGES:
        path = rules_file(root, language)
        if not path.exists():
            continue
        for group in ElementTree.parse(path).iter("rulegroup"):
            rule_id = group.get("id")
            for example in group.iter("example"):
                found.append(_example(rule_id, example, language))
    return tuple(found)


def probe_example(root: Path | None = None) -> RuleExample:
    """An incorrect example only our rules flag: the first one of the first Dutch rule."""
    return next(example for example in rule_examples(root) if example.incorrect and example.language == "nl")


def rule_ids(root: Path | None = None) -> frozenset[str]:
    return frozenset(example.rule for example in rule_examples(root))


def _example(rule_id: str, element: ElementTree.Element, language: str) -> RuleExample:
    before = element.text or ""
    marker = element.find("marker")
    if marker is None:
        return RuleExample(rule_id, "".join(element.itertext()), language)
    wrong = "".join(marker.itertext())
    text = before + wrong + (marker.tail or "")
    correction = (element.get("correction") or "").split("|")[0] or None
    return RuleExample(rule_id, text, language, (len(before), len(before) + len(wrong)), correction)
