"""A scenario's model answer is what the trainee is shown as right: scored in its own context
(tests/scenarios/model_answers.py) with the real LanguageTool, it passes with no finding above
info. The few still known exceptions are listed in tests/data/model_answers_pending.yaml, a
list that may only shrink."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scenarios import catalogue
from scoring import Severity, score_reply
from tests.scenarios.model_answers import context_and_answer, model_answer_cases

PENDING = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "model_answers_pending.yaml")
                         .read_text(encoding="utf-8")) or {}
CASES = list(model_answer_cases([s for s in catalogue() if s.language in ("nl", "en")]))


def test_model_answers_every_scenario_of_both_languages_is_covered():
    languages = {scenario.language for scenario, _, _ in CASES}
    assert languages == {"nl", "en"}
    assert {scenario.id for scenario, _, _ in CASES} == {s.id for s in catalogue()}
    assert set(PENDING) <= {f"{s.id}:{state}" for s, state, _ in CASES}, "pending entries for states that do not exist"


@pytest.mark.parametrize("scenario, state_id, route", CASES, ids=[f"{s.id}:{state}" for s, state, _ in CASES])
def test_model_answers_pass_with_no_finding_above_info(scenario, state_id, route, grammar_checker):
    text, context = context_and_answer(scenario, route)
    card = score_reply(text, context, checker=grammar_checker)
    found = {f.rule: f.message for f in card.findings if f.severity is not Severity.info}
    known = set(PENDING.get(f"{scenario.id}:{state_id}", []))
    unexpected = {rule: message for rule, message in found.items() if rule not in known}
    assert not unexpected, f"{scenario.id}:{state_id} on {context.medium}: {text!r} gets {unexpected}"
    assert known <= set(found), (f"{sorted(known - set(found))} no longer happen to {scenario.id}:{state_id}: "
                                 "remove them from tests/data/model_answers_pending.yaml")
    assert card.passed or known, f"{scenario.id}:{state_id} fails: {card.notes}"
