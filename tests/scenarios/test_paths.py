"""Every scenario proves itself: each scripted path in its `test_paths` is played with the real
scorer (grammar checking off, for speed) and must end exactly where the author says."""

from __future__ import annotations

import functools

import pytest

from scenarios import BAD_ENDS, GOOD_ENDS, catalogue
from scenarios.authoring import run_test_path
from scoring import score_reply

PATHS = [(s.id, p.name, p.ends) for s in catalogue() for p in s.test_paths]


@pytest.mark.parametrize("scenario_id, path_name, ends", PATHS, ids=[f"{s}:{p}" for s, p, _ in PATHS])
def test_paths_scripted_path_reaches_its_end_state(scenario_id, path_name, ends, offline_checker):
    result = run_test_path(scenario_id, path_name, functools.partial(score_reply, checker=offline_checker))
    assert result.outcome == ends, f"{scenario_id} / {path_name}: expected {ends}\n{result.explain()}"
    assert result.unused_replies == 0, f"ended before the last reply\n{result.explain()}"


def test_paths_every_scenario_has_a_good_and_a_bad_path():
    for scenario in catalogue():
        ends = {p.ends for p in scenario.test_paths}
        assert ends & GOOD_ENDS and ends & BAD_ENDS, scenario.id


@pytest.mark.parametrize("scenario", catalogue(), ids=lambda s: s.id)
def test_paths_model_answers_fit_their_medium(scenario):
    """A model answer shown in replay must itself fit the hard limit of where it is sent
    (the private channel in a private state)."""
    from scenarios import start
    from scoring.config import media_catalogue

    media = media_catalogue().media
    conversation = start(scenario.id, None, seed=1)
    for state_id, state in scenario.states.items():
        text = conversation.fill(state.model_answer).strip()
        for medium_id in scenario.media:
            target = media[medium_id].private_channel if state.private and media[medium_id].private_channel else medium_id
            limit = media[target].max_chars
            assert len(text) <= limit, f"model answer of {state_id} is {len(text)} characters; {target} allows {limit}"
