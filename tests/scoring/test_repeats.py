"""Repeats by meaning (substance.repeats_prior_reply via scoring.similarity.same_answer), the
labelled set tests/data/repeats.yaml whose figures docs/scoring.md reports, and templates pasted
with only their fields filled in (substance.template_unadapted via similarity.template_match)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scenarios.engine import start
from scoring import PriorReply, ReplyContext, Severity, score_reply
from scoring.config import scoring_config
from scoring.dimensions import substance
from scoring.similarity import answer_words, answer_words_config, masked_words, same_answer, template_match

RULES = scoring_config().repeats
REPEATS = Path(__file__).resolve().parent.parent / "data" / "repeats.yaml"


def _examples():
    for lang in ("nl", "en"):
        config = answer_words_config(lang)
        for expected, examples in (("flag", config.should_flag), ("pass", config.should_pass)):
            for number, example in enumerate(examples, 1):
                yield pytest.param(lang, expected, example.earlier, example.reply, id=f"{lang}-{expected}-{number}")


@pytest.mark.parametrize("lang, expected, earlier, reply", list(_examples()))
def test_repeats_content_examples_are_the_same_answer_or_not_as_written(lang, expected, earlier, reply):
    score = same_answer(reply, earlier, lang, min_words=RULES.min_answer_words, min_coverage=RULES.min_coverage)
    if expected == "flag":
        assert score >= RULES.same_answer
    else:
        assert score < RULES.same_answer


@pytest.mark.parametrize("lang, text, plain", [
    ("nl", "Sorry Sven, wat vervelend! Je zending wordt binnen twee werkdagen bezorgd. Groetjes, Bram",
     "Je pakket wordt binnen 2 werkdagen geleverd."),
    ("en", "So sorry Jack, I understand. Your package will arrive in two working days. Kind regards, Tom",
     "Your parcel will be delivered in 2 working days."),
])
def test_repeats_answer_words_drop_apologies_names_and_sign_offs_and_join_synonyms(lang, text, plain):
    assert answer_words(text, lang, names=["Sven", "Jack", "Bram", "Tom"]) == answer_words(plain, lang)


def test_repeats_a_short_reply_that_takes_up_little_of_a_long_answer_is_no_repeat():
    earlier = ("Hoi Sven, ik kijk even mee. Je nieuwe simkaart is verstuurd, ligt binnen 3 werkdagen in je brievenbus "
               "en activeer je in de app onder 'Mijn abonnement'.")
    assert same_answer("Sorry, ik kijk even mee!", earlier, "nl") == 0.0
    assert same_answer("Sorry, je simkaart is echt verstuurd!", "Je simkaart is verstuurd.", "nl") == 1.0


def test_repeats_verb_forms_and_numbers_in_digits_or_words_are_one_answer():
    assert same_answer("De monteur komt op 3 juni om 14:00 uur.", "Op drie juni komt de monteur, om 14.00 uur.", "nl") == 1.0
    assert same_answer("Je hebt het bedrag van €12,50 terugbetaald gekregen.",
                       "Het bedrag van 12.50 euro wordt terugbetaald, dat krijg je.", "nl") >= RULES.same_answer


# --- in the substance dimension ----------------------------------------------------------------

_EARLIER_NL = PriorReply(text="Hoi Sanne, je kunt je treinkaartje omruilen bij de servicebalie op het station. Daar krijg je "
                              "direct een nieuw kaartje mee. ^Mark", medium="facebook_comment", author="Mark")
_EARLIER_EN = PriorReply(text="Dear Ms Hughes, your claim has been received and will be assessed within 15 working days. "
                              "Kind regards, Claims Team", medium="email", author="Claims Team")


@pytest.mark.parametrize("lang, earlier, reply, repeats", [
    # the same answer, reworded and reordered, with an apology
    ("nl", _EARLIER_NL, "Sorry Sanne, wat vervelend! Een nieuw kaartje krijg je direct mee bij de servicebalie op het "
                        "station; daar kun je je treinkaartje omruilen. ^Lisa", True),
    ("en", _EARLIER_EN, "Dear Ms Hughes, I do apologise for the wait. We have received your claim and it will be assessed "
                        "within fifteen working days. Kind regards, Owen", True),
    # a different answer on the same topic
    ("nl", _EARLIER_NL, "Sorry Sanne, de servicebalie op het station was dicht, dat had je niet mogen overkomen. Ik heb je "
                        "kaartje geblokkeerd en een nieuw kaartje per post verstuurd; het is er woensdag. ^Lisa", False),
    ("en", _EARLIER_EN, "Dear Ms Hughes, the 15 working days have passed, and I'm sorry for that. I've assessed your claim "
                        "myself: we will pay £640 into your account on Friday. Kind regards, Owen", False),
])
def test_repeats_the_same_answer_reworded_is_major_and_a_different_one_is_not(lang, earlier, reply, repeats):
    context = ReplyContext(language=lang, medium="twitter" if lang == "nl" else "email", customer_name="Sanne Hughes",
                           agent_name="Lisa", prior_replies=[earlier])
    found = [f for f in score_reply(reply, context).findings if f.rule == substance.REPEATS_PRIOR_REPLY]
    assert [f.severity for f in found] == ([Severity.major] if repeats else [])


def test_repeats_the_scenario_that_teaches_it_fails_the_old_answer_with_sorry_and_passes_its_model_answer(offline_checker):
    conversation = start("nl-bestelhuis-herhaald-antwoord", "webchat", seed=4)
    context = conversation.context_for_reply(seconds_to_reply=40, agent_name="Lisa")
    first_name = conversation.record.persona["first_name"]
    repeated = (f"Sorry {first_name}, vervelend! Je bestelling is echt onderweg en wordt binnen twee werkdagen bezorgd. "
                "Je kunt de status volgen via de track-and-tracelink in je bevestigingsmail.")
    card = score_reply(repeated, context, checker=offline_checker)
    assert substance.REPEATS_PRIOR_REPLY in [f.rule for f in card.findings]
    assert card.passed is False
    model = score_reply(conversation.model_answer()[0], context, checker=offline_checker)
    assert model.passed and model.dimensions["substance"].findings == []


# --- the labelled set -------------------------------------------------------------------------

_GREETED = re.compile(r"^(?:Hoi|Hallo|Beste|Geachte|Hi|Hello|Dear)\s+(?:(?:mevrouw|meneer|heer|Mr|Mrs|Ms)\s+)?([A-Z][\w ]*?)[,!]")
_SIGNED = re.compile(r"(?:\^|[Gg]roet,?|Groetjes,|regards,)\s*([A-Z][\w ]+)$")


def _names(pair: dict) -> list[str]:
    """The customer and agents, as the scorer gets them from the conversation."""
    return [m.group(1) for text in (pair["earlier"], pair["reply"]) for pattern in (_GREETED, _SIGNED)
            if (m := pattern.search(text))]


def measure_repeats(path: Path = REPEATS) -> dict[str, float]:
    """Precision and recall of same_answer at the configured threshold on a labelled set."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for pair in yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]:
        flagged = same_answer(pair["reply"], pair["earlier"], pair["lang"], _names(pair), RULES.min_answer_words,
                              RULES.min_coverage) >= RULES.same_answer
        same = pair["label"] == "same"
        counts[("t" if flagged == same else "f") + ("p" if flagged else "n")] += 1
    return {**counts, "precision": counts["tp"] / max(1, counts["tp"] + counts["fp"]),
            "recall": counts["tp"] / max(1, counts["tp"] + counts["fn"])}


def test_repeats_labelled_set_precision_and_recall_hold():
    figures = measure_repeats()
    assert figures["tp"] + figures["fn"] >= 20 and figures["fp"] + figures["tn"] >= 20
    assert figures["precision"] >= 0.95, figures
    assert figures["recall"] >= 0.9, figures


# --- templates pasted with their fields filled in ----------------------------------------------

_TEMPLATE_NL = ("Beste {naam}, uw bestelling {ordernummer} is op {datum} bij ons teruggekomen. Het bedrag van {bedrag} "
                "storten wij binnen 5 werkdagen terug. Met vriendelijke groet, [medewerker]")
_TEMPLATE_EN = ("Dear {name}, your return for order {order_number} arrived on {date}. We will refund {amount} within "
                "5 working days. Kind regards, [agent]")


@pytest.mark.parametrize("lang, template, reply, pasted", [
    ("nl", _TEMPLATE_NL, "Beste mevrouw Visser, uw bestelling 88231 is op 4 maart bij ons teruggekomen. Het bedrag van "
                         "€59,95 storten wij binnen 5 werkdagen terug. Met vriendelijke groet, Lisa", True),
    ("nl", _TEMPLATE_NL, "Beste mevrouw Visser, goed nieuws: de stofzuiger is binnen en helemaal in orde. Ik heb de €59,95 "
                         "vandaag al teruggestort, dus u ziet het morgen op uw rekening. Met vriendelijke groet, Lisa", False),
    ("en", _TEMPLATE_EN, "Dear Mr Khan, your return for order 55102 arrived on 12 May. We will refund £34.99 within 5 "
                         "working days. Kind regards, Owen", True),
    ("en", _TEMPLATE_EN, "Dear Mr Khan, thanks for sending the boots back so quickly. They arrived on 12 May, and since "
                         "you were charged twice I've refunded both payments today. Kind regards, Owen", False),
])
def test_templates_filling_in_name_and_details_is_not_adapting(lang, template, reply, pasted):
    context = ReplyContext(language=lang, medium="email", customer_name="Anna Visser" if lang == "nl" else "Imran Khan",
                           agent_name="Lisa", knowledge_templates=[template],
                           customer_messages=["Waar blijft mijn geld voor de retour?" if lang == "nl"
                                              else "Where is my refund for the return?"])
    found = [f for f in score_reply(reply, context).findings if f.rule == substance.TEMPLATE_UNADAPTED]
    assert [f.severity for f in found] == ([Severity.major] if pasted else [])


def test_templates_fields_are_masked_alike_in_template_and_reply():
    fields = re.compile(r"\{\w+\}")
    template = "Hoi {naam}, je monteur {monteur} komt op {datum} om {tijd} uur."
    filled = "Hoi Sanne, je monteur Pieter komt op dinsdag 3 maart om 14.00 uur."
    assert masked_words(filled, "nl", names=["Sanne"]) == masked_words(template, "nl", fields=fields)
    assert template_match(filled, template, "nl", names=["Sanne"], fields=fields) == 1.0


def test_templates_the_app_flags_its_own_template_pasted_with_the_name_filled_in(offline_checker):
    conversation = start("nl-bestelhuis-herhaald-antwoord", "webchat", seed=2)
    context = conversation.context_for_reply(seconds_to_reply=40, agent_name="Lisa")
    (template,) = context.knowledge_templates
    card = score_reply(template, context, checker=offline_checker)
    assert substance.TEMPLATE_UNADAPTED in [f.rule for f in card.findings]
