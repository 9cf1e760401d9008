"""Spelling against the real LanguageTool server."""

import pytest

from scoring import ReplyContext, score_reply


@pytest.mark.parametrize(
    "reply, wrong, right",
    [
        ("Ik word morgen gebelt.", "gebelt", "gebeld"),
        ("Je wordt morgen door ons gebelt.", "gebelt", "gebeld"),
        ("Hij vind het niet leuk.", "Hij vind", "Hij vindt"),
    ],
)
def test_spelling_catches_dutch_dt_errors_with_a_suggestion(reply, wrong, right, grammar_checker):
    card = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"), checker=grammar_checker)
    findings = card.dimensions["spelling"].findings
    assert findings, "LanguageTool should have flagged the d/t error"
    (finding,) = [f for f in findings if wrong in reply[f.span[0]: f.span[1]]]
    assert finding.suggestion == f"'{wrong}' moet '{right}' zijn."
    assert card.dimensions["spelling"].score < 100


def test_spelling_english_typo_is_found(grammar_checker):
    card = score_reply("Sorry, I will definately call you tomorow.", ReplyContext(language="en", medium="whatsapp"),
                       checker=grammar_checker)
    flagged = {card_f.span for card_f in card.dimensions["spelling"].findings}
    assert len(flagged) >= 2


def test_spelling_clean_reply_scores_full_marks(grammar_checker):
    card = score_reply("Hoi Sanne, ik bel je morgen om tien uur terug.", ReplyContext(language="nl", medium="whatsapp"),
                       checker=grammar_checker)
    assert card.dimensions["spelling"].checked
    assert card.dimensions["spelling"].score == 100


def test_spelling_names_brands_and_signatures_are_not_flagged(grammar_checker):
    reply = "Hoi Sjoerdtje, SkyNL zoekt het voor je uit. ^Femkeline"
    context = ReplyContext(language="nl", medium="twitter", customer_name="Sjoerdtje Brouwersma", agent_name="Femkeline")
    card = score_reply(reply, context, checker=grammar_checker)
    flagged = [reply[f.span[0]: f.span[1]] for f in card.dimensions["spelling"].findings]
    assert not any(w in ("Sjoerdtje", "SkyNL", "^Femkeline", "Femkeline") for w in flagged), flagged


def test_spelling_more_errors_per_100_words_cost_more(grammar_checker):
    one = score_reply("Hoi, je wordt morgen gebelt door een collega van de klantenservice over je vlucht naar Rome.",
                      ReplyContext(medium="whatsapp"), checker=grammar_checker)
    two = score_reply("Hoi, je wordt morgen gebelt. Hij vind het jammer.", ReplyContext(medium="whatsapp"),
                      checker=grammar_checker)
    assert two.dimensions["spelling"].score < one.dimensions["spelling"].score
