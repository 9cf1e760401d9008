"""The webcare rubric (scoring/rubric.py): a reply earns its score by making the moves a team
lead looks for, in every context: a scenario, a quick score, a drill."""

from __future__ import annotations

import re
import shutil

import pytest

from scoring import ExpectedElement, ReplyContext, Severity, score_reply
from scoring.config import messages
from scoring.contentfile import ContentInvalid, content_dir
from scoring.rubric import (NO_ACKNOWLEDGEMENT, NO_ANSWER, NO_EMPATHY_FOR_ANGER, NO_NEXT_STEP, RUBRIC_VERSION, RULES,
                            SIGN_OFF_MISMATCH, rubric)

RUBRIC_RULES = set(RULES)


def _card(reply: str, checker, *, language: str = "nl", medium: str = "twitter", customer: str | None = None, **context):
    messages_ = [customer] if customer else []
    return score_reply(reply, ReplyContext(language=language, medium=medium, customer_messages=messages_,
                                           seconds_to_reply=60, **context), checker=checker)


def _rubric_rules(card) -> list[str]:
    return sorted(f.rule for f in card.findings if f.rule in RUBRIC_RULES)


# --- a reply with nothing wrong in it, and nothing done, fails --------------------------------

_EMPTY = [
    ("nl", "Mijn wasmachine is kapot geleverd en niemand reageert op mijn mails!", "Excuses voor het ongemak! Onze excuses. ^Bram"),
    ("nl", "Al twee weken wacht ik op mijn nieuwe simkaart. Hoe lang nog?", "Hoi Ruud, zulke dingen gebeuren nu eenmaal. ^Bram"),
    ("en", "My washing machine arrived broken and nobody answers my emails!", "Apologies for the inconvenience. We apologise. ^Kim"),
    ("en", "Still no new SIM card after two weeks. This is ridiculous.", "Hi Ruth, these things just happen sometimes. ^Kim"),
]


@pytest.mark.parametrize("language, customer, reply", _EMPTY)
def test_rubric_a_reply_that_does_nothing_fails_and_says_what_is_missing(language, customer, reply, offline_checker):
    card = _card(reply, offline_checker, language=language, customer=customer)
    assert not card.passed
    assert {NO_ANSWER, NO_NEXT_STEP, NO_ACKNOWLEDGEMENT} <= set(_rubric_rules(card))
    missing = {f.rule: f for f in card.findings}
    assert missing[NO_ANSWER].dimension == "substance" and missing[NO_ANSWER].severity is Severity.major
    assert missing[NO_ACKNOWLEDGEMENT].dimension == "tone"
    assert card.dimensions["substance"].score < 50


_GOOD = [
    ("nl", "Mijn wasmachine is kapot geleverd en niemand reageert op mijn mails!",
     "Hoi Nina, wat vervelend dat je wasmachine kapot is aangekomen en dat niemand reageerde. Ik heb een nieuwe "
     "ingepland: die komt donderdag tussen 8.00 en 12.00 uur en de bezorger neemt de kapotte mee. ^Bram"),
    ("en", "My washing machine arrived broken and nobody answers my emails!",
     "Hi Nina, I'm so sorry your washing machine arrived broken and that nobody got back to you. I've booked a "
     "replacement for Thursday between 8am and 12pm; the driver will take the broken one away. ^Kim"),
]


@pytest.mark.parametrize("language, customer, reply", _GOOD)
def test_rubric_a_reply_that_makes_every_move_has_no_rubric_finding(language, customer, reply, offline_checker):
    card = _card(reply, offline_checker, language=language, customer=customer, customer_name="Nina Bakker")
    assert _rubric_rules(card) == []
    assert card.passed


# --- in proportion to the customer ----------------------------------------------------------

@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Hoe laat gaat jullie winkel in Utrecht op zondag open?",
     "Hoi Mira, onze winkel in Utrecht is op zondag open van 12.00 tot 17.00 uur. ^Tess"),
    ("en", "What time does your Leeds shop open on Sundays?",
     "Hi Mira, our Leeds shop opens at 11am on Sundays and closes at 5pm. ^Tess"),
])
def test_rubric_a_plain_question_is_settled_by_its_answer(language, customer, reply, offline_checker):
    assert _rubric_rules(_card(reply, offline_checker, language=language, customer=customer)) == []


@pytest.mark.parametrize("language, customer, cold, warm", [
    ("nl", "Waardeloos! Drie keer beloofd dat de monteur komt en weer niemand. Schandalig!",
     "Hoi Ruud, de monteur komt morgen tussen 8.00 en 12.00 uur. ^Bram",
     "Hoi Ruud, wat vervelend dat je weer voor niets thuis zat. De monteur komt morgen tussen 8.00 en 12.00 uur. ^Bram"),
    ("en", "Useless! Three times you promised an engineer and again nobody came. Disgraceful!",
     "Hi Ruth, the engineer will come tomorrow between 8am and 12pm. ^Kim",
     "Hi Ruth, I'm so sorry you waited in for nothing again. The engineer will come tomorrow between 8am and 12pm. ^Kim"),
])
def test_rubric_an_angry_customer_needs_empathy_and_missing_it_costs_more(language, customer, cold, warm, offline_checker):
    cold_card = _card(cold, offline_checker, language=language, customer=customer)
    (finding,) = [f for f in cold_card.findings if f.rule == NO_EMPATHY_FOR_ANGER]
    assert finding.dimension == "tone" and finding.severity is Severity.major
    assert NO_EMPATHY_FOR_ANGER not in _rubric_rules(_card(warm, offline_checker, language=language, customer=customer))


def test_rubric_empathy_is_not_asked_of_a_calm_question(offline_checker):
    card = _card("Hoi Mira, je kunt tot 30 dagen na levering gratis retourneren via je account. ^Tess", offline_checker,
                 customer="Hoe lang heb ik om een jas te retourneren?")
    assert {f.rule for f in card.findings} & {NO_EMPATHY_FOR_ANGER, "tone.no_empathy"} == set()


def test_rubric_taking_up_the_customers_own_words_of_distress_is_empathy(offline_checker):
    customer = "Schandalig! Het is hier 's avonds aardedonker en levensgevaarlijk sinds jullie lamp kapot is!"
    reply = "Hoi Ruud, levensgevaarlijk in het donker, dat mag niet. Ik heb het gemeld; de lamp wordt morgen gemaakt. ^Bram"
    assert NO_EMPATHY_FOR_ANGER not in _rubric_rules(_card(reply, offline_checker, customer=customer))


# --- answer and next step -------------------------------------------------------------------

def test_rubric_next_step_missing_beside_an_answer_is_minor_and_alone_major(offline_checker):
    customer = "Mijn pakket is beschadigd aangekomen, de doos was helemaal ingedeukt."
    answered = _card("Hoi Ruud, wat vervelend van je pakket. Ik heb een nieuw exemplaar aangevraagd. ^Bram", offline_checker,
                     customer=customer)
    (step,) = [f for f in answered.findings if f.rule == NO_NEXT_STEP]
    assert step.severity is Severity.minor
    empty = _card("Hoi Ruud, wat vervelend van je pakket. ^Bram", offline_checker, customer=customer)
    (step,) = [f for f in empty.findings if f.rule == NO_NEXT_STEP]
    assert step.severity is Severity.major
    assert step.points > [f for f in answered.findings if f.rule == NO_NEXT_STEP][0].points


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Mijn factuur is 60 euro hoger dan vorige maand, hoe kan dat?",
     "Hoi Ruud, zie daarvoor onze veelgestelde vragen over facturen. ^Bram"),
    ("nl", "Mijn vlucht naar Lissabon is geschrapt, wat nu?!",
     "Beste meneer Smit, neemt u daarvoor contact op met de klantenservice. Met vriendelijke groet, Bram"),
    ("en", "My invoice is 60 pounds higher than last month, why?",
     "Hi Ruth, you'll need to contact our billing team about that. ^Bram"),
])
def test_rubric_sending_the_customer_elsewhere_is_no_answer_and_fails(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="email" if "Beste" in reply else "twitter",
                                           customer_messages=[customer], seconds_to_reply=60), checker=offline_checker)
    rules = {f.rule for f in card.findings}
    assert "substance.deflects" in rules and NO_ANSWER not in rules
    assert not card.passed


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Mijn factuur is 60 euro hoger dan vorige maand, hoe kan dat?",
     "Hoi Ruud, dat komt door de nieuwe energieprijzen per 1 maart. Op onze website staat de berekening: telvia.nl/prijzen ^Bram"),
    ("en", "My invoice is 60 pounds higher than last month, why?",
     "Hi Ruth, I've asked our billing team to check it; they will call you tomorrow before noon. ^Bram"),
])
def test_rubric_a_handover_or_an_answer_with_a_pointer_is_no_deflection(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="twitter", customer_messages=[customer],
                                           seconds_to_reply=60), checker=offline_checker)
    assert {"substance.deflects", NO_ANSWER} & {f.rule for f in card.findings} == set()


def test_rubric_a_link_and_a_time_count_as_concrete(offline_checker):
    reply = "Hoi Ruud, de storing is naar verwachting om 16.00 uur opgelost. Actuele info: telvia.nl/storingen ^Bram"
    card = _card(reply, offline_checker, customer="Geen internet in Zwolle-Zuid, is er een storing?")
    assert {NO_ANSWER, NO_NEXT_STEP} & set(_rubric_rules(card)) == set()


def test_rubric_applies_on_top_of_the_scenarios_expected_elements(offline_checker):
    element = ExpectedElement(id="sorry", label="excuses", cues=["sorry"])
    card = _card("Sorry Ruud, dat is echt balen! ^Bram", offline_checker, customer="Mijn trein is weer uitgevallen!",
                 expected_elements=[element])
    assert "substance.missing_element" not in {f.rule for f in card.findings}
    assert {NO_ANSWER, NO_NEXT_STEP} <= set(_rubric_rules(card))


def test_rubric_quick_score_without_a_customer_asks_answer_and_step_not_acknowledgement(offline_checker):
    card = _card("Bedankt voor je bericht! ^Bram", offline_checker)
    assert _rubric_rules(card) == sorted([NO_ANSWER, NO_NEXT_STEP])


# --- sign-off -------------------------------------------------------------------------------

@pytest.mark.parametrize("language, medium, reply, found", [
    ("nl", "email", "Beste meneer Visser,\n\nIk heb uw abonnement per 1 juni opgezegd. U ontvangt morgen een bevestiging.\n\n^Bram",
     "^Bram"),
    ("nl", "twitter", "Hoi Ruud, ik heb je abonnement opgezegd; je krijgt morgen een bevestiging. Met vriendelijke groet, Bram",
     "Met vriendelijke groet"),
    ("en", "email", "Dear Mr Hill,\n\nI have cancelled your subscription from 1 June. You will receive a confirmation "
     "tomorrow.\n\n^Kim", "^Kim"),
])
def test_rubric_a_sign_off_that_does_not_fit_the_medium_is_flagged(language, medium, reply, found, offline_checker):
    card = _card(reply, offline_checker, language=language, medium=medium, customer=None)
    (finding,) = [f for f in card.findings if f.rule == SIGN_OFF_MISMATCH]
    assert finding.dimension == "tone" and reply[finding.span[0]:finding.span[1]].startswith(found)


@pytest.mark.parametrize("language, medium, reply", [
    ("nl", "email", "Beste meneer Visser,\n\nIk heb uw abonnement per 1 juni opgezegd. U ontvangt morgen een bevestiging."
                    "\n\nMet vriendelijke groet,\nBram de Wit"),
    ("nl", "twitter", "Hoi Ruud, ik heb je abonnement opgezegd; je krijgt morgen een bevestiging. ^Bram"),
    ("en", "email", "Dear Mr Hill,\n\nI have cancelled your subscription. You will receive a confirmation tomorrow.\n\n"
                    "Kind regards,\nKim Lee"),
])
def test_rubric_a_sign_off_that_fits_the_medium_passes(language, medium, reply, offline_checker):
    assert SIGN_OFF_MISMATCH not in _rubric_rules(_card(reply, offline_checker, language=language, medium=medium))


# --- advice and bookkeeping -----------------------------------------------------------------

def test_rubric_advice_on_a_formal_medium_uses_the_u_form(offline_checker):
    email = _card("Beste mevrouw Smit,\n\nExcuses voor het ongemak.\n\nMet vriendelijke groet,\nBram", offline_checker,
                  medium="email", customer="Mijn factuur klopt niet: het abonnement staat er twee keer op.")
    # The advice speaks to the trainee ("zeg wat je doet"); its quoted examples speak to the customer.
    examples = [quoted for f in email.findings if f.rule in RUBRIC_RULES for quoted in _quoted(f.suggestion)]
    assert examples and all(_says(example, "u", "uw") and not _says(example, "je", "jij", "jouw") for example in examples)
    tweet = _card("Excuses voor het ongemak. ^Bram", offline_checker,
                  customer="Mijn factuur klopt niet: het abonnement staat er twee keer op.")
    assert any(_says(quoted, "je") for f in tweet.findings if f.rule == NO_NEXT_STEP for quoted in _quoted(f.suggestion))


def _quoted(text: str | None) -> list[str]:
    return re.findall(r"'([^']+)'", text or "")


def _says(text: str, *words: str) -> bool:
    return bool(set(re.findall(r"\w+", text.lower())) & set(words))


def test_rubric_scorecard_records_the_rubric_version(offline_checker):
    card = _card("Ik heb je omgeboekt; je nieuwe ticket staat morgen in je mail. ^Bram", offline_checker)
    assert card.rubric == RUBRIC_VERSION and card.to_public_dict()["rubric"] == RUBRIC_VERSION


@pytest.mark.parametrize("language", ["nl", "en"])
def test_rubric_every_rule_and_style_has_a_message(language):
    rules = messages(language).rules
    assert RUBRIC_RULES <= set(rules)
    assert {f"rubric.style.{style}" for style in rubric(language).sign_off.styles} <= set(rules)


def test_rubric_a_mistake_in_the_rubric_file_names_file_and_line(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "rubric" / "nl.yaml"
    text = path.read_text(encoding="utf-8").replace("    email: [closing]", "    e-mail: [closing]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        rubric("nl", tmp_path / "content")
    (error,) = raised.value.errors
    assert error.location == "sign_off -> media -> e-mail"
    assert f"rubric/nl.yaml:{text.splitlines().index('    e-mail: [closing]') + 1}" in str(error)


# --- in a conversation ----------------------------------------------------------------------

def test_rubric_a_follow_up_is_not_asked_to_greet_or_acknowledge_again(offline_checker):
    customer = ["Mijn pakket is al een week zoek, belachelijk!", "Oké. En wanneer krijg ik het dan?"]
    reply = "Morgen tussen 9.00 en 13.00 uur, ik heb het net met de bezorger afgesproken. ^Bram"
    first = score_reply(reply, ReplyContext(customer_messages=customer[1:]), checker=offline_checker)
    assert "tone.no_greeting" in {r for f in first.findings for r in (f.rule, *f.also)}
    later = score_reply(reply, ReplyContext(customer_messages=customer, new_customer_messages=1, follow_up=True),
                        checker=offline_checker)
    assert not {"tone.no_greeting", "tone.no_name", NO_ACKNOWLEDGEMENT} & {f.rule for f in later.findings}


def test_rubric_the_mood_is_read_from_what_the_reply_answers(offline_checker):
    customer = ["Waardeloos! Al drie dagen geen internet, schandalig!", "Top, dank je! Werkt weer. Moet ik nog iets doen?"]
    reply = "Nee hoor, Ruud: alles staat weer goed en je hoeft niets te doen. ^Bram"
    card = score_reply(reply, ReplyContext(customer_messages=customer, new_customer_messages=1, follow_up=True),
                       checker=offline_checker)
    assert NO_EMPATHY_FOR_ANGER not in {f.rule for f in card.findings}


@pytest.mark.parametrize("language, reply", [
    ("nl", "Hoi Ruud, ik bestel een taxi voor je. Met hoeveel personen ben je? ^Bram"),
    ("en", "Hi Ruth, I'm booking you a taxi. How many of you are travelling? ^Kim"),
])
def test_rubric_a_question_to_the_customer_is_a_next_step_and_settles_the_invitation(language, reply, offline_checker):
    customer = {"nl": "Mijn laatste trein is uitgevallen en ik sta op het station!",
                "en": "My last train was cancelled and I'm stuck at the station!"}[language]
    card = score_reply(reply, ReplyContext(language=language, customer_messages=[customer]), checker=offline_checker)
    assert not {NO_NEXT_STEP, "tone.no_invitation"} & {r for f in card.findings for r in (f.rule, *f.also)}


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Fijne service altijd! Graag mijn adres wijzigen naar Dorpsstraat 4. Groet, Ruud", "Dank je, Ruud! ^Bram"),
    ("en", "Lovely service as always! Please change my address to 4 High Street. Thanks, Ruth", "Thanks, Ruth! ^Kim"),
])
def test_rubric_a_friendly_request_still_needs_an_answer_and_a_next_step(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, customer_messages=[customer]), checker=offline_checker)
    assert {NO_ANSWER, NO_NEXT_STEP} <= set(_rubric_rules(card))


@pytest.mark.parametrize(
    "language, customer, reply",
    [
        ("nl", "De storing duurt nu al drie dagen, ik kan niet werken!",
         "Hoi Joost, wat vervelend! U kunt het beste even de storingsdienst bellen op 088-1234567. ^Mira"),
        ("en", "The heating in my flat has been broken since Monday.",
         "Hi Priya, that's rotten. Your best bet is to call our repairs team on 0161 555 0100. ^Sam"),
    ],
)
def test_rubric_another_desks_number_is_a_deflection_not_an_answer(language, customer, reply, offline_checker):
    card = _card(reply, offline_checker, language=language, customer=customer)
    assert "substance.deflects" in _rubric_rules(card)
    assert not card.passed
