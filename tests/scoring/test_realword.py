"""Dutch real-word errors (tests/data/realword_nl.yaml) against the real server: what our own
rules add to LanguageTool, and what the scorecard says when a server lacks them."""

from __future__ import annotations

import pytest

from bench.realword import checkers, measure, model_answers
from scoring import ReplyContext, score_reply
from scoring import languagetool_rules
from scoring.content_names import content_names
from scoring.languagetool import GrammarChecker, LanguageToolSettings


@pytest.fixture(scope="module")
def figures(grammar_checker):
    return {name: measure(checker) for name, checker in checkers().items()}


def test_realword_set_is_large_enough():
    from bench.realword import clean_replies, error_replies

    assert len(error_replies()) >= 80 and len(clean_replies()) >= 150


def test_realword_our_rules_catch_nine_in_ten_with_few_false_alarms(figures):
    ours = figures["LanguageTool 6.8 + our rules"]
    assert ours.recall >= 0.90, [r.text for r in ours.missed]
    assert ours.false_alarm_rate <= 0.03, [(r.text, flagged) for r, flagged in ours.alarms]


def test_realword_our_rules_beat_languagetool_alone(figures):
    alone, ours = figures["LanguageTool 6.8 alone"], figures["LanguageTool 6.8 + our rules"]
    assert ours.caught > alone.caught + 0.3 * alone.errors


@pytest.mark.parametrize("feedback_language, words", [("nl", "staan uit"), ("en", "are off")])
def test_realword_server_without_our_rules_says_which_checks_are_off(feedback_language, words, monkeypatch,
                                                                       grammar_checker):
    # A probe nothing flags stands for a server started without content/languagetool.
    correct = next(e for e in languagetool_rules.rule_examples() if not e.incorrect)
    monkeypatch.setattr(languagetool_rules, "probe_example", lambda root=None: correct)
    checker = GrammarChecker(LanguageToolSettings())
    card = score_reply("Hoi Sanne, ik bel je morgen terug.", ReplyContext(language="nl", medium="whatsapp",
                       feedback_language=feedback_language), checker=checker)
    spelling = card.dimensions["spelling"]
    (notice,) = [f for f in spelling.findings if f.rule == "spelling.webcare_checks_off"]
    assert words in notice.message and "d/t" in notice.message and notice.points == 0
    assert spelling.note == notice.message


def test_realword_server_with_our_rules_gives_no_notice(grammar_checker):
    card = score_reply("Hoi Sanne, ik bel je morgen terug.", ReplyContext(language="nl", medium="whatsapp"),
                       checker=grammar_checker)
    assert not [f for f in card.dimensions["spelling"].findings if f.rule == "spelling.webcare_checks_off"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_realword_model_answers_get_no_spelling_finding_for_names(language, grammar_checker):
    """Brands, desks and carriers in a scenario's own model answer are never typos, in a
    scenario and in quick score (no scenario context)."""
    for text, context in model_answers(language):
        in_scenario = _typos(text, context, grammar_checker)
        assert not in_scenario, f"{in_scenario} flagged in: {text}"
        quick = [word for word in _typos(text, ReplyContext(language=language, medium=context.medium), grammar_checker)
                 if word.lower() in content_names() or word in context.brand_terms or "-" in word]
        assert not quick, f"{quick} flagged in quick score: {text}"


def _typos(text: str, context: ReplyContext, checker: GrammarChecker) -> list[str]:
    card = score_reply(text, context, checker=checker)
    return [text[slice(*f.span)] for f in card.dimensions["spelling"].findings if f.rule in TYPO_RULES]


TYPO_RULES = {"spelling.typo", "spelling.unknown_word"}
