"""The scorecard leads with the three fixes worth most (Scorecard.top_fixes)."""

from __future__ import annotations

import pytest

from scoring import ReplyContext, Severity, score_reply
from scoring.model import TOP_FIXES, DimensionResult, Finding, Scorecard


def _finding(dimension: str, rule: str, points: float, severity: Severity = Severity.minor) -> Finding:
    return Finding(dimension=dimension, severity=severity, rule=rule, span=(0, 10), message=rule, points=points)


def _card(findings: list[Finding], weights: dict[str, float]) -> Scorecard:
    dimensions = {
        name: DimensionResult(name=name, version=f"{name}.v1", weight=weight,
                              score=max(0.0, 100 - sum(f.points for f in findings if f.dimension == name)))
        for name, weight in weights.items()
    }
    return Scorecard(total=80, passed=True, pass_mark=70, language="nl", medium="twitter", dimensions=dimensions,
                     findings=findings)


def test_top_fixes_rank_by_what_the_total_gains_not_by_raw_points():
    card = _card([_finding("spelling", "spelling.typo", 20), _finding("substance", "substance.no_answer", 15),
                  _finding("tone", "tone.no_greeting", 5), _finding("tone", "tone.no_name", 2)],
                 {"spelling": 10, "substance": 30, "tone": 60})
    assert [f.rule for f in card.top_fixes] == ["substance.no_answer", "tone.no_greeting", "spelling.typo"]
    assert card.top_fixes[0].gain == pytest.approx(15 * 30 / 100, abs=0.05)
    assert len(card.top_fixes) == TOP_FIXES


def test_top_fixes_put_a_critical_finding_first_and_skip_what_is_worth_nothing():
    card = _card([_finding("substance", "substance.no_answer", 35, Severity.major),
                  _finding("privacy", "privacy.asks_in_public", 60, Severity.critical),
                  _finding("tone", "tone.blame", 0.0)],
                 {"substance": 50, "privacy": 10, "tone": 40})
    assert [f.rule for f in card.top_fixes] == ["privacy.asks_in_public", "substance.no_answer"]


def test_top_fixes_count_only_what_a_floored_dimension_can_regain():
    # tone lost 130 points: it is at 0, and putting a 60-point finding right brings it to 30
    card = _card([_finding("tone", "tone.abuse", 60), _finding("tone", "tone.blame", 70)], {"tone": 100})
    assert {f.rule: f.gain for f in card.top_fixes} == {"tone.blame": 40.0, "tone.abuse": 30.0}


@pytest.mark.parametrize("language, customer, reply", [
    ("nl", "Mijn factuur is twee keer afgeschreven, dit klopt toch niet?!", "Excuses voor het ongemak. ^Lisa"),
    ("en", "My bill was charged twice, surely that's wrong?!", "Apologies for the inconvenience. ^Lisa"),
])
def test_top_fixes_of_a_scored_reply_are_in_its_public_json(language, customer, reply, offline_checker):
    card = score_reply(reply, ReplyContext(language=language, medium="twitter", customer_messages=[customer]),
                       checker=offline_checker)
    public = card.to_public_dict()["top_fixes"]
    assert [f["rule"] for f in public] == [f.rule for f in card.top_fixes]
    assert public[0]["rule"] == "substance.no_answer" and public[0]["gain"] > 0
    assert all(f["gain"] >= g["gain"] for f, g in zip(public, public[1:]))
