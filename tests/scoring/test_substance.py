import shutil
from pathlib import Path

import pytest
import yaml

from scoring import ExpectedElement, PriorReply, ReplyContext, Severity, score_reply
from scoring.config import media_catalogue, messages, scoring_config
from scoring.contentfile import ContentInvalid, content_dir
from scoring.dimensions import substance
from scoring.evaluation import Evaluation
from scoring.nlp import load_nlp
from scoring.pipeline import validate_reply
from scoring.similarity import PhraseCues, similarity

REPEAT = scoring_config().substance.repeat_similarity


def _substance(reply: str, context: ReplyContext):
    """substance.v3's own findings for one reply (without the rubric's moves, which the
    pipeline adds: tests/scoring/test_rubric.py)."""
    reply = validate_reply(reply, context)
    evaluation = Evaluation(reply=reply, doc=load_nlp(context.language)(reply), context=context, medium_id=context.medium,
                            medium=media_catalogue().media[context.medium], config=scoring_config())
    return substance.score(evaluation.doc, evaluation).findings


def _rules(findings) -> list[str]:
    return [f.rule for f in findings]


# --- the examples in content/substance/<lang>.yaml ---------------------------------------

_GROUP_RULE = {
    "unkeepable_promise": substance.UNKEEPABLE_PROMISE,
    "placeholders": substance.TEMPLATE_PLACEHOLDER,
}


def _examples():
    for lang in ("nl", "en"):
        cues = substance.substance_cues(lang)
        for group, rule in _GROUP_RULE.items():
            for expected, replies in (("flag", getattr(cues, group).should_flag), ("pass", getattr(cues, group).should_pass)):
                for reply in replies:
                    yield pytest.param(lang, rule, expected, reply, id=f"{lang}-{group}-{expected}-{reply[:30]}")


@pytest.mark.parametrize("lang, rule, expected, reply", list(_examples()))
def test_substance_content_examples_flag_and_pass_as_written(lang, rule, expected, reply):
    rules = _rules(_substance(reply, ReplyContext(language=lang, medium="twitter")))
    if expected == "flag":
        assert rule in rules
    else:
        assert rules == [], f"expected no substance finding for: {reply}"


# --- expected elements --------------------------------------------------------------------

_REBOOK = ExpectedElement(id="rebook", label="een aanbod om je om te boeken",
                          cues=["omboeken", "boek ... om", "andere vlucht"])
_REFUND = ExpectedElement(id="refund", label="dat de klant zijn geld terug kan krijgen",
                          cues=["geld terug", "terugbetal*"], severity=Severity.minor)


@pytest.mark.parametrize(
    "reply",
    [
        "Wat vervelend, Sanne! Ik heb je omgeboekt op de vlucht van morgen 08:10. Je geld terug kan ook. ^Lisa",
        "Ik boek je graag om naar de vlucht van 18:40; liever een terugbetaling? Dat kan ook. ^Lisa",
        "Je kunt kosteloos omboeken naar een andere vlucht of je GELD TERUG vragen. ^Lisa",
    ],
)
def test_substance_expected_elements_match_words_and_lemmas(reply):
    assert _substance(reply, ReplyContext(medium="twitter", expected_elements=[_REBOOK, _REFUND])) == []


def test_substance_missing_element_costs_its_own_severity_and_names_it():
    reply = "Wat vervelend! Ik heb je omgeboekt op de vlucht van morgen 08:10. ^Lisa"
    (finding,) = _substance(reply, ReplyContext(medium="twitter", expected_elements=[_REBOOK, _REFUND]))
    assert finding.rule == substance.MISSING_ELEMENT
    assert finding.severity is Severity.minor
    assert finding.points == scoring_config().severity_points.minor
    assert finding.message == "Je antwoord mist: dat de klant zijn geld terug kan krijgen"


def test_substance_missing_element_in_english():
    element = ExpectedElement(id="voucher", label="the meal voucher", cues=["voucher", "meal"])
    context = ReplyContext(language="en", medium="webchat", expected_elements=[element])
    (finding,) = _substance("So sorry for the delay! I have rebooked you on the 18:40 flight.", context)
    assert finding.message == "Your reply is missing: the meal voucher"
    assert finding.severity is Severity.major
    assert _substance("So sorry! I have rebooked you and sent a meal voucher to your app.", context) == []


# --- repeating an earlier answer ----------------------------------------------------------

_PRIOR_NL = ("Hoi Sanne, wat vervelend dat je trein is uitgevallen! Je kunt met je kaartje de volgende trein nemen, "
             "die rijdt om 14:12 vanaf spoor 5. ^Lisa")
_PRIOR_EN = ("Hi Tom, sorry your flight was cancelled. I have rebooked you on the 18:40 flight to London; "
             "your new boarding pass is in your inbox. ^Ann")

_COPIES = [
    ("nl", _PRIOR_NL, "Hallo Sanne! Wat vervelend dat je trein uitviel. Je kunt met je kaartje gewoon de volgende trein "
                      "nemen; die rijdt om 14:12 vanaf spoor 5. Groetjes, Mark"),
    ("nl", _PRIOR_NL, "Beste Sanne, wat vervelend dat je trein is uitgevallen. Je kunt met je kaartje de volgende trein "
                      "nemen, die rijdt om 14.12 vanaf spoor 5. Met vriendelijke groet, Mark"),
    ("en", _PRIOR_EN, "Hello Tom! Sorry your flight got cancelled. I've rebooked you on the 18:40 flight to London, "
                      "your new boarding pass is in your inbox. Kind regards, Bob"),
]
_DIFFERENT = [
    ("nl", _PRIOR_NL, "Hoi Sanne, wat vervelend dat je trein is uitgevallen! Ik heb je reiskosten al teruggevraagd; "
                      "je ontvangt het geld binnen 5 werkdagen. ^Mark"),
    ("nl", "Wat vervelend dat je internet niet werkt. Stuur ons een DM met je postcode en huisnummer, dan kijken we mee. ^Tom",
           "Wat vervelend dat je tv niet werkt. Stuur ons een DM met je klantnummer, dan plannen we een monteur in. ^Tom"),
    ("en", _PRIOR_EN, "Hi Tom, sorry your flight was cancelled. You can request a refund via the link in your booking "
                      "confirmation; it takes about 7 days. ^Ann"),
    ("en", "So sorry your parcel is late! Send us a DM with your order number and we'll track it down. ^Ben",
           "So sorry your parcel is damaged! Send us a DM with a photo and we'll send a new one right away. ^Ben"),
]


@pytest.mark.parametrize("lang, first, second", _COPIES)
def test_similarity_a_copy_with_another_greeting_signature_and_small_edits_is_a_repeat(lang, first, second):
    assert similarity(first, second, lang, names=["Sanne", "Tom"]) >= REPEAT


@pytest.mark.parametrize("lang, first, second", _DIFFERENT)
def test_similarity_different_answers_sharing_stock_phrases_are_not_a_repeat(lang, first, second):
    assert similarity(first, second, lang, names=["Sanne", "Tom"]) < REPEAT - 0.15


def test_similarity_is_symmetric_and_one_for_the_same_text():
    assert similarity(_PRIOR_NL, _PRIOR_NL, "nl") == pytest.approx(1.0)
    assert similarity(_PRIOR_EN, _COPIES[2][2], "en") == pytest.approx(similarity(_COPIES[2][2], _PRIOR_EN, "en"))


def test_substance_repeating_the_answer_from_another_channel_is_major():
    context = ReplyContext(medium="twitter", customer_name="Sanne de Vries", agent_name="Mark",
                           prior_replies=[PriorReply(text=_PRIOR_NL, medium="facebook_comment", author="Lisa")])
    findings = _substance(_COPIES[0][2], context)
    (finding,) = [f for f in findings if f.rule == substance.REPEATS_PRIOR_REPLY]
    assert finding.severity is Severity.major
    assert finding.message == ("Deze klant kreeg dit antwoord al via Facebook-reactie; herhaal het niet, "
                               "maar ga een stap verder.")
    assert substance.REPEATS_PRIOR_REPLY not in _rules(_substance(_DIFFERENT[0][2], context))


def test_substance_repeat_without_a_known_medium_names_this_one_in_english():
    context = ReplyContext(language="en", medium="whatsapp", prior_replies=[PriorReply(text=_PRIOR_EN)])
    (finding,) = [f for f in _substance(_COPIES[2][2], context) if f.rule == substance.REPEATS_PRIOR_REPLY]
    assert "via WhatsApp" in finding.message


# --- knowledge-base templates -------------------------------------------------------------

_TEMPLATE = ("Beste {naam}, wat vervelend dat uw vlucht is geannuleerd. U kunt kosteloos omboeken of uw geld "
             "terugvragen via onze website. Met vriendelijke groet, [medewerker]")
_CUSTOMER = ["@SkyNL mijn vlucht naar Barcelona is geannuleerd en ik moet morgen op een bruiloft zijn!!"]


def _template_context(**kwargs) -> ReplyContext:
    return ReplyContext(medium="email", customer_name="Sanne de Vries", agent_name="Lisa",
                        customer_messages=_CUSTOMER, knowledge_templates=[_TEMPLATE], **kwargs)


def test_substance_placeholder_left_in_is_major_with_its_span():
    reply = _TEMPLATE.replace("[medewerker]", "Lisa")
    (finding,) = _substance(reply, _template_context())
    assert finding.rule == substance.TEMPLATE_PLACEHOLDER and finding.severity is Severity.major
    assert reply[finding.span[0]: finding.span[1]] == "{naam}"
    assert "'{naam}'" in finding.message


@pytest.mark.parametrize("placeholder", ["{naam}", "[naam]", "<naam>", "XXX", "NAAM", "{{ voornaam }}"])
def test_substance_every_placeholder_shape_is_caught(placeholder):
    reply = f"Hoi {placeholder}, ik heb je omgeboekt op de vlucht van 18:40. ^Lisa"
    assert _rules(_substance(reply, ReplyContext(medium="twitter"))) == [substance.TEMPLATE_PLACEHOLDER]


def test_substance_template_pasted_without_name_or_situation_is_major():
    reply = ("Beste klant, wat vervelend dat uw vlucht is geannuleerd. U kunt kosteloos omboeken of uw geld "
             "terugvragen via onze website. Met vriendelijke groet, Lisa")
    (finding,) = _substance(reply, _template_context())
    assert finding.rule == substance.TEMPLATE_UNADAPTED and finding.severity is Severity.major
    assert "%" in finding.message


@pytest.mark.parametrize(
    "reply",
    [
        # written for this customer, with the template's facts
        "Beste Sanne, wat een pech dat uw vlucht naar Barcelona niet doorgaat, net nu u morgen naar een bruiloft moet. "
        "Ik heb gekeken: om 7.15 uur vertrekt er nog een vlucht met plaats. Zal ik u daarop zetten? Met vriendelijke groet, Lisa",
        # the facts in other words, and a next step
        "Beste Sanne, uw vlucht is geannuleerd, excuses daarvoor. Omboeken kost u niets; wilt u liever uw geld terug, "
        "dan regel ik dat vandaag voor u. Laat u mij weten wat u kiest? Met vriendelijke groet, Lisa",
    ],
)
def test_substance_template_adapted_to_the_customer_is_fine(reply):
    assert _substance(reply, _template_context()) == []


# --- promises ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "lang, reply, promise",
    [
        ("nl", "Excuses, Kees! Ik garandeer je dat de storing morgen is opgelost; de monteur komt om 9 uur. ^Tom", "Ik garandeer"),
        ("nl", "Wat vervelend. Je krijgt zeker je geld terug, ik zet het vandaag in gang. ^Fleur",
         "Je krijgt zeker je geld terug"),
        ("nl", "Sorry voor de vertraging. Dit zal nooit meer gebeuren! Ik heb je omgeboekt. ^Lisa",
         "Dit zal nooit meer gebeuren"),
        ("en", "Sorry Tom, we will refund everything and I have rebooked you. ^Ann", "we will refund everything"),
        ("en", "So sorry! This will never happen again; I have passed it on. ^Ben", "This will never happen again"),
    ],
)
def test_substance_promise_the_company_cannot_keep_is_critical_with_its_span(lang, reply, promise):
    (finding,) = _substance(reply, ReplyContext(language=lang, medium="twitter"))
    assert finding.rule == substance.UNKEEPABLE_PROMISE and finding.severity is Severity.critical
    assert reply[finding.span[0]: finding.span[1]] == promise
    assert promise in finding.message


def test_substance_phrase_cues_do_not_cross_sentences():
    cues = PhraseCues("nl", {"step": ["ik heb ... omgeboekt"]})
    doc = load_nlp("nl")("Ik heb geen idee. Omgeboekt is het niet.")
    assert cues.find(doc) == []


# --- content and messages -----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_substance_every_rule_has_a_message_in_both_languages(lang):
    for rule in substance.RULES:
        assert rule in messages(lang).rules, f"{rule} has no message in content/messages/{lang}/substance.yaml"


def test_substance_a_mistake_in_the_cue_file_names_file_and_line(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "substance" / "en.yaml"
    text = path.read_text(encoding="utf-8").replace("unkeepable_promise:\n", "unkeepable_promise:\n  severity: high\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        substance.substance_cues("en", tmp_path / "content")
    (error,) = raised.value.errors
    assert error.location == "unkeepable_promise -> severity"
    assert f"substance/en.yaml:{text.splitlines().index('  severity: high') + 1}" in str(error)


# --- the judged pairs (tests/data/pairs_<lang>.yaml, judged without looking at the scorer) --

PAIRS = Path(__file__).resolve().parent.parent / "data"


def _judged_pairs():
    for lang in ("nl", "en"):
        for pair in yaml.safe_load((PAIRS / f"pairs_{lang}.yaml").read_text(encoding="utf-8"))["pairs"]:
            yield lang, pair


def _pair_context(lang: str, pair: dict) -> ReplyContext:
    return ReplyContext(
        language=lang, medium=pair["medium"], customer_messages=[pair["customer"]],
        customer_name=pair.get("customer_name"),
        prior_replies=[PriorReply(**p) for p in pair.get("prior_replies") or []],
        expected_elements=[ExpectedElement(**e) for e in pair.get("expected_elements") or []],
        knowledge_templates=pair.get("knowledge_templates") or [],
    )


def _points(findings) -> float:
    return sum(f.points for f in findings)


def _scored_substance(reply: str, context: ReplyContext, checker) -> list:
    """The substance dimension as the pipeline scores it: its own findings and the rubric's."""
    return score_reply(reply, context, checker=checker).dimensions["substance"].findings


def test_substance_no_better_reply_of_the_judged_pairs_gets_a_substance_finding(offline_checker):
    flagged = [(pair["id"], [f.message for f in findings])
               for lang, pair in _judged_pairs()
               if (findings := _scored_substance(pair["better"], _pair_context(lang, pair), offline_checker))]
    assert flagged == []


def test_substance_worse_replies_of_judged_substance_pairs_lose_more_points(offline_checker):
    """Substance, repeat and template pairs: all 24 told apart when this was written."""
    pairs = [(lang, pair) for lang, pair in _judged_pairs() if pair.get("aspect") in ("substance", "repeat", "template")]
    assert len(pairs) >= 20
    better = {pair["id"]: _points(_scored_substance(pair["better"], _pair_context(lang, pair), offline_checker))
              for lang, pair in pairs}
    worse = {pair["id"]: _points(_scored_substance(pair["worse"], _pair_context(lang, pair), offline_checker))
             for lang, pair in pairs}
    assert [pid for pid in better if worse[pid] < better[pid]] == []
    assert [pid for pid in better if worse[pid] == better[pid]] == []
