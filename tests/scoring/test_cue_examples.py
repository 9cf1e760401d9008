"""Every cue group carries its own examples (STYLE.md practice 6, like LanguageTool's
grammar.xml): `should_flag` texts must match the group's cues, `should_pass` texts must not.
For a reward group "flag" means the reward is present. One parametrised test runs them all."""

from __future__ import annotations

import pytest

from scoring.cues import tone_cues, tone_matchers
from scoring.nlp import load_nlp

LANGUAGES = ("nl", "en")


def _examples():
    for language in LANGUAGES:
        cues = tone_cues(language)
        sets = [(group.id, group) for group in cues.groups] + [("complaint", cues.complaint), ("gratitude", cues.gratitude)]
        for key, cue_set in sets:
            for expected, texts in (("flag", cue_set.examples.should_flag), ("pass", cue_set.examples.should_pass)):
                for number, text in enumerate(texts, 1):
                    yield pytest.param(language, key, expected, text, id=f"{language}-{key}-{expected}-{number}")


@pytest.mark.parametrize("language, key, expected, text", list(_examples()))
def test_cue_examples_match_as_documented(language, key, expected, text):
    matchers = tone_matchers(language)
    matcher = {"complaint": matchers.complaint, "gratitude": matchers.gratitude}.get(key, matchers.groups)
    found = matcher.find(load_nlp(language)(text)).get(key, [])
    if expected == "flag":
        assert found, f"{key} should find a cue in: {text!r}"
    else:
        assert not found, f"{key} should find nothing in {text!r} but found {[s.text for s in found]}"


# --- the rubric (content/rubric/<lang>.yaml): "flag" means the move is made ---------------------

def _rubric_examples():
    from scoring.rubric import rubric

    for language in LANGUAGES:
        moves = rubric(language)
        cue_sets = [(name, getattr(moves, name).examples) for name in ("acknowledge", "answer", "next_step", "deflect")]
        cue_sets += [(f"sign_off.{style}", cues.examples) for style, cues in moves.sign_off.styles.items()]
        for key, examples in cue_sets:
            for expected, texts in (("flag", examples.should_flag), ("pass", examples.should_pass)):
                for number, text in enumerate(texts, 1):
                    yield pytest.param(language, key, expected, text, id=f"{language}-rubric.{key}-{expected}-{number}")


@pytest.mark.parametrize("language, key, expected, text", list(_rubric_examples()))
def test_cue_examples_rubric_moves_match_as_documented(language, key, expected, text):
    from scoring.rubric import phrase_cues, sign_off_matcher

    doc = load_nlp(language)(text)
    if key.startswith("sign_off."):
        found = [s.text for s in sign_off_matcher(language).find(doc).get(key.split(".", 1)[1], [])]
    else:
        found = [hit.phrase for hit in phrase_cues(language).find(doc) if hit.group == key]
    if expected == "flag":
        assert found, f"rubric {key} should find a cue in: {text!r}"
    else:
        assert not found, f"rubric {key} should find nothing in {text!r} but found {found}"
