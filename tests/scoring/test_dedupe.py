"""One finding per problem (scoring/dedupe.py): a trainee reads each problem once, at its most
severe, whichever dimensions noticed it."""

from __future__ import annotations

import shutil

import pytest

from scoring import ReplyContext, Severity, score_reply
from scoring.config import messages
from scoring.contentfile import ContentInvalid, content_dir
from scoring.dedupe import one_per_problem, same_problem_groups
from scoring.model import Finding

WHOLE = (0, 80)


def _finding(dimension: str, rule: str, severity: Severity, span=WHOLE, points: float = 10.0) -> Finding:
    return Finding(dimension=dimension, severity=severity, rule=rule, span=span, message=rule, points=points)


def test_dedupe_overlapping_spans_across_dimensions_keep_the_most_severe():
    tone = _finding("tone", "tone.blame", Severity.major, span=(10, 26), points=25)
    privacy = _finding("privacy", "privacy.sensitive_in_public", Severity.critical, span=(14, 20), points=60)
    elsewhere = _finding("spelling", "spelling.typo", Severity.minor, span=(40, 46))
    kept = one_per_problem([tone, privacy, elsewhere], WHOLE)
    assert [f.rule for f in kept] == ["privacy.sensitive_in_public", "spelling.typo"]
    assert kept[0].also == ["tone.blame"]


def test_dedupe_spans_that_barely_touch_are_two_problems():
    first = _finding("tone", "tone.jargon", Severity.minor, span=(0, 20))
    second = _finding("spelling", "spelling.typo", Severity.minor, span=(18, 30))
    assert len(one_per_problem([first, second], WHOLE)) == 2


def test_dedupe_missing_things_merge_only_when_they_are_one_problem():
    step = _finding("substance", "substance.no_next_step", Severity.major, points=20)
    invitation = _finding("tone", "tone.no_invitation", Severity.minor, points=3)
    voice = _finding("tone", "tone.no_personal_voice", Severity.minor, points=5)
    kept = one_per_problem([invitation, voice, step], WHOLE)
    assert [f.rule for f in kept] == ["tone.no_personal_voice", "substance.no_next_step"]
    assert kept[1].also == ["tone.no_invitation"]


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Waardeloos! Al vier dagen geen warm water en niemand komt. Schandalig!!", "Het is druk. ^Bram"),
    ("en", "Terrible service! Four days without hot water and nobody comes. Pathetic!!", "It is busy. ^Kim"),
])
def test_dedupe_a_scorecard_tells_each_problem_once(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="twitter", customer_messages=[customer],
                                           customer_name="Ruud Visser", seconds_to_reply=60), checker=offline_checker)
    rules = [f.rule for f in card.findings]
    assert len(rules) == len(set(rules))
    # angry and no empathy: one finding, the costliest, with the milder ones folded in
    (empathy,) = [f for f in card.findings if f.rule == "tone.no_empathy_for_anger"]
    assert "tone.no_empathy" in empathy.also
    assert not {"tone.no_empathy", "tone.no_invitation", "tone.no_name"} & set(rules)
    # what was folded costs nothing: the tone score is what its kept findings cost
    assert card.dimensions["tone"].score == pytest.approx(100 - sum(f.points for f in card.dimensions["tone"].findings))
    assert card.to_public_dict()["findings"][rules.index("tone.no_empathy_for_anger")]["also"] == empathy.also


def test_dedupe_every_grouped_rule_has_a_message():
    known = set(messages("nl").rules)
    assert set(same_problem_groups()) <= known


def test_dedupe_a_mistake_in_the_groups_file_names_file_and_line(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "rubric" / "same_problem.yaml"
    path.write_text("groups:\n  - [tone.no_greeting, tone.no_name]\n  - tone.no_invitation\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        same_problem_groups(tmp_path / "content")
    assert "same_problem.yaml:3" in str(raised.value)


# --- advice on a formal medium --------------------------------------------------------------

@pytest.mark.parametrize("language, casual", [("nl", "Hoi"), ("en", "Hi")])
def test_dedupe_advice_on_a_formal_medium_never_proposes_a_casual_greeting(language, casual, offline_checker):
    reply = {"nl": "Uw abonnement is per 1 juni opgezegd.", "en": "Your subscription ends on 1 June."}[language]
    email = score_reply(reply, ReplyContext(language=language, medium="email", customer_name="Sanne de Vries",
                                            customer_messages=["Graag mijn abonnement opzeggen." if language == "nl"
                                                               else "Please cancel my subscription."]),
                        checker=offline_checker)
    advice = " ".join(f.suggestion or "" for f in email.findings)
    assert "tone.no_greeting" in {f.rule for f in email.findings}
    assert f"'{casual} " not in advice
    tweet = score_reply(reply, ReplyContext(language=language, medium="twitter", customer_name="Sanne de Vries"),
                        checker=offline_checker)
    assert any(f"'{casual} " in (f.suggestion or "") for f in tweet.findings if f.rule == "tone.no_greeting")


def test_dedupe_formal_advice_may_only_use_its_rules_placeholders(tmp_path):
    shutil.copytree(content_dir(), tmp_path / "content")
    path = tmp_path / "content" / "messages" / "nl" / "formal.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  tone.no_greeting: \"Beste {klant},\"\n"
                    "  tone.bestaat_niet: \"Beste klant,\"\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        messages("nl", tmp_path / "content")
    codes = sorted(e.code for e in raised.value.errors)
    assert codes == ["E204", "E205"]
