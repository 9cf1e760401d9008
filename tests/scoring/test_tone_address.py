"""The form of address follows the medium and the customer's own form, and so does every
example the advice quotes: a customer who writes "u" is never told to say "Hoi Sanne"."""

from __future__ import annotations

import string

import pytest

from scoring import ReplyContext, score_reply
from scoring.config import messages
from scoring.cues import tone_cues
from scoring.nlp import load_nlp

U_CUSTOMER = "Geachte heer, mevrouw, kunt u mij vertellen wanneer mijn nieuwe pas wordt verstuurd? Ik wacht al twee weken."
JE_CUSTOMER = "Hee, weet jij wanneer mijn nieuwe pas komt? Ik wacht al twee weken."


def _tone(reply, checker, **context):
    return score_reply(reply, ReplyContext(**context), checker=checker).dimensions["tone"]


def _rules(tone):
    return {f.rule: f for f in tone.findings}


@pytest.mark.parametrize(
    "reply",
    [
        "Goedemiddag Femke, excuses voor het wachten! Ik zoek uw pas voor u op. Laat u het mij weten? ^Tim",
        # the medium's own form stays right: the scenarios' model answers use it too
        "Hoi Femke, sorry voor het wachten! Ik zoek je pas voor je op. Laat je het me weten? ^Tim",
    ],
)
def test_tone_address_a_u_customer_on_x_may_be_answered_with_u_or_the_mediums_je(reply, offline_checker):
    rules = _rules(_tone(reply, offline_checker, medium="twitter", customer_messages=[U_CUSTOMER], customer_name="Femke Bos"))
    assert not {"tone.address_mismatch", "tone.address_mixed"} & set(rules)


def test_tone_address_u_to_a_je_customer_on_x_is_a_mismatch(offline_checker):
    reply = "Goedemiddag Femke, excuses voor het wachten! Ik zoek uw pas voor u op. Laat u het mij weten? ^Tim"
    rules = _rules(_tone(reply, offline_checker, medium="twitter", customer_messages=[JE_CUSTOMER], customer_name="Femke Bos"))
    assert reply[slice(*rules["tone.address_mismatch"].span)] == "uw"


def test_tone_address_je_to_a_u_customer_in_an_e_mail_is_a_major_finding_not_house_style(offline_checker):
    reply = ("Beste Femke,\n\nExcuses voor het wachten. Ik heb je pas opnieuw aangevraagd; hij is vrijdag bij je."
             "\n\nMet vriendelijke groet,\nTim")
    rules = _rules(_tone(reply, offline_checker, medium="email", customer_messages=[U_CUSTOMER], customer_name="Femke Bos"))
    finding = rules["tone.address_ignores_customer"]
    assert finding.severity.value == "major"
    assert "tone.address_mismatch" not in rules  # one finding for one problem
    assert reply[slice(*finding.span)] == "je"


def test_tone_address_je_to_a_u_customer_on_x_stays_the_mediums_choice(offline_checker):
    reply = "Hoi Femke, sorry voor het wachten! Ik zoek je pas voor je op. Laat je het me weten? ^Tim"
    rules = _rules(_tone(reply, offline_checker, medium="twitter", customer_messages=[U_CUSTOMER], customer_name="Femke Bos"))
    assert "tone.address_ignores_customer" not in rules


@pytest.mark.parametrize("medium", ["twitter", "email"])
def test_tone_address_a_je_customer_may_be_answered_with_je_on_any_medium(medium, offline_checker):
    reply = "Hoi Femke, sorry voor het wachten! Ik zoek je pas voor je op. Laat je het me weten? ^Tim"
    rules = _rules(_tone(reply, offline_checker, medium=medium, customer_messages=[JE_CUSTOMER], customer_name="Femke Bos"))
    assert "tone.address_mismatch" not in rules


def test_tone_address_without_the_customers_form_the_medium_decides(offline_checker):
    reply = "Beste Femke,\n\nIk heb je pas opnieuw aangevraagd. Laat je het me weten?\n\nMet vriendelijke groet,\nTim"
    rules = _rules(_tone(reply, offline_checker, medium="email", customer_messages=["Waar blijft mijn pas?"]))
    assert rules["tone.address_mismatch"].span == (reply.index(" je ") + 1, reply.index(" je ") + 3)


@pytest.mark.parametrize(
    "medium, customer, reply, expected, not_expected",
    [
        # A formal u-mail without a greeting: the advice greets formally, with the full name.
        ("email", U_CUSTOMER, "Uw nieuwe pas is vandaag verstuurd.\n\nMet vriendelijke groet,\nTim",
         "'Beste Femke Bos,'", "Hoi"),
        # The same on X, from a customer who writes u.
        ("twitter", U_CUSTOMER, "Uw nieuwe pas is vandaag verstuurd. ^Tim", "'Beste Femke Bos,'", "Hoi"),
        # X and a customer who writes je: casual.
        ("twitter", JE_CUSTOMER, "Je nieuwe pas is vandaag verstuurd. ^Tim", "'Hoi Femke,'", "Beste"),
        # E-mail, a je-customer answered with je: polite, not casual.
        ("email", JE_CUSTOMER, "Je nieuwe pas is vandaag verstuurd.\n\nMet vriendelijke groet,\nTim", "'Beste Femke,'", "Hoi"),
    ],
)
def test_tone_address_the_greeting_advice_follows_the_register(medium, customer, reply, expected, not_expected, offline_checker):
    rules = _rules(_tone(reply, offline_checker, medium=medium, customer_messages=[customer], customer_name="Femke Bos"))
    suggestion = rules["tone.no_greeting"].suggestion
    assert expected in suggestion and not_expected not in suggestion


def test_tone_address_a_u_customer_is_advised_in_u(offline_checker):
    reply = "Goedemiddag Femke Bos, uw pas komt eraan. Er wordt naar gekeken. ^Tim"
    rules = _rules(_tone(reply, offline_checker, medium="twitter", customer_messages=[U_CUSTOMER], customer_name="Femke Bos"))
    for rule in ("tone.no_apology", "tone.no_personal_voice"):
        words = {w.strip(".,'?!").lower() for w in rules[rule].suggestion.split()}
        assert not words & {"je", "jij", "jou", "jouw"}, rules[rule].suggestion


def test_tone_address_english_advice_follows_the_medium(offline_checker):
    reply = "Your new card was sent today.\n\nKind regards,\nTim"
    card = score_reply(reply, ReplyContext(language="en", medium="email", customer_name="Femke Bos",
                                           customer_messages=["Where is my new card? I've been waiting two weeks."]),
                       checker=offline_checker)
    assert "'Dear Femke Bos,'" in _rules(card.dimensions["tone"])["tone.no_greeting"].suggestion


@pytest.mark.parametrize("language", ["nl", "en"])
def test_tone_address_every_example_a_message_quotes_exists_in_every_register(language):
    advice = tone_cues(language).advice
    for feedback in ("nl", "en"):
        for rule, text in messages(feedback).rules.items():
            used = {name for part in (text.message, text.suggestion or "") for _, name, _, _ in string.Formatter().parse(part) if name}
            if rule.startswith("tone.") and "example" in used and rule != "tone.taken_back":
                for register in ("casual", "polite", "formal"):
                    assert rule in advice.examples(register), f"{language} advice.{register} lacks {rule}"


def test_tone_address_dutch_examples_use_only_their_registers_form():
    cues = tone_cues("nl")
    nlp = load_nlp("nl")
    u_forms, je_forms = set(cues.address.u), set(cues.address.je)
    for register, wrong in (("casual", u_forms), ("polite", u_forms), ("formal", je_forms)):
        for rule, example in cues.advice.examples(register).items():
            words = {t.lower_ for t in nlp(example.format(name="Femke"))}
            assert not words & wrong, f"advice.{register}.{rule}: {example!r}"
