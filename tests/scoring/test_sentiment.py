from __future__ import annotations

import pytest

from scoring.sentiment import customer_mood, estimate, load_lexicon, sentiment


@pytest.mark.parametrize("language, minimum", [("nl", 3000), ("en", 1500)])
def test_sentiment_lexicon_is_the_installed_pattern_lexicon(language, minimum):
    lexicon = load_lexicon(language)
    assert len(lexicon.words) > minimum, "distinct word forms, senses averaged"
    assert lexicon.source == f"{language}-sentiment.xml"
    assert load_lexicon(language) is lexicon, "loaded once per language"


@pytest.mark.parametrize(
    "language, text",
    [
        ("nl", "Mijn vlucht is geannuleerd en niemand helpt. Schandalig!"),
        ("nl", "Jullie service is waardeloos en belachelijk slecht."),
        ("nl", "Ik ben echt boos, wat een slechte klantenservice :("),
        ("nl", "Al twee dagen een storing. Ik ben het zat."),
        ("en", "My flight was cancelled and nobody helps. Disgraceful!"),
        ("en", "Your service is useless and really terrible."),
        ("en", "I'm so frustrated, the app is broken again :("),
    ],
)
def test_sentiment_clearly_negative_customer_messages_are_below_zero(language, text):
    assert sentiment(text, language) < -0.2


@pytest.mark.parametrize(
    "language, text",
    [
        ("nl", "Super bedankt, top geregeld!"),
        ("nl", "Wat een fijne en snelle hulp, heel tevreden."),
        ("en", "Thank you so much, great help!"),
        ("en", "Lovely staff, very helpful :)"),
    ],
)
def test_sentiment_clearly_positive_messages_are_above_zero(language, text):
    assert sentiment(text, language) > 0.2


@pytest.mark.parametrize(
    "language, plain, negated",
    [
        ("nl", "Dit is goed.", "Dit is niet goed."),
        ("nl", "Het is slecht.", "Het is niet slecht."),
        ("nl", "Een fijne ervaring.", "Geen fijne ervaring."),
        ("en", "This is good.", "This is not good."),
        ("en", "That was bad.", "That wasn't bad."),
    ],
)
def test_sentiment_negation_flips_the_polarity(language, plain, negated):
    before, after = sentiment(plain, language), sentiment(negated, language)
    assert before != 0 and after != 0
    assert (before > 0) != (after > 0)
    assert abs(after) < abs(before), "'not good' is milder than 'bad'"


def test_sentiment_negation_does_not_reach_across_punctuation():
    assert sentiment("Niet gebeld, wel goed geholpen.", "nl") > 0


@pytest.mark.parametrize("language, plain, strong", [("nl", "Dat is goed.", "Dat is heel goed."), ("en", "That is good.", "That is really good.")])
def test_sentiment_intensifiers_strengthen_the_next_word(language, plain, strong):
    assert sentiment(strong, language) > sentiment(plain, language) > 0
    assert [" ".join(a.words) for a in estimate(strong, language).assessments] == [strong.split()[2] + " " + strong.split()[3].rstrip(".")]


def test_sentiment_exclamation_strengthens_the_sentence():
    assert sentiment("Dit is slecht!!", "nl") < sentiment("Dit is slecht.", "nl") < 0


def test_sentiment_dutch_attributive_forms_are_found():
    words = estimate("Een vervelende, slechte en boze klant.", "nl").words
    assert words == ["vervelende", "slechte", "boze"]


def test_sentiment_webcare_supplement_adds_complaint_words_the_lexicon_lacks():
    assert "geannuleerd" not in _raw_forms("nl"), "premise: the lexicon itself lacks it"
    found = estimate("Mijn vlucht is geannuleerd.", "nl")
    assert found.polarity < 0 and found.words == ["geannuleerd"]


def test_sentiment_reads_empathy_as_negative_which_is_why_it_is_not_the_tone_score():
    assert sentiment("Wat vervelend dat je vlucht is geannuleerd! Ik zoek het direct voor je uit.", "nl") < 0


def test_sentiment_without_known_words_is_zero():
    assert sentiment("Ik wil mijn adres wijzigen.", "nl") == 0.0


@pytest.mark.parametrize(
    "language, text, label, complaint",
    [
        ("nl", "Ik heb al 3 keer gebeld over mijn pakket.", "negative", True),
        ("nl", "Mijn vlucht is geannuleerd en niemand helpt me!", "negative", True),
        ("nl", "Kan ik mijn vlucht omboeken naar dinsdag?", "neutral", False),
        ("nl", "Super bedankt, top geregeld!", "positive", False),
        ("en", "My parcel still hasn't arrived.", "negative", True),
        ("en", "Can I move my flight to Tuesday?", "neutral", False),
        ("en", "Thanks, great service!", "positive", False),
    ],
)
def test_sentiment_customer_mood_combines_lexicon_and_complaint_cues(language, text, label, complaint):
    mood = customer_mood(text, language)
    assert mood.label == label
    assert mood.complaint is complaint
    assert -1 <= mood.score <= 1
    if complaint:
        assert mood.score <= -0.3


def _raw_forms(language):
    import xml.etree.ElementTree as ElementTree

    from scoring.sentiment import lexicon_path

    return {w.get("form").lower() for w in ElementTree.parse(lexicon_path(language)).getroot().iter("word")}
