from __future__ import annotations

import pytest

from scoring import ReplyContext, Severity, score_reply
from scoring.config import messages
from scoring.contentfile import ContentInvalid
from scoring.cues import tone_cues
from scoring.rubric import RULES as RUBRIC_RULES

COMPLAINT_NL = ["Mijn vlucht is geannuleerd en niemand helpt me!"]
COMPLAINT_EN = ["My flight was cancelled and nobody is helping me!"]

GOOD_NL = ("Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Sorry hiervoor. Ik zoek het direct voor je uit: "
           "stuur je me een DM met je gegevens? ^Lisa")
GOOD_EN = ("Hi Sam, so sorry to hear your flight was cancelled! I'll look into it right away: "
           "could you send me a DM? ^Lisa")


def _tone(reply, checker, **context):
    card = score_reply(reply, ReplyContext(**context), checker=checker)
    return card, card.dimensions["tone"]


def _rules(dimension):
    return [f.rule for f in dimension.findings]


@pytest.mark.parametrize(
    "language, reply, customer, name",
    [("nl", GOOD_NL, COMPLAINT_NL, "Sanne de Vries"), ("en", GOOD_EN, COMPLAINT_EN, "Sam Smith")],
)
def test_tone_a_warm_complete_reply_keeps_every_point(language, reply, customer, name, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, customer_messages=customer, customer_name=name, agent_name="Lisa")
    assert tone.version == "tone.v2"
    assert tone.findings == []
    assert tone.score == 100


def test_tone_every_point_lost_is_a_finding(offline_checker):
    card, tone = _tone("Conform onze voorwaarden kan dat niet.", offline_checker, customer_messages=COMPLAINT_NL)
    assert tone.score == pytest.approx(max(0, 100 - sum(f.points for f in tone.findings)))
    # one finding per problem: a rule folded into another finding of the same problem is in its `also`
    told = {rule for f in card.findings for rule in (f.rule, *f.also)}
    assert {"tone.defensive_policy", "tone.no_empathy", "tone.no_apology", "tone.no_greeting"} <= told


@pytest.mark.parametrize(
    "language, customer, reply",
    [
        ("nl", COMPLAINT_NL, "Hoi, je kunt omboeken in de app. Laat je het me weten? ^Lisa"),
        ("en", COMPLAINT_EN, "Hi, you can rebook in the app. Let me know? ^Lisa"),
    ],
)
def test_tone_empathy_and_apology_are_due_when_the_customer_complains(language, customer, reply, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, customer_messages=customer)
    findings = {f.rule: f for f in tone.findings}
    assert findings["tone.no_empathy"].severity is Severity.minor
    assert findings["tone.no_empathy"].span == (0, len(reply))
    assert "tone.no_apology" in findings
    assert "tone.no_thanks" not in findings, "to a complaint, empathy comes first"


def test_tone_without_a_customer_message_no_apology_or_empathy_is_demanded(offline_checker):
    reply = "Hoi, je kunt omboeken in de app. Laat je het me weten? ^Lisa"
    _, tone = _tone(reply, offline_checker)
    assert not {"tone.no_empathy", "tone.no_apology", "tone.no_thanks"} & set(_rules(tone))
    assert tone.score == 100


def test_tone_a_negative_customer_without_a_service_failure_needs_empathy_not_an_apology(offline_checker):
    reply = "Hoi, dank voor je reactie. Ik geef het door aan mijn collega's. Laat je het weten als je meer ideeën hebt? ^Lisa"
    _, tone = _tone(reply, offline_checker, customer_messages=["Jullie nieuwe logo is echt heel lelijk."])
    rules = _rules(tone)
    assert "tone.no_empathy" in rules
    assert "tone.no_apology" not in rules


@pytest.mark.parametrize(
    "language, customer, without, with_thanks",
    [
        ("nl", "Super geholpen door jullie collega op Schiphol, top!", "Hoi, wat leuk om te horen! Ik geef het aan haar door. ^Lisa",
         "Hoi, bedankt voor je compliment! Ik geef het aan haar door. ^Lisa"),
        ("en", "Your colleague at the gate was brilliant, great service!", "Hi, lovely to hear! I'll pass it on to her. ^Lisa",
         "Hi, thanks so much for your kind words! I'll pass it on to her. ^Lisa"),
    ],
)
def test_tone_thanks_is_due_when_the_customer_is_positive(language, customer, without, with_thanks, offline_checker):
    _, tone = _tone(without, offline_checker, language=language, customer_messages=[customer])
    assert "tone.no_thanks" in _rules(tone)
    _, tone = _tone(with_thanks, offline_checker, language=language, customer_messages=[customer])
    assert "tone.no_thanks" not in _rules(tone)


@pytest.mark.parametrize(
    "language, customer, reply",
    [
        # thanks that asks a question: the answer comes first
        ("nl", "Dank je! En moet ik de oude pas nog ergens inleveren?",
         "Hoi, nee, die mag je zelf doorknippen. Laat je het weten als er iets misgaat? ^Lisa"),
        ("en", "Thanks! And do I need to return the old card somewhere?",
         "Hi, no, you can cut it up yourself. Let me know if anything goes wrong? ^Lisa"),
        # "nee, dank je" and "thanks for nothing" refuse or mock: nothing to thank for
        ("nl", "Nee, dank je. Ik wil gewoon opzeggen.", "Hoi, helder: ik zeg je abonnement per 1 mei op. Laat je het weten? ^Lisa"),
        ("en", "Same answer as yesterday. Thanks for nothing.",
         "Hi, you're right, sorry. I'll pass it to our claims team now: they decide within 3 days. Let me know? ^Lisa"),
        # irony inside a complaint: "Bedankt hoor!!" after a missed job interview
        ("nl", "Sollicitatiegesprek misgelopen, 45 minuten stilgestaan en geen info. Bedankt hoor!!",
         "Hoi, wat zuur, sorry! Je krijgt de helft van je ritprijs terug via de site. Laat je het weten? ^Lisa"),
    ],
)
def test_tone_thanks_back_is_not_owed_to_a_question_a_refusal_or_irony(language, customer, reply, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, customer_messages=[customer])
    assert "tone.no_thanks" not in _rules(tone)


@pytest.mark.parametrize(
    "language, customer, welcome",
    [("nl", "Top, het werkt weer. Bedankt!", "Graag gedaan! Fijne avond nog. ^Lisa"),
     ("en", "Perfect, thank you!", "You're welcome! Have a lovely evening. ^Lisa")],
)
def test_tone_thanks_that_asks_nothing_is_answered_by_a_welcome(language, customer, welcome, offline_checker):
    _, tone = _tone("Fijne avond nog. ^Lisa" if language == "nl" else "Have a lovely evening. ^Lisa", offline_checker,
                    language=language, customer_messages=[customer])
    assert "tone.no_thanks" in _rules(tone)
    _, tone = _tone(welcome, offline_checker, language=language, customer_messages=[customer])
    assert "tone.no_thanks" not in _rules(tone)


@pytest.mark.parametrize("medium, name_owed", [("whatsapp", False), ("email", True)])
def test_tone_a_chat_follow_up_needs_neither_ik_nor_the_name_again(medium, name_owed, offline_checker):
    reply = "Die stuur je gratis terug met het retourlabel uit je mail, graag voor 30 april. Succes met de verhuizing! ^Lisa"
    context = dict(medium=medium, customer_name="Hugo Dekker",
                   customer_messages=["Ik wil opzeggen, we verhuizen.", "Top. En het modem, moet ik dat terugsturen?"])
    _, first = _tone(reply, offline_checker, **context)
    assert "tone.no_personal_voice" in _rules(first), "a first reply speaks as 'ik'"
    assert {"tone.no_name", "tone.no_greeting"} & set(_rules(first)), "a first reply greets the customer by name"
    _, follow_up = _tone(reply, offline_checker, new_customer_messages=1, follow_up=True, **context)
    assert "tone.no_personal_voice" not in _rules(follow_up)
    assert ("tone.no_name" in _rules(follow_up)) is name_owed, "a letter names the customer every time"


@pytest.mark.parametrize(
    "language, customer, reply",
    [
        ("nl", "Kan ik mijn vlucht omboeken naar dinsdag?",
         "Hoi, ja: ik zet je vlucht op dinsdag voor je klaar. Laat je het weten? ^Lisa"),
        ("en", "Can I move my flight to Tuesday?", "Hi, yes: I'll set up your flight on Tuesday for you. Let me know? ^Lisa"),
    ],
)
def test_tone_a_plain_question_needs_no_thanks_empathy_or_apology(language, customer, reply, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, customer_messages=[customer])
    assert tone.findings == []


def test_tone_an_apology_also_counts_as_acknowledgement(offline_checker):
    reply = "Hoi, sorry dat je vlucht is geannuleerd. Ik zoek het voor je uit. Laat je het me weten? ^Lisa"
    _, tone = _tone(reply, offline_checker, customer_messages=COMPLAINT_NL)
    assert tone.findings == []


@pytest.mark.parametrize(
    "language, reply, rule, cue",
    [
        ("nl", "Hoi, je had je gegevens eerder moeten controleren. ^Lisa", "tone.blame", "je had je gegevens eerder moeten"),
        ("en", "Hi, you should have checked your details first. ^Lisa", "tone.blame", "you should have"),
        ("nl", "Hoi, volgens ons beleid kan ik niet omboeken. ^Lisa", "tone.defensive_policy", "volgens ons beleid"),
        ("en", "Hi, as per our policy I can't rebook you. ^Lisa", "tone.defensive_policy", "as per our policy"),
        ("nl", "Hoi, ik heb het doorgezet naar de backoffice. ^Lisa", "tone.jargon", "backoffice"),
        ("nl", "Hoi, dit valt buiten de SLA van de 2e lijn. ^Lisa", "tone.jargon", "SLA"),
        ("en", "Hi, I've raised a ticket with second line. ^Lisa", "tone.jargon", "raised a ticket"),
        ("nl", "Hoi, zoals eerder al aangegeven kan ik niet omboeken. ^Lisa", "tone.sarcasm", "zoals eerder al aangegeven"),
        ("nl", "Hoi, dat staat op de site. Succes ermee. ^Lisa", "tone.sarcasm", "Succes ermee"),
        ("en", "Hi, as previously stated I can't rebook you. ^Lisa", "tone.sarcasm", "as previously stated"),
        ("nl", "Hoi, dat is NIET de bedoeling. ^Lisa", "tone.shouting", "NIET"),
        ("nl", "Hoi, we doen ons best!!! ^Lisa", "tone.shouting", "!!!"),
        ("en", "Hi, I ALREADY TOLD YOU. ^Lisa", "tone.shouting", "ALREADY TOLD YOU"),
        ("en", "Hi, we're doing our best!!! ^Lisa", "tone.shouting", "!!!"),
    ],
)
def test_tone_penalties_highlight_the_words_that_cost_points(language, reply, rule, cue, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language)
    finding = [f for f in tone.findings if f.rule == rule][0]
    start, end = finding.span
    assert reply[start:end] == cue
    assert cue in finding.message
    assert finding.points > 0
    assert finding.suggestion


def test_tone_a_repeated_penalty_is_highlighted_every_time_but_costs_once(offline_checker):
    reply = "Hoi, ik heb een ticket aangemaakt voor de backoffice en de 2e lijn. ^Lisa"
    _, tone = _tone(reply, offline_checker)
    jargon = [f for f in tone.findings if f.rule == "tone.jargon"]
    assert [reply[slice(*f.span)] for f in jargon] == ["ticket aangemaakt", "backoffice", "2e lijn"]
    assert [f.points for f in jargon] == [10, 0, 0]


@pytest.mark.parametrize(
    "language, reply, cue",
    [("nl", "Hoi, wat een kutzooi, ik zoek het uit. ^Lisa", "kutzooi"), ("en", "Hi, damn, that's annoying. I'll sort it. ^Lisa", "damn")],
)
def test_tone_abuse_is_critical_and_fails_the_reply(language, reply, cue, offline_checker):
    card, tone = _tone(reply, offline_checker, language=language, medium="whatsapp")
    (abuse,) = [f for f in tone.findings if f.rule == "tone.abuse"]
    assert abuse.severity is Severity.critical
    assert reply[slice(*abuse.span)].lower() == cue
    assert card.passed is False


def test_tone_mixing_u_and_je_points_at_the_odd_one_out(offline_checker):
    reply = "Hoi, ik zoek het voor je uit en stuur je morgen een bericht. Heeft u nog vragen? ^Lisa"
    _, tone = _tone(reply, offline_checker, medium="twitter")
    (mixed,) = [f for f in tone.findings if f.rule.startswith("tone.address")]
    assert mixed.rule == "tone.address_mixed"
    assert reply[slice(*mixed.span)] == "u"
    assert "'u'" in mixed.message and "'je'" in mixed.message


@pytest.mark.parametrize(
    "medium, reply, wrong",
    [
        ("email", "Beste mevrouw De Vries,\n\nIk heb je boeking omgezet naar dinsdag. Laat je het me weten als dat niet past?\n\n"
                  "Met vriendelijke groet,\nLisa", "je"),
        ("twitter", "Hoi Sanne, ik heb uw boeking omgezet naar dinsdag. Laat het me weten? ^Lisa", "uw"),
    ],
)
def test_tone_the_form_of_address_must_suit_the_medium(medium, reply, wrong, offline_checker):
    _, tone = _tone(reply, offline_checker, medium=medium)
    (mismatch,) = [f for f in tone.findings if f.rule == "tone.address_mismatch"]
    assert reply[slice(*mismatch.span)] == wrong


def test_tone_the_right_form_of_address_costs_nothing(offline_checker):
    email = ("Beste mevrouw De Vries,\n\nIk heb uw boeking omgezet naar dinsdag. Laat u het mij weten als dat niet past?\n\n"
             "Met vriendelijke groet,\nLisa")
    _, tone = _tone(email, offline_checker, medium="email", customer_name="Anna de Vries")
    assert tone.findings == []


@pytest.mark.parametrize(
    "language, reply, formal_medium_rule, informal_medium_rule",
    [
        ("nl", "Hoi Anna, ik zet het voor je klaar. Laat het me weten? Groetjes, Lisa", "tone.too_informal", None),
        ("nl", "Geachte mevrouw, ik zet het voor u klaar. Laat u het mij weten? Hoogachtend, Lisa", None, "tone.too_formal"),
        ("en", "Hey Anna, I'll set it up for you. Let me know? Cheers, Lisa", "tone.too_informal", None),
        ("en", "Dear Sir or Madam, I'll set it up for you. Let me know? Yours sincerely, Lisa", None, "tone.too_formal"),
    ],
)
def test_tone_formality_must_suit_the_medium(language, reply, formal_medium_rule, informal_medium_rule, offline_checker):
    _, on_email = _tone(reply, offline_checker, language=language, medium="email")
    _, on_whatsapp = _tone(reply, offline_checker, language=language, medium="whatsapp")
    formality = {"tone.too_formal", "tone.too_informal"}
    assert set(_rules(on_email)) & formality == ({formal_medium_rule} if formal_medium_rule else set())
    assert set(_rules(on_whatsapp)) & formality == ({informal_medium_rule} if informal_medium_rule else set())


@pytest.mark.parametrize(
    "language, customer_name, reply, named",
    [
        ("nl", "Sanne de Vries", "Hoi Sanne, ik zoek het uit. Laat het me weten? ^Lisa", True),
        ("nl", "Sanne de Vries", "Hoi, ik zoek het uit. Laat het me weten? ^Lisa", False),
        ("nl", "@sannedv", "@sannedv Hoi! Ik zoek het uit. Laat het me weten? ^Lisa", True),
        ("en", "Sam Smith", "Hi Sam, I'll look into it. Let me know? ^Lisa", True),
        ("en", "Sam Smith", "Hi, I'll look into it. Let me know? ^Lisa", False),
    ],
)
def test_tone_using_the_customers_name(language, customer_name, reply, named, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, customer_name=customer_name)
    no_name = [f for f in tone.findings if f.rule == "tone.no_name"]
    assert (not no_name) is named
    if not named:
        assert customer_name.split()[0] in no_name[0].message


@pytest.mark.parametrize(
    "language, medium, reply, agent, signed",
    [
        ("nl", "twitter", "Hoi, ik zoek het uit. Laat het me weten? ^Lisa", None, True),
        ("nl", "twitter", "Hoi, ik zoek het uit. Laat het me weten?", None, False),
        ("nl", "twitter", "Hoi, ik zoek het uit. Laat het me weten? Groet, Lisa", "Lisa Jansen", True),
        ("nl", "instagram_comment", "Hoi, ik zoek het uit. Laat het me weten?", None, True),  # no signature on Instagram
        ("en", "twitter", "Hi, I'll look into it. Let me know? ^Lisa", None, True),
        ("en", "twitter", "Hi, I'll look into it. Let me know?", None, False),
    ],
)
def test_tone_signature_where_the_medium_uses_one(language, medium, reply, agent, signed, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language, medium=medium, agent_name=agent)
    assert ("tone.no_signature" not in _rules(tone)) is signed


@pytest.mark.parametrize(
    "language, reply, rule",
    [
        ("nl", "Hoi, wij zoeken het uit. Laat het weten? ^Lisa", "tone.no_personal_voice"),
        ("nl", "Ik zoek het uit. Laat het me weten? ^Lisa", "tone.no_greeting"),
        ("en", "Hi, we'll look into it. Let us know? ^Lisa", "tone.no_personal_voice"),
        ("en", "I'll look into it. Let me know? ^Lisa", "tone.no_greeting"),
    ],
)
def test_tone_missing_rewards_are_explained(language, reply, rule, offline_checker):
    _, tone = _tone(reply, offline_checker, language=language)
    assert _rules(tone) == [rule]
    (finding,) = tone.findings
    group = tone_cues(language).group(rule)
    assert finding.points == group.points > 0
    assert finding.message and finding.suggestion


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Hoeveel handbagage mag ik meenemen?", "Hoi, ik heb het nagekeken: je mag 10 kg handbagage meenemen. ^Lisa"),
    ("en", "How much hand luggage can I take?", "Hi, I've checked: you may take 10 kg of hand luggage. ^Lisa"),
])
def test_tone_no_invitation_is_explained_where_no_next_step_settles_it(language, customer, reply, offline_checker):
    # A concrete next step is how a conversation goes on (the rubric's settled_by); a plain
    # answer still gets the nudge to invite a reply.
    _, tone = _tone(reply, offline_checker, language=language, customer_messages=[customer])
    assert _rules(tone) == ["tone.no_invitation"]
    assert tone.findings[0].points == tone_cues(language).group("tone.no_invitation").points


def test_tone_feedback_comes_in_the_trainees_language(offline_checker):
    _, tone = _tone("Hoi, volgens ons beleid kan ik niet omboeken. ^Lisa", offline_checker, feedback_language="en")
    (finding,) = [f for f in tone.findings if f.rule == "tone.defensive_policy"]
    assert finding.message.startswith("'volgens ons beleid' sounds defensive")


def _rule_ids(language):
    cues = tone_cues(language)
    ids = {group.id for group in cues.groups} | {"tone.no_name"}
    if any(group.negatable or group.taken_back_by or group.bare_contrast_takes_back for group in cues.groups):
        ids.add("tone.taken_back")
    if cues.checks.address_mixed:
        ids.add("tone.address_mixed")
    if cues.checks.address_mismatch:
        ids.add("tone.address_mismatch")
    if cues.checks.address_ignores_customer:
        ids.add("tone.address_ignores_customer")
    # The rubric files its missing moves of tone under tone (scoring/rubric.py), some also with a
    # formal wording for u-replies.
    texts = messages(language).rules
    ids |= {variant for rule in RUBRIC_RULES if rule.startswith("tone.")
            for variant in (rule, f"{rule}.formal") if variant == rule or variant in texts}
    return ids


@pytest.mark.parametrize("feedback_language", ["nl", "en"])
def test_tone_every_rule_has_a_message_in_both_languages(feedback_language):
    texts = messages(feedback_language).rules
    rules = _rule_ids("nl") | _rule_ids("en")
    missing = sorted(rule for rule in rules if rule not in texts)
    assert not missing, f"content/messages/{feedback_language}/tone.yaml lacks {missing}"
    from scoring.rubric import RULES as RUBRIC_RULES  # the rubric files some of its moves under tone

    from scoring.announcement import announcement_rubric  # and the announcement rubric, from content

    announcing = {rule for language in ("nl", "en") for rule in announcement_rubric(language).rules()}
    orphans = sorted(rule for rule in texts
                     if rule.startswith("tone.") and rule not in rules | set(RUBRIC_RULES) | announcing)
    assert not orphans, f"messages for rules that do not exist: {orphans}"
    for rule in rules:
        assert texts[rule].suggestion, f"{rule} needs a suggestion: tell the trainee what to do instead"


def test_tone_both_languages_define_the_same_rules():
    assert {g.id for g in tone_cues("nl").groups} == {g.id for g in tone_cues("en").groups}


def test_tone_a_broken_cue_file_names_the_file_and_line(tmp_path):
    folder = tmp_path / "tone"
    folder.mkdir()
    source = (tone_cues.__wrapped__.__globals__["content_dir"]() / "tone" / "nl.yaml").read_text(encoding="utf-8")
    broken = source.replace("    kind: penalty\n    severity: major\n    points: 15", "    kind: penalty\n    severity: huge\n    points: 15", 1)
    assert broken != source
    (folder / "nl.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        tone_cues("nl", root=tmp_path)
    line = broken.splitlines().index("    severity: huge") + 1
    assert f"tone/nl.yaml:{line}" in str(caught.value)
    assert "severity" in str(caught.value)


def test_tone_shared_matchers_give_the_same_findings_from_many_threads(offline_checker):
    from concurrent.futures import ThreadPoolExecutor

    from scoring.config import media_catalogue, scoring_config
    from scoring.dimensions.tone import score
    from scoring.evaluation import Evaluation
    from scoring.nlp import load_nlp

    replies = [GOOD_NL, "Conform onze voorwaarden kan dat NIET!!!", "Hoi, zoals eerder al aangegeven: ticket aangemaakt. ^Lisa"] * 30
    context = ReplyContext(customer_messages=COMPLAINT_NL, customer_name="Sanne de Vries", agent_name="Lisa")

    def findings(reply):
        doc = load_nlp("nl")(reply)
        evaluation = Evaluation(reply, doc, context, "twitter", media_catalogue().media["twitter"], scoring_config())
        return [(f.rule, f.span, f.points) for f in score(doc, evaluation).findings]

    expected = [findings(r) for r in replies]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(findings, replies)) == expected


@pytest.mark.parametrize(
    "language, customer, reply",
    [
        ("nl", "Mijn pakket is bij de buren afgeleverd zonder briefje!",
         "Hoi Iris, dat staat toch duidelijk in de bevestigingsmail: bij afwezigheid gaat het naar de buren. ^Bas"),
        ("nl", "Ik heb nu al vier keer gebeld over mijn factuur.",
         "Hoi Rik, dank voor de zoveelste melding. Je factuur wordt morgen aangepast. ^Bas"),
        ("en", "My parcel went to a neighbour without a card.",
         "Hi Iris, as clearly stated in the confirmation, parcels go to a neighbour when nobody is in. ^Bas"),
    ],
)
def test_tone_blame_or_mockery_alone_fails_an_otherwise_complete_reply(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="twitter", customer_messages=[customer]),
                       checker=offline_checker)
    assert {"tone.blame", "tone.sarcasm"} & {f.rule for f in card.findings}
    assert not card.passed
