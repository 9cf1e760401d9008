"""Negation and contrast scope: an apology under a negation, or taken back by "maar"/"but",
does not count, and the finding says why."""

from __future__ import annotations

import pytest

from scoring import ReplyContext, score_reply
from scoring.cues import tone_matchers
from scoring.nlp import load_nlp

COMPLAINT = {"nl": ["Mijn pakket is al een week zoek en niemand reageert."],
             "en": ["My parcel has been missing for a week and nobody replies."]}


def _tone(reply, checker, language="nl", **context):
    card = score_reply(reply, ReplyContext(language=language, customer_messages=COMPLAINT[language], **context), checker=checker)
    return card.dimensions["tone"]


@pytest.mark.parametrize(
    "language, reply, cue",
    [
        ("nl", "Hoi, daar bieden wij geen excuses voor aan, de bezorger heeft gewoon aangebeld. Laat het weten? ^Tim", "bieden wij geen excuses"),
        ("nl", "Hoi, sorry hoor, maar de bezorger heeft gewoon aangebeld. Laat het weten? ^Tim", "sorry"),
        ("nl", "Hoi, geen enkel excuus van ons: de bezorger heeft aangebeld. Laat het weten? ^Tim", "excuus"),
        ("en", "Hi, we're not sorry at all, the driver rang the bell. Let me know? ^Tim", "sorry"),
        ("en", "Hi, sorry, but the driver rang the bell. Let me know? ^Tim", "sorry"),
    ],
)
def test_tone_scope_a_negated_or_retracted_apology_is_named_not_counted(language, reply, cue, offline_checker):
    tone = _tone(reply, offline_checker, language)
    rules = [f.rule for f in tone.findings]
    assert "tone.no_apology" not in rules
    (taken,) = [f for f in tone.findings if f.rule == "tone.taken_back"]
    assert reply[slice(*taken.span)].lower() == cue
    assert f"'{reply[slice(*taken.span)]}'" in taken.message
    assert taken.points > 0


@pytest.mark.parametrize(
    "language, reply",
    [
        ("nl", "Hoi, sorry dat je niet bent gebeld! Ik zoek je pakket nu op. Laat het weten? ^Tim"),
        ("nl", "Hoi, sorry voor het wachten, maar ik heb je pakket gevonden: het komt morgen. Laat het weten? ^Tim"),
        ("en", "Hi, sorry we didn't call you! I'm tracking your parcel now. Let me know? ^Tim"),
        ("en", "Hi, sorry for the wait, but I've found your parcel: it arrives tomorrow. Let me know? ^Tim"),
    ],
)
def test_tone_scope_a_negation_in_another_clause_or_a_helpful_but_keeps_the_apology(language, reply, offline_checker):
    tone = _tone(reply, offline_checker, language)
    rules = {f.rule for f in tone.findings}
    assert not {"tone.no_apology", "tone.taken_back", "tone.no_empathy"} & rules


@pytest.mark.parametrize(
    "language, text, key, counts",
    [
        ("nl", "Excuses, maar u had de bon moeten bewaren.", "tone.no_apology", False),
        ("nl", "Excuses voor de vertraging, maar u had de bon moeten bewaren.", "tone.no_apology", False),
        ("nl", "Excuses voor de vertraging. Maar conform het beleid vergoeden we niets.", "tone.no_apology", False),
        ("nl", "Excuses voor de vertraging. Maar ik heb nu een oplossing.", "tone.no_apology", True),
        ("nl", "Ik begrijp niet goed wat je bedoelt.", "tone.no_empathy", False),
        ("nl", "Ik begrijp dat je niet blij bent.", "tone.no_empathy", True),
        ("en", "Apologies, however according to our terms we cannot refund.", "tone.no_apology", False),
        ("en", "I'm really not sorry about it.", "tone.no_apology", False),
        ("en", "I understand you're not happy.", "tone.no_empathy", True),
    ],
)
def test_tone_scope_clause_and_sentence_boundaries(language, text, key, counts):
    found = tone_matchers(language).groups.find_scoped(load_nlp(language)(text))
    assert bool(found.matches.get(key)) is counts
    assert bool(found.cancelled.get(key)) is not counts


# --- blame, defensiveness, sarcasm ---------------------------------------------------------


@pytest.mark.parametrize(
    "language, reply, rule, cue",
    [
        ("nl", "Hoi, dan had u de bevestiging zelf moeten bewaren. ^Tim", "tone.blame", "had u de bevestiging zelf moeten"),
        ("nl", "Hoi, u heeft het adres niet goed doorgegeven. ^Tim", "tone.blame", "u heeft het adres niet goed doorgegeven"),
        ("nl", "Hoi, dat het pakket zoek is, is niet onze schuld. ^Tim", "tone.defensive_policy", "niet onze schuld"),
        ("nl", "Hoi, het afleveren staat duidelijk in onze leveringsvoorwaarden. ^Tim", "tone.defensive_policy", None),
        ("nl", "Hoi, dit staat echt in de kleine lettertjes. ^Tim", "tone.defensive_policy", "staat echt in de kleine lettertjes"),
        ("nl", "Hoi, volgens onze gegevens is het pakket afgeleverd. ^Tim", "tone.system_says", "volgens onze gegevens"),
        ("nl", "Hoi, leuk dat u nu pas reageert. ^Tim", "tone.sarcasm", "leuk dat u nu pas"),
        ("nl", "Hoi, uw 'vermiste' pakket ligt bij de buren. ^Tim", "tone.sarcasm", "uw 'vermiste'"),
        ("en", "Hi, you haven't checked your spam folder. ^Tim", "tone.blame", "you haven't checked"),
        ("en", "Hi, the missing parcel is not down to us. ^Tim", "tone.defensive_policy", "not down to us"),
        ("en", "Hi, our records show it was delivered. ^Tim", "tone.system_says", "our records show"),
        ("en", "Hi, thanks for eventually replying 🙄 ^Tim", "tone.sarcasm", "thanks for eventually"),
    ],
)
def test_tone_blame_defence_and_sarcasm_cost_points(language, reply, rule, cue, offline_checker):
    tone = _tone(reply, offline_checker, language)
    found = [f for f in tone.findings if f.rule == rule]
    if not found:  # one finding per problem: told by a more severe finding on the same words
        card = score_reply(reply, ReplyContext(language=language, customer_messages=COMPLAINT[language]),
                           checker=offline_checker)
        assert [f for f in card.findings if rule in f.also and reply[slice(*f.span)] == cue], [f.rule for f in tone.findings]
        return
    if cue is not None:
        assert reply[slice(*found[0].span)] == cue
    assert found[0].points > 0


def test_tone_debt_is_not_blame_and_blame_is_not_debt(offline_checker):
    reply = "Hoi Peter, dat de monteur niet kwam is niet onze schuld, maar ik plan hem opnieuw in. ^Joost"
    card = score_reply(reply, ReplyContext(customer_messages=["De monteur is niet gekomen!"], medium="twitter"), checker=offline_checker)
    assert not card.dimensions["privacy"].findings
    assert "tone.defensive_policy" in {f.rule for f in card.dimensions["tone"].findings}


@pytest.mark.parametrize(
    "language, customer, reply, mocking",
    [
        ("nl", "Voor de derde keer de verkeerde maat geleverd, ik ben het zat.", "Hoi, gefeliciteerd! Ik stuur de juiste maat. ^Tim", True),
        ("nl", "Ik heb vandaag mijn rijbewijs gehaald en wil een auto huren!", "Hoi, gefeliciteerd! Ik stuur je de link. ^Tim", False),
        ("en", "Third time the wrong size, I'm fed up.", "Hi, well done 👏 I'll send the right size. ^Tim", True),
        ("en", "I passed my driving test today and want to rent a car!", "Hi, well done! I'll send you the link. ^Tim", False),
    ],
)
def test_tone_praise_mocks_only_an_unhappy_customer(language, customer, reply, mocking, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, customer_messages=[customer]), checker=offline_checker)
    assert ("tone.mock_praise" in {f.rule for f in card.dimensions["tone"].findings}) is mocking
