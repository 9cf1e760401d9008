"""Spelling against the real LanguageTool server."""

import re
import shutil

import pytest

from scoring.split_compounds import is_split_compound
from scoring import ReplyContext, score_reply
from scoring.config import messages, scoring_config
from scoring.contentfile import ContentInvalid, content_dir
from scoring.dimensions.spelling import advice, is_dt_swap, trim_shared_words
from scoring.languagetool import GrammarMatch

# Dutch "u"/"uw" addressing; the app says "je".
FORMAL_ADDRESS = re.compile(r"\b[Uu]w?\b")
QUOTED = re.compile(r"'[^']*'")


@pytest.mark.parametrize(
    "reply, wrong, right",
    [
        ("Ik word morgen gebelt.", "gebelt", "gebeld"),
        ("Je wordt morgen door ons gebelt.", "gebelt", "gebeld"),
        ("Hij vind het niet leuk.", "vind", "vindt"),
    ],
)
def test_spelling_catches_dutch_dt_errors_and_names_the_fix(reply, wrong, right, grammar_checker):
    card = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"), checker=grammar_checker)
    findings = card.dimensions["spelling"].findings
    assert findings, "LanguageTool should have flagged the d/t error"
    (finding,) = [f for f in findings if wrong in reply[f.span[0]: f.span[1]]]
    assert finding.message == f"d/t-fout: '{wrong}' moet '{right}' zijn."
    assert finding.suggestion == right  # the corrected word alone, for the JSON; the scorecard shows the message
    assert card.dimensions["spelling"].score < 100


# Real webcare replies with the errors trainees make, what LanguageTool flags in them (the
# words the message must name) and the fix the message must name.
DUTCH = [
    ("Hoi Sanne, je wordt morgen gebelt door een collega.", "gebelt", "gebeld"),
    ("Hij vind het heel vervelend dat je koffer kwijt is.", "vind", "vindt"),
    ("Wij zorgen dat het pakket morgen word bezorgd.", "word", "wordt"),
    ("Je pakket word morgen bezorgd.", "word", "wordt"),
    ("Wordt je al geholpen door een collega?", "Wordt", "Word"),
    ("Ik begrijp dat je het niet leuk vind.", "vind", "vindt"),
    ("Dat is gebeurt op de verkeerde dag.", "gebeurt", "gebeurd"),
    ("Ik vindt het heel vervelend voor je.", "vindt", "vind"),
    ("Dat geld voor alle klanten met een abonnement.", "geld", "geldt"),
    ("Hun hebben de bestelling al verstuurd.", "Hun", "Zij"),
    ("Ik zoek het het voor je uit.", "het het", "het"),
    ("We verwerken je bestelling zo spoedig mogenlijk.", "mogenlijk", "mogelijk"),
    ("Excuses voor het ongemak, ik begrijp je frustatie.", "frustatie", "frustratie"),
    ("Ik heb je vraag doorgestuurd naar de afdelling.", "afdelling", "afdeling"),
    ("Ik heb het voor je genoteert.", "genoteert", "genoteerd"),
    ("Heb je de mail ontvangen die ik je gestuurd heb ?", "heb ?", "heb?"),
    ("Ik stuur je een email met de details.", "email", "e-mail"),
    ("Het formulier die je hebt ingevuld is binnen.", "die", "dat"),
    ("De monteur belt je van te voren.", "te voren", "tevoren"),
    ("Dankje wel voor je geduld!", "Dankje", "Dank je"),
    ("Hij is groter als mij.", "als mij", "dan ik"),
]

ENGLISH = [
    ("Hi Sam, we will call you tomorow about your order.", "tomorow", "tomorrow"),
    ("Its not what we want for our customers.", "Its", "It's"),
    ("The parcel is on it's way to you.", "it's", "its"),
    ("We are sorry their was a delay.", "their", "there"),
    ("Your welcome, have a nice day!", "Your", "You're"),
    ("Thank you for you patience.", "you", "your"),
    ("We could of sent it sooner.", "of", "have"),
    # our own English rules (content/languagetool/org/languagetool/rules/en/)
    ("Happy to help, and your welcome to message us again.", "your", "you're"),
    ("The engineer needs longer then planned, sorry.", "then", "than"),
    ("We've past it on to the delivery team.", "past", "passed"),
    ("i will look into this for you.", "i", "I"),
    ("Sorry for the the inconvenience.", "the the", "the"),
    ("We have send you an email with the details.", "send", "sent"),
    ("Sorry for the inconvienence.", "inconvienence", "inconvenience"),
    ("He dont know the answer yet.", "dont", "don't"),
]


def _finding_for(reply, wrong, language, feedback_language, checker):
    card = score_reply(reply, ReplyContext(language=language, feedback_language=feedback_language, medium="whatsapp"),
                       checker=checker)
    findings = card.dimensions["spelling"].findings
    named = [f for f in findings if f"'{wrong}'" in f.message]
    assert len(named) == 1, f"no single finding names '{wrong}': {[f.message for f in findings]}"
    return named[0]


def _assert_reads_well(message: str, wrong: str, right: str, feedback_language: str) -> None:
    assert message.count(f"'{wrong}'") == 1, f"the flagged words are named twice: {message}"
    assert f"'{right}'" in message, f"the message does not name the fix: {message}"
    if feedback_language == "nl":
        ours = QUOTED.sub("", message)  # the reply's own words may be quoted; our text says "je"
        assert not FORMAL_ADDRESS.search(ours), f"addresses the trainee with u: {message}"


@pytest.mark.parametrize("feedback_language", ["nl", "en"])
@pytest.mark.parametrize("reply, wrong, right", DUTCH)
def test_spelling_dutch_findings_name_the_fix_once_and_say_je(reply, wrong, right, feedback_language, grammar_checker):
    finding = _finding_for(reply, wrong, "nl", feedback_language, grammar_checker)
    _assert_reads_well(finding.message, wrong, right, feedback_language)
    assert "bedoelt" not in finding.message and "Misschien" not in finding.message, "LanguageTool's own text"


@pytest.mark.parametrize("feedback_language", ["en", "nl"])
@pytest.mark.parametrize("reply, wrong, right", ENGLISH)
def test_spelling_english_findings_name_the_fix_once(reply, wrong, right, feedback_language, grammar_checker):
    finding = _finding_for(reply, wrong, "en", feedback_language, grammar_checker)
    _assert_reads_well(finding.message, wrong, right, feedback_language)
    assert "Did you mean" not in finding.message, "LanguageTool's own text"


@pytest.mark.parametrize(
    "reply, wrong, explanation",
    [
        ("Hun hebben de bestelling al verstuurd.", "Hun", "nooit het onderwerp"),
        ("Wordt je al geholpen door een collega?", "Wordt", "valt de t weg"),
        ("Het formulier die je hebt ingevuld is binnen.", "die", "het-woord"),
        ("Wij zorgen dat het pakket morgen word bezorgd.", "word", "zonder t alleen na 'ik'"),
    ],
)
def test_spelling_rules_with_our_explanation_say_why(reply, wrong, explanation, grammar_checker):
    finding = _finding_for(reply, wrong, "nl", "nl", grammar_checker)
    assert explanation in finding.message


def test_spelling_dictionary_miss_offers_the_alternatives(grammar_checker):
    # LanguageTool's first suggestion is 'incontinence': "moet ... zijn" would be wrong here.
    finding = _finding_for("Sorry for the inconvienence.", "inconvienence", "en", "nl", grammar_checker)
    assert finding.message == "'inconvienence' staat niet in het woordenboek: bedoel je 'incontinence' of 'inconvenience'?"


def test_spelling_word_without_suggestion_still_gets_our_text(grammar_checker):
    finding = _finding_for("Wij hebben het xqzrtplk opgelost.", "xqzrtplk", "nl", "nl", grammar_checker)
    assert finding.message == "'xqzrtplk' is waarschijnlijk verkeerd gespeld."


def test_spelling_points_span_and_rule_follow_languagetool(grammar_checker):
    reply = "Hoi, je wordt morgen gebeld door de monteurr. Hun hebben het al verstuurd."
    card = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"), checker=grammar_checker)
    check = grammar_checker.check(reply, "nl")
    findings = card.dimensions["spelling"].findings
    assert [f.span for f in findings] == [(m.offset, m.offset + m.length) for m in check.matches]
    assert [f.rule for f in findings] == ["spelling.typo", "spelling.grammar"]
    typo, grammar = findings
    assert grammar.points == pytest.approx(typo.points * 1.5, abs=0.1)


@pytest.mark.parametrize("language, reply, mark", [
    ("nl", "Hoi Sanne, je pakket komt morgen tussen 9 en 12 uur. We doen ons best hoor. ^Lisa", "best hoor"),
    ("nl", "Hoi Sanne, je pakket komt morgen tussen 9 en 12 uur .Fijn weekend! ^Lisa", " ."),
    ("en", "Hi Sam, your parcel arrives tomorrow between 9 and 12 .Have a nice weekend! ^Lisa", " ."),
])
def test_spelling_punctuation_weighs_half_a_typo_and_does_not_fail_a_tweet(language, reply, mark, grammar_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="twitter"), checker=grammar_checker)
    (finding,) = [f for f in card.dimensions["spelling"].findings if f.points > 0]
    assert finding.rule == "spelling.punctuation"
    assert abs(finding.span[0] - reply.index(mark)) <= len(mark) + 1  # at the punctuation, not elsewhere
    words = sum(1 for w in reply.split() if w.isalpha())
    rules = scoring_config().spelling
    typo = rules.points_per_error_per_100_words * 100 / max(words, rules.min_words)
    assert finding.points == pytest.approx(typo * rules.punctuation_weight, abs=0.2)
    assert card.dimensions["spelling"].score >= scoring_config().dimension_minimum["spelling"]


@pytest.mark.parametrize("language, reply, word", [
    ("nl", "Beste heer Hermans, de container wordt donderdag vervangen. Met vriendelijke groet, Gemeente Waterland", "Gemeente"),
    ("nl", "Beste mevrouw Özdemir, uw vlucht SK2210 van 18 juli is vervallen. U kunt omboeken.", "SK2210"),
    ("en", "The storm last night led to a power cut in your area. The network operator expects to fix it by 17:00. ^Marit", "Marit"),
    ("en", "Thanks for the details. I've found your booking and moved you to the 07:45 flight tomorrow. ^Joep", "Joep"),
    ("en", "I can see your card is stuck in the cash machine in Hoorn. I've blocked it and a new card is on its way.", "Hoorn"),
    ("nl", "Wordt je toestel niet herkend door de laptop? Probeer dan even een andere usb-kabel. ^Kevin", "usb-kabel"),
    ("nl", "Gebruik je een vpn-verbinding? Die kan soms de toegang tot onze site blokkeren.", "vpn-verbinding"),
])
def test_spelling_leaves_sign_offs_codes_and_dutch_places_alone(language, reply, word, grammar_checker):
    check = grammar_checker.check(reply, language)
    assert any(reply[m.offset:m.offset + m.length] == word for m in check.matches), "LanguageTool flags it itself"
    card = score_reply(reply, ReplyContext(language=language, medium="email"), checker=grammar_checker)
    assert card.dimensions["spelling"].findings == []


@pytest.mark.parametrize("reply, typo", [
    ("I can see your card is stuck in the cash machine in hoorn. I've blocked it for you. ^Karim", "hoorn"),
    ("Your new SIM is on its way and you'll recieve it by Thursday. ^Tom", "recieve"),
    ("I've blocked your card. ^Karim will call you tomorow", "tomorow"),
])
def test_spelling_a_name_list_does_not_hide_typos(reply, typo, grammar_checker):
    card = score_reply(reply, ReplyContext(language="en", medium="twitter"), checker=grammar_checker)
    assert [reply[f.span[0]:f.span[1]] for f in card.dimensions["spelling"].findings] == [typo]


@pytest.mark.parametrize("reply, typo", [
    ("Probeer dan even een andere usb-kabl, dan herkent de laptop je toestel wel.", "usb-kabl"),
    ("Gebruik je een vnp-verbinding? Die kan de toegang tot onze site blokkeren.", "vnp-verbinding"),
])
def test_spelling_a_hyphenated_word_with_a_misspelled_part_stays_a_typo(reply, typo, grammar_checker):
    card = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"), checker=grammar_checker)
    assert [reply[f.span[0]:f.span[1]] for f in card.dimensions["spelling"].findings] == [typo]


def test_spelling_no_comma_needed_before_and_in_english(grammar_checker):
    reply = "Your card has been blocked and a new one will arrive within three working days. Kind regards, Spaarbank"
    assert {m.rule for m in grammar_checker.check(reply, "en").matches} & {"COMMA_COMPOUND_SENTENCE", "COMMA_COMPOUND_SENTENCE_2"}
    card = score_reply(reply, ReplyContext(language="en", medium="email"), checker=grammar_checker)
    assert card.dimensions["spelling"].findings == []


def test_spelling_a_typo_before_the_sign_off_still_counts(grammar_checker):
    reply = "Beste heer Hermans, de contianer wordt donderdag vervangen. Met vriendelijke groet, Gemeente Waterland"
    card = score_reply(reply, ReplyContext(language="nl", medium="email"), checker=grammar_checker)
    assert [reply[f.span[0]:f.span[1]] for f in card.dimensions["spelling"].findings] == ["contianer"]


def test_spelling_punctuation_rules_read_patterns_and_categories():
    rules = scoring_config().spelling
    assert rules.is_punctuation("KOMMA_HOOR", "OVERIG") and rules.is_punctuation("X", "TYPOGRAPHY")
    assert not rules.is_punctuation("WEBCARE_DT_DEELWOORD", "WEBCARE")
    assert not rules.is_punctuation("KOMMA", "GRAMMAR")  # 'KOMMA_*' needs the underscore


@pytest.mark.parametrize("wrong_form", ["gebelt", "doorgestuurt", "ingevult"])
def test_spelling_dt_dictionary_miss_weighs_as_grammar(wrong_form, grammar_checker):
    # LanguageTool finds 'doorgestuurt' as a dictionary miss; it is the d/t verb-form error all the same.
    reply = f"Hoi, het is {wrong_form} door de monteurr."
    findings = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"),
                           checker=grammar_checker).dimensions["spelling"].findings
    by_word = {reply[f.span[0]:f.span[1]].split()[0]: f for f in findings}
    assert by_word[wrong_form].rule == "spelling.grammar"
    assert by_word["monteurr."[:-1]].rule == "spelling.typo"
    assert by_word[wrong_form].points == pytest.approx(by_word["monteurr"].points * 1.5, abs=0.1)
    assert "d/t" in by_word[wrong_form].message


def test_spelling_one_dt_error_fails_a_tweet_but_not_a_long_email(grammar_checker):
    tweet = "Hoi Sanne, je pakket word morgen tussen 9 en 13 uur bezorgd. Je krijgt vanavond een mail. ^Mark"
    card = score_reply(tweet, ReplyContext(language="nl", medium="twitter", customer_messages=["Wanneer komt mijn pakket?"]),
                       checker=grammar_checker)
    assert not card.passed and any("spelling" in note.lower() for note in card.notes)
    fixed = score_reply(tweet.replace("word ", "wordt "), ReplyContext(
        language="nl", medium="twitter", customer_messages=["Wanneer komt mijn pakket?"]), checker=grammar_checker)
    assert fixed.passed


def _grammar_match(message: str, replacements: tuple[str, ...] = ()) -> GrammarMatch:
    return GrammarMatch(rule="SOME_RULE_WE_DO_NOT_EXPLAIN", category="GRAMMAR", offset=0, length=9,
                        message=message, replacements=replacements, is_spelling=False)


@pytest.mark.parametrize(
    "detail, reply_language, feedback_language, expected",
    [
        # LanguageTool's Dutch says "u": never shown.
        ("Bedoelt u hier een bijzin?", "nl", "nl", "'zo gezegd' klopt hier waarschijnlijk niet: lees de zin nog eens na."),
        # In the reply's language, not the trainee's: not shown either.
        ("Check the verb form here.", "en", "nl", "'zo gezegd' klopt hier waarschijnlijk niet: lees de zin nog eens na."),
        # Safe, and it does not name the words: ours first, then LanguageTool's.
        ("Hier ontbreekt een werkwoord.", "nl", "nl", "'zo gezegd': Hier ontbreekt een werkwoord."),
        # Safe and it names the words itself: shown once, alone.
        ("'zo gezegd' staat hier los in de zin.", "nl", "nl", "'zo gezegd' staat hier los in de zin."),
    ],
)
def test_spelling_languagetool_text_is_shown_only_when_safe(detail, reply_language, feedback_language, expected):
    text = advice(_grammar_match(detail), "zo gezegd", messages(feedback_language),
                  reply_language=reply_language, trainee_language=feedback_language)
    assert text == expected


@pytest.mark.parametrize(
    "flagged, replacement, wrong, right",
    [
        ("gebelt door", "gebeld door", "gebelt", "gebeld"),
        ("en hij vind het", "en hij vindt het", "vind", "vindt"),
        ("van te voren", "van tevoren", "te voren", "tevoren"),
        ("het het", "het", "het het", "het"),  # never trimmed to nothing
        ("Dankje", "Dank je", "Dankje", "Dank je"),
    ],
)
def test_spelling_trims_the_words_languagetool_shows_for_context(flagged, replacement, wrong, right):
    assert trim_shared_words(flagged, replacement) == (wrong, right)


@pytest.mark.parametrize(
    "wrong, right, swap",
    [("gebelt", "gebeld", True), ("vind", "vindt", True), ("Wordt", "Word", True), ("email", "e-mail", False),
     ("dat", "wat", False), ("Hun", "Zij", False)],
)
def test_spelling_knows_a_dt_swap(wrong, right, swap):
    assert is_dt_swap(wrong, right) is swap


def test_spelling_dutch_and_english_explain_the_same_languagetool_rules():
    assert messages("nl").languagetool.explain.keys() == messages("en").languagetool.explain.keys()


@pytest.fixture
def content_copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(content_dir() / "messages", root / "messages")
    return root


@pytest.mark.parametrize(
    "old, new, code, location",
    [
        ("HUN_HEBBEN: spelling.hun_as_subject", "HUN_HEBBEN: spelling.hun_is_subject", "E204",
         "languagetool -> explain -> HUN_HEBBEN"),
        ("zijn: 'hun' is nooit", "zijn: {reden} is nooit", "E205", "languagetool -> explain -> HUN_HEBBEN"),
    ],
)
def test_spelling_texts_are_validated_at_load_with_file_and_line(content_copy, old, new, code, location):
    path = content_copy / "messages" / "nl" / "spelling.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        messages("nl", content_copy)
    (error,) = raised.value.errors
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith("HUN_HEBBEN:"))
    assert (error.code, error.location, error.line) == (code, location, line)
    assert error.path.endswith("messages/nl/spelling.yaml")


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


@pytest.mark.parametrize("reply, written, joined", [
    ("Heeft u een reis verzekering afgesloten? Dan vergoeden wij de kosten.", "reis verzekering", "reisverzekering"),
    ("Het bezorg moment zie je vanaf morgen in de app.", "bezorg moment", "bezorgmoment"),
    ("Je jaar afrekening komt binnen zes weken.", "jaar afrekening", "jaarafrekening"),
])
def test_spelling_finds_a_split_compound_no_list_holds(reply, written, joined, grammar_checker):
    card = score_reply(reply, ReplyContext(language="nl", medium="email"), checker=grammar_checker)
    (finding,) = card.dimensions["spelling"].findings
    assert reply[finding.span[0]:finding.span[1]] == written
    assert finding.rule == "spelling.grammar" and joined in finding.message


@pytest.mark.parametrize("reply", [
    "Heeft de monteur morgen tijd? Dan plan ik hem voor je in.",   # monteurtijd is no word
    "Welke maat schoenen heb je besteld? Dan ruil ik ze om.",      # maatschoenen: too rare
    "Via social media houden we je op de hoogte van de storing.",  # an English phrase
    "Nee hoor, als je thuis zit kan de monteur gewoon langskomen.",  # an interjection, a verb
    "Ik reis morgen mee met de eerste trein, dan kan ik het zelf zien.",
])
def test_spelling_leaves_noun_pairs_that_are_no_compound_alone(reply, grammar_checker):
    card = score_reply(reply, ReplyContext(language="nl", medium="email"), checker=grammar_checker)
    assert card.dimensions["spelling"].findings == []


def test_split_compound_needs_the_joined_word_in_use():
    assert is_split_compound("reis verzekering", "reisverzekering", min_zipf=1.3)
    assert not is_split_compound("monteur tijd", "monteurtijd", min_zipf=1.3)
    assert not is_split_compound("social media", "socialmedia", min_zipf=1.3)
    assert not is_split_compound("reis verzekering", "reisverzekeringen", min_zipf=1.3)  # not the same words


@pytest.mark.parametrize("word, known", [
    ("usb-kabel", True),          # hyphenated common parts
    ("usb-kabl", False),          # a misspelled part stays a typo
    ("Spoorwijzer-app", True),    # a name, a hyphen and a common word
    ("Spoorwijzer-apq", False),
    ("MijnEnergiek", True),       # a capital inside: a product name
    ("bezorgkluis", True),        # two common Dutch words written together
    ("betalingskenmerk", True),   # ... with a linking s
    ("bezorgmomnet", False),
    ("klantnumer", False),
    ("vandag", False),            # 'van' + 'dag': parts under four letters do not count
    ("mischien", False),
])
def test_known_compound_is_built_from_known_words(word, known):
    from scoring.split_compounds import is_known_compound

    assert is_known_compound(word, min_zipf=3.0) is known


def test_spelling_a_new_compound_or_product_name_is_no_typo_but_a_typo_beside_it_is(grammar_checker):
    reply = "Je vindt de code in de Spoorwijzer-app en op MijnEnergiek; de bezorgkluis staat bij de ingnag."
    card = score_reply(reply, ReplyContext(language="nl", medium="whatsapp"), checker=grammar_checker)
    assert [reply[f.span[0]:f.span[1]] for f in card.dimensions["spelling"].findings] == ["ingnag"]
