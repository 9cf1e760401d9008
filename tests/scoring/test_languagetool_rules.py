"""Every example of our own LanguageTool rules (content/languagetool/), against the real server."""

from __future__ import annotations

import pytest

from scoring.languagetool_rules import RULE_PREFIX, rule_examples, rule_ids

EXAMPLES = rule_examples()


def test_languagetool_rules_every_rule_has_incorrect_and_correct_examples():
    for rule in rule_ids():
        assert rule.startswith(RULE_PREFIX), rule
        kinds = {example.incorrect for example in EXAMPLES if example.rule == rule}
        assert kinds == {True, False}, f"{rule} needs both incorrect and correct examples"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.rule}:{e.text[:40]}")
def test_languagetool_rules_example(example, grammar_checker):
    check = grammar_checker.check(example.text, example.language)
    assert check.checked, check.reason
    ours = [m for m in check.matches if m.rule == example.rule]
    if not example.incorrect:
        assert not ours, f"{example.rule} flags a correct sentence: {[(m.offset, m.length) for m in ours]}"
        return
    spans = [(m.offset, m.offset + m.length) for m in ours]
    assert example.span in spans, f"{example.rule} should flag {example.text[slice(*example.span)]!r}, got {spans}"
    (match,) = [m for m in ours if (m.offset, m.offset + m.length) == example.span]
    assert match.replacements and match.replacements[0] == example.correction, match.replacements
