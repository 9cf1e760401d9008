import shutil
from pathlib import Path

import pytest
import yaml

from scoring import ExpectedElement, PriorReply, ReplyContext, Severity, score_reply
from scoring.config import media_catalogue, messages, scoring_config
from scoring.contentfile import ContentInvalid, content_dir
from scoring.dimensions import privacy
from scoring.evaluation import Evaluation
from scoring.nlp import load_nlp
from scoring.pipeline import validate_reply


def _privacy(reply: str, context: ReplyContext):
    """privacy.v1's findings for one reply, evaluated exactly as the pipeline does."""
    reply = validate_reply(reply, context)
    evaluation = Evaluation(reply=reply, doc=load_nlp(context.language)(reply), context=context, medium_id=context.medium,
                            medium=media_catalogue().media[context.medium], config=scoring_config())
    return privacy.score(evaluation.doc, evaluation).findings


def _rules(findings) -> list[str]:
    return [f.rule for f in findings]


def _examples():
    """Every should_flag / should_pass example in content/privacy/<lang>.yaml."""
    for lang in ("nl", "en"):
        cues = privacy.privacy_cues(lang)
        groups = [(f"data_types.{kind}", data, None) for kind, data in cues.data_types.items()]
        groups += [(name, getattr(cues, name), getattr(cues, name).customer)
                   for name in privacy.CUE_GROUPS]
        for name, group, customer in groups:
            for expected, replies in (("flag", group.should_flag), ("pass", group.should_pass)):
                for reply in replies:
                    yield pytest.param(lang, customer, expected, reply, id=f"{lang}-{name}-{expected}-{reply[:30]}")


@pytest.mark.parametrize("lang, customer, expected, reply", list(_examples()))
def test_privacy_content_examples_flag_and_pass_as_written(lang, customer, expected, reply):
    context = ReplyContext(language=lang, medium="twitter", customer_messages=[customer] if customer else [])
    findings = _privacy(reply, context)
    if expected == "flag":
        assert findings, f"expected a privacy finding for: {reply}"
    else:
        assert findings == [], [f.message for f in findings]


def test_privacy_asking_for_the_booking_code_on_x_is_critical_and_fails_the_reply(offline_checker):
    reply = "Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Wat is je boekingscode? Dan boek ik je om. ^Lisa"
    card = score_reply(reply, ReplyContext(medium="twitter"), checker=offline_checker)
    (finding,) = card.dimensions["privacy"].findings
    assert finding.rule == privacy.ASKS_IN_PUBLIC
    assert finding.severity is Severity.critical
    assert reply[finding.span[0]: finding.span[1]] == "Wat is je boekingscode?"
    assert "X-privébericht (DM)" in finding.suggestion and "de boekingscode" in finding.suggestion
    assert card.passed is False


def test_privacy_asking_to_send_the_booking_code_by_dm_is_what_we_want():
    reply = "Hoi Sanne, wat vervelend! Stuur je boekingscode even via DM? Dan boek ik je direct om. ^Lisa"
    assert _privacy(reply, ReplyContext(medium="twitter")) == []


def test_privacy_the_private_move_may_follow_in_the_next_sentence():
    reply = "Voor de terugbetaling hebben we je IBAN nodig. Stuur je die via Messenger? ^Fleur"
    assert _privacy(reply, ReplyContext(medium="facebook_comment")) == []


@pytest.mark.parametrize("medium", ["twitter_dm", "whatsapp", "email", "webchat", "messenger"])
def test_privacy_asking_and_repeating_in_a_private_channel_is_fine(medium):
    reply = "Dank je! Wat is je geboortedatum? Ik zie 06-12345678 als je nummer en NL91 ABNA 0417 1643 00 als rekening."
    assert _privacy(reply, ReplyContext(medium=medium)) == []


def test_privacy_repeating_a_phone_number_in_public_is_critical_with_its_exact_span():
    reply = "Hoi Kees, we bellen je vanmiddag op 06-12345678 over de storing. ^Tom"
    (finding,) = _privacy(reply, ReplyContext(medium="twitter"))
    assert finding.rule == privacy.REPEATS_IN_PUBLIC and finding.severity is Severity.critical
    assert reply[finding.span[0]: finding.span[1]] == "06-12345678"
    assert "06-12345678" in finding.suggestion


def test_privacy_repeating_the_customers_own_reference_in_public_is_critical():
    context = ReplyContext(medium="facebook_comment",
                           customer_messages=["Mijn bestelling met ordernummer 4455667788 is nog steeds niet binnen!"])
    reply = "Hoi Emma, ik zie dat bestelling 4455667788 vastzit bij de vervoerder. Ik zoek het voor je uit. ^Bas"
    findings = _privacy(reply, context)
    (repeat,) = [f for f in findings if f.rule == privacy.REPEATS_IN_PUBLIC]
    assert reply[repeat.span[0]: repeat.span[1]] == "4455667788"
    assert "Facebook Messenger" in repeat.suggestion


def test_privacy_an_iban_on_a_review_site_points_to_email():
    reply = ("Beste meneer Jansen, excuses voor de dubbele afschrijving. We storten het bedrag terug op "
             "NL91 ABNA 0417 1643 00, binnen vijf werkdagen. Met vriendelijke groet, Spaarbank")
    (finding,) = _privacy(reply, ReplyContext(medium="review"))
    assert finding.severity is Severity.critical
    assert "E-mail" in finding.suggestion and "het rekeningnummer" in finding.message


def test_privacy_the_companys_own_service_address_is_not_personal_data():
    reply = "Hoi Kees, mail je meterstanden gerust naar klantenservice@energiek.nl, dan passen we je termijn aan. ^Eva"
    assert _privacy(reply, ReplyContext(medium="twitter")) == []


def test_privacy_health_and_debt_details_in_public_are_critical_with_their_span():
    reply = "Hoi Peter, ik zie nog een openstaand bedrag van januari. Daarom kreeg je de brief. Maak je het vandaag over? ^Joost"
    (finding,) = _privacy(reply, ReplyContext(medium="twitter"))
    assert finding.rule == privacy.SENSITIVE_IN_PUBLIC and finding.severity is Severity.critical
    assert reply[finding.span[0]: finding.span[1]] == "openstaand bedrag"
    assert _privacy(reply, ReplyContext(medium="whatsapp")) == []


@pytest.mark.parametrize("lang, reply, detail", [
    ("nl", "Hoi Wendy, je openstaande rekening van maart is inmiddels bij de deurwaarder. Bel ons even. ^Joost", "openstaande rekening"),
    ("nl", "Beste heer Smit, ik zie in uw dossier dat de chemokuur de reden van uw verzuim is. Karin", "zie ik in uw dossier"),
    ("nl", "Hoi Dirk, je hebt een betalingsachterstand, dus we hebben de levering gestopt. ^Eva", "betalingsachterstand"),
    ("en", "Hi Grace, your arrears were passed to our debt collection partner last week. ^Eve", "arrears"),
    ("en", "Hi Liam, I can see on your account that the surgery claim was turned down. ^Karin", "see on your account"),
])
def test_privacy_naming_debt_health_or_account_details_in_public_is_critical(lang, reply, detail):
    findings = _privacy(reply, ReplyContext(language=lang, medium="instagram_comment"))
    assert findings and all(f.severity is Severity.critical for f in findings)
    assert {f.rule for f in findings} == {privacy.SENSITIVE_IN_PUBLIC}
    assert _privacy(reply, ReplyContext(language=lang, medium="instagram_dm")) == []


@pytest.mark.parametrize("lang, reply", [
    ("nl", "Hoi Wendy, het is niet jouw schuld dat de levering mislukte; ik stuur vandaag een nieuwe. ^Eva"),
    ("nl", "Door de drukte hebben we een achterstand in het verwerken van aanvragen. Je hoort vrijdag van ons. ^Joost"),
    ("nl", "Kijk in je account bij 'Facturen', daar staat je saldo. Lukt het niet? Stuur ons een DM. ^Eva"),
    ("en", "It's not your fault the delivery failed; I'll send a new one today. ^Eve"),
    ("en", "Log in to see the charges on your account, or DM us and I'll talk you through them. ^Eve"),
])
def test_privacy_blame_backlogs_and_pointing_to_the_account_are_not_sensitive(lang, reply):
    assert _privacy(reply, ReplyContext(language=lang, medium="twitter")) == []


def test_privacy_echoing_health_details_the_customer_posted_is_minor():
    context = ReplyContext(medium="facebook_comment",
                           customer_messages=["Ik lig in het ziekenhuis en kan morgen niet thuis zijn voor de monteur"])
    reply = "Hoi Ans, wat naar dat je in het ziekenhuis ligt. Ik verzet de afspraak voor je; stuur je ons een DM? ^Tom"
    (finding,) = _privacy(reply, context)
    assert finding.rule == privacy.SENSITIVE_IN_PUBLIC and finding.severity is Severity.minor


def test_privacy_the_companys_landline_may_be_published_but_a_mobile_number_not():
    company = "Beste mevrouw Jansen, wilt u contact met ons opnemen via 030 765 4321? Met vriendelijke groet, Karin"
    assert _privacy(company, ReplyContext(medium="review")) == []
    mobile = "Beste mevrouw Jansen, we bellen u op 06 2345 6789 terug. Met vriendelijke groet, Karin"
    assert _rules(_privacy(mobile, ReplyContext(medium="review"))) == [privacy.REPEATS_IN_PUBLIC]


def test_privacy_a_landline_the_customer_gave_is_theirs():
    context = ReplyContext(medium="twitter", customer_messages=["Bel me vanavond op 020 - 612 34 56"])
    (finding,) = [f for f in _privacy("Hoi! We bellen je vanavond op 020 612 3456. ^Eva", context)
                  if f.rule == privacy.REPEATS_IN_PUBLIC]
    assert finding.severity is Severity.critical


def test_privacy_customer_who_posted_their_number_should_be_moved_to_private():
    context = ReplyContext(medium="twitter", customer_messages=["@Telvia al 3 dagen geen internet! Bel me: 06-12345678"])
    silent = "Wat vervelend dat je al drie dagen zonder internet zit! We lossen het op. ^Tom"
    (finding,) = _privacy(silent, context)
    assert finding.rule == privacy.CUSTOMER_SHARED_PUBLICLY and finding.severity is Severity.minor
    assert "het telefoonnummer" in finding.message and "verwijderen" in finding.message
    moved = "Wat vervelend! Haal je tweet met je nummer even weg? Ik stuur je een DM en bel je daarna. ^Tom"
    assert _privacy(moved, context) == []


def test_privacy_feedback_follows_the_trainee_language():
    context = ReplyContext(language="nl", feedback_language="en", medium="twitter")
    (finding,) = _privacy("Wat is je telefoonnummer? ^Eva", context)
    assert "You ask for the phone number" in finding.message
    assert "X direct message" in finding.suggestion


def test_privacy_english_reply_asking_in_public_is_critical():
    context = ReplyContext(language="en", medium="instagram_comment")
    (finding,) = _privacy("So sorry! What's your email address? We'll resend it.", context)
    assert finding.severity is Severity.critical
    assert "Instagram DM" in finding.suggestion


# --- requests however they are phrased ------------------------------------------------------

_REQUESTS = [
    ("nl", "Tik je postcode en huisnummer even hieronder, dan zoek ik uit of er werk in de straat is. ^Noor"),
    ("nl", "Hoi Kim, vermeld je polisnummer gerust in een reactie, dan kijk ik mee. ^Karin"),
    ("nl", "Mag ik je geboortedatum? Dan vind ik je aanvraag sneller terug. ^Gemeente Waterland"),
    ("nl", "U kunt uw klantnummer hieronder plaatsen; ik kijk er vandaag nog naar. ^Energiek"),
    ("nl", "Zou je je bankrekeningnummer hier willen delen? Dan maken we het bedrag over. ^Fleur"),
    ("nl", "Noem je ordernummer onder deze post, dan stuur ik je straks een privébericht. ^Bram"),
    ("nl", "Wij hebben je telefoonnummer en adres nodig om een monteur te sturen. ^Tom"),
    ("nl", "Bevestig je pincode even, dan zet ik je pas weer aan. ^Spaarbank"),
    ("en", "Type your house number and postcode below, then I'll check for roadworks in your street. ^Noor"),
    ("en", "Feel free to mention your policy number in a reply and I'll take a look. ^Karin"),
    ("en", "May I have your date of birth? Then I can find your application faster. ^Waterland"),
    ("en", "Share your account number here and we'll get the refund sorted. ^Flo"),
    ("en", "Post your order number under this tweet, then I'll send you a private message later. ^Ben"),
    ("en", "We'd need your phone number and address to send an engineer. ^Tom"),
]

_NOT_REQUESTS = [
    ("nl", "Je polisnummer staat bovenaan je polisblad. Stuur ons gerust een DM als je het niet vindt. ^Karin"),
    ("nl", "Ik heb je klantnummer aan de monteur doorgegeven; hij belt je morgen voor 10.00 uur. ^Tom"),
    ("nl", "Vul je postcode en huisnummer in op onze website, dan zie je meteen of er werk is. ^Noor"),
    ("nl", "Zet je telefoonnummer nooit in een openbare reactie. Ik stuur je een DM. ^Eva"),
    ("nl", "Je kunt je ordernummer terugvinden in je bevestigingsmail. ^Bram"),
    ("nl", "Stuur je adres hier liever niet, maar via een privébericht. ^Tom"),
    ("en", "Your policy number is at the top of your policy document. Feel free to DM us if you can't find it. ^Karin"),
    ("en", "I've passed your customer number to the engineer; he'll call you before 10am tomorrow. ^Tom"),
    ("en", "Don't post your phone number in a public reply. I'll send you a DM. ^Eve"),
    ("en", "Could you send us a DM with your account number? I'll sort the refund today. ^Flo"),
]


@pytest.mark.parametrize("lang, reply", _REQUESTS)
def test_privacy_a_request_for_data_in_public_is_critical_however_phrased(lang, reply):
    findings = _privacy(reply, ReplyContext(language=lang, medium="facebook_comment"))
    assert [(f.rule, f.severity) for f in findings] == [(privacy.ASKS_IN_PUBLIC, Severity.critical)]
    assert _privacy(reply, ReplyContext(language=lang, medium="messenger")) == []


@pytest.mark.parametrize("lang, reply", _NOT_REQUESTS)
def test_privacy_pointing_to_data_warning_or_moving_private_is_not_a_public_request(lang, reply):
    assert _privacy(reply, ReplyContext(language=lang, medium="twitter")) == []


def test_privacy_a_request_that_says_where_in_public_is_not_saved_by_a_later_dm():
    reply = "Laat je klantnummer hieronder achter. Daarna stuur ik je een DM. ^Eva"
    (finding,) = _privacy(reply, ReplyContext(medium="twitter"))
    assert reply[finding.span[0]: finding.span[1]] == "Laat je klantnummer hieronder achter."
    moved = "Laat je klantnummer even achter in een DM. Daarna bel ik je. ^Eva"
    assert _privacy(moved, ReplyContext(medium="twitter")) == []


@pytest.mark.parametrize("lang, reply, data", [
    ("nl", "Wat zijn je postcode, je geboortedatum en je IBAN? ^Eva", "het adres, de geboortedatum en het rekeningnummer"),
    ("en", "What are your postcode and date of birth? ^Eve", "the address and the date of birth"),
])
def test_privacy_several_kinds_asked_for_are_named_in_one_sentence(lang, reply, data):
    (finding,) = _privacy(reply, ReplyContext(language=lang, medium="twitter"))
    assert data in finding.message


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_privacy_every_rule_has_a_message_in_both_languages(lang):
    for rule in privacy.RULES:
        assert rule in messages(lang).rules, f"{rule} has no message in content/messages/{lang}/privacy.yaml"


def test_privacy_both_cue_files_describe_every_kind_of_data():
    assert set(privacy.privacy_cues("nl").data_types) == set(privacy.privacy_cues("en").data_types)


def test_privacy_a_mistake_in_the_cue_file_names_file_and_line(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "privacy" / "nl.yaml"
    text = path.read_text(encoding="utf-8").replace("private_move:\n  phrases:", "private_move:\n  frases: [x]\n  phrases:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        privacy.privacy_cues("nl", tmp_path / "content")
    error = raised.value.errors[0]
    assert error.location == "private_move -> frases"
    assert error.line == text.splitlines().index("  frases: [x]") + 1
    assert f"privacy/nl.yaml:{error.line} [private_move -> frases]" in str(error)


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


def test_privacy_no_better_reply_of_the_judged_pairs_gets_a_privacy_finding():
    flagged = [(pair["id"], [f.message for f in findings])
               for lang, pair in _judged_pairs()
               if (findings := _privacy(pair["better"], _pair_context(lang, pair)))]
    assert flagged == []


def test_privacy_every_worse_reply_of_a_judged_privacy_pair_is_caught():
    pairs = [(lang, pair) for lang, pair in _judged_pairs() if pair.get("aspect") == "privacy"]
    assert len(pairs) >= 10
    missed = [pair["id"] for lang, pair in pairs if not _privacy(pair["worse"], _pair_context(lang, pair))]
    assert missed == []


def test_privacy_an_unknown_kind_of_data_is_named_with_its_line(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "privacy" / "en.yaml"
    text = path.read_text(encoding="utf-8").replace("  booking_code:\n", "  shoe_size:\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        privacy.privacy_cues("en", tmp_path / "content")
    (error,) = raised.value.errors
    assert error.location == "data_types -> shoe_size -> [key]"
    assert error.line == text.splitlines().index("  shoe_size:") + 1
    assert "booking_code" in error.message


def test_privacy_a_missing_kind_of_data_is_named(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "privacy" / "nl.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("  bsn:")
    end = lines.index("  date_of_birth:")
    path.write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        privacy.privacy_cues("nl", tmp_path / "content")
    (error,) = raised.value.errors
    assert error.location == "data_types" and "bsn" in error.message
