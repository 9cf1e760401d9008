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
RULES_PATH = Path("org") / "languagetool" / "rules" / "nl" / "grammar_custom.xml"


@dataclass(frozen=True)
class RuleExample:
    rule: str
    text: str
    # The marked error (start, end) and its first correction; None for a correct example.
    span: tuple[int, int] | None = None
    correction: str | None = None

    @property
    def incorrect(self) -> bool:
        return self.span is not None


def rules_file(root: Path | None = None) -> Path:
    return (root or content_dir()) / "languagetool" / RULES_PATH


@lru_cache(maxsize=None)
def rule_examples(root: Path | None = None) -> tuple[RuleExample, ...]:
    tree = ElementTree.parse(rules_file(root))
    found = []
    for group in tree.iter("rulegroup"):
        rule_id = group.get("id")
        for example in group.iter("example"):
            found.append(_example(rule_id, example))
    return tuple(found)


def probe_example(root: Path | None = None) -> RuleExample:
    """An incorrect example only our rules flag: the first one of the first rule."""
    return next(example for example in rule_examples(root) if example.incorrect)


def rule_ids(root: Path | None = None) -> frozenset[str]:
    return frozenset(example.rule for example in rule_examples(root))


def _example(rule_id: str, element: ElementTree.Element) -> RuleExample:
    before = element.text or ""
    marker = element.find("marker")
    if marker is None:
        return RuleExample(rule_id, "".join(element.itertext()))
    wrong = "".join(marker.itertext())
    text = before + wrong + (marker.tail or "")
    correction = (element.get("correction") or "").split("|")[0] or None
    return RuleExample(rule_id, text, (len(before), len(before) + len(wrong)), correction)
