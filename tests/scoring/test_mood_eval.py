"""Is the customer's mood right on real short texts? tests/data/mood_<lang>.yaml holds short
customer texts (tweets, reviews, Facebook comments) labelled positive or negative; the sign of
`customer_mood(...).score` must match the label in at least 85% of them, and also in the
held-out half that the rules were not tuned on (docs/scoring.md, "Customer mood")."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import yaml

from scoring.sentiment import customer_mood, estimate

DATA = Path(__file__).resolve().parent.parent / "data"
REQUIRED = 0.85


def load_items(language: str) -> list[dict]:
    return yaml.safe_load((DATA / f"mood_{language}.yaml").read_text(encoding="utf-8"))["items"]


def sign_right(item: dict, language: str) -> bool:
    score = customer_mood(item["text"], language).score
    return score < 0 if item["label"] == "negative" else score > 0


@pytest.mark.parametrize("language, minimum", [("nl", 150), ("en", 50)])
def test_mood_eval_set_is_large_labelled_and_split_by_hash(language, minimum):
    items = load_items(language)
    assert len(items) >= minimum
    assert len({i["text"] for i in items}) == len(items), "no duplicates"
    assert {i["label"] for i in items} == {"positive", "negative"}
    for item in items:
        # the split was drawn from the text's hash, not chosen by hand
        assert item["split"] == ("held_out" if zlib.crc32(item["text"].encode()) % 2 else "dev"), item["text"]


@pytest.mark.parametrize("language, split", [("nl", None), ("nl", "held_out"), ("en", None)])
def test_mood_eval_sign_is_right_in_at_least_85_percent(language, split):
    items = [i for i in load_items(language) if split is None or i["split"] == split]
    wrong = [i["text"] for i in items if not sign_right(i, language)]
    share = 1 - len(wrong) / len(items)
    assert share >= REQUIRED, f"{language} {split or 'all'}: {share:.1%} right; wrong: {wrong}"


@pytest.mark.parametrize(
    "language, text",
    [
        ("nl", "Goede service hoor, alweer een uur in de wacht 🙄"),
        ("en", "Lovely, another hour on hold 🙄"),
    ],
)
def test_mood_eval_an_irony_marker_turns_praise_around(language, text):
    assert customer_mood(text, language).score < 0


@pytest.mark.parametrize(
    "language, text",
    [("nl", "Mijn oplader doet het weer niet."), ("nl", "Niemand neemt de telefoon op."), ("en", "Nobody answers the phone.")],
)
def test_mood_eval_a_bare_negation_tells_of_a_problem(language, text):
    found = estimate(text, language)
    assert found.polarity < 0
    assert len(found.assessments) == 1


@pytest.mark.parametrize(
    "language, text",
    [("nl", "Al maanden geen storing gehad, heel fijn."), ("en", "Not a single delay this month, very happy.")],
)
def test_mood_eval_a_negated_complaint_word_is_no_complaint(language, text):
    mood = customer_mood(text, language)
    assert not mood.complaint
    assert mood.score > 0


def test_mood_eval_an_intensifier_alone_says_nothing_but_closing_praise_counts():
    assert estimate("De hele middag thuis gezeten.", "nl").polarity == 0
    assert estimate("Geholpen door Sanne, super!", "nl").polarity > 0
