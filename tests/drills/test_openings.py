"""A drill rarely sends one opening text twice: the n-th customer of a scenario gets its
phrasings in turn, then framed by content/drills/_openings.yaml (scenarios.variation). Measured
on every template's whole curve (bench/drill_openings.py gives the figures in docs/drills.md),
and on a drill played through the services. The frames file's errors: tests/drills/test_noise.py."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

import scenarios
from bench.drill_openings import repeats
from scenarios.drills import drill_catalogue, timeline
from scenarios.variation import opening_frames
from tests.drills.conftest import T0, at
from trainer.db.drill_models import DrillConversation, DrillMessage
from trainer.services import drills

MAX_REPEAT_SHARE = 0.10  # of a drill's messages, exact repeats of an earlier opening


@pytest.mark.parametrize("template_id", sorted(drill_catalogue()))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_drills_every_template_rarely_repeats_an_opening_text(template_id, seed):
    template = drill_catalogue()[template_id]
    found = repeats(template, seed)
    assert found.messages == template.total_messages
    assert found.share <= MAX_REPEAT_SHARE, (template_id, found)
    assert found.most <= 3


def test_drills_openings_take_the_phrasings_in_turn_then_frames():
    scenario = scenarios.get_scenario("nl-vlucht-geannuleerd-schiphol")
    phrasings = len(scenario.opening[0])
    frames = opening_frames().nl
    first = [scenarios.start(scenario.id, "twitter", seed=7, variant=n) for n in range(phrasings * 3)]
    texts = [c.pending_customer_messages[0] for c in first]
    for n, conversation in enumerate(first):
        own = conversation.fill(scenario.opening[0][n % phrasings])
        rounds = n // phrasings
        expected = own if rounds == 0 else frames[rounds - 1].format(**conversation._values(), opening=own)
        assert texts[n] == expected
    assert len(set(texts)) == len(texts)
    # The transcript the scorer reads holds the framed text.
    assert first[-1].record.transcript[0].text == texts[-1]
    # Practice (no variant) picks a phrasing by the seed, unframed, as before.
    practice = scenarios.start(scenario.id, "twitter", seed=7).pending_customer_messages[0]
    assert practice in {first[0].fill(p) for p in scenario.opening[0]}


def test_drills_timeline_counts_each_scenarios_customers():
    arrivals = timeline(drill_catalogue()["en-storm-insurer"], seed=2)
    seen: Counter = Counter()
    for arrival in arrivals:
        if arrival.noise:
            assert arrival.variant is None
            continue
        assert arrival.variant == seen[arrival.scenario_id]
        seen[arrival.scenario_id] += 1


def test_drills_a_played_surge_stores_varied_openings(session, world):
    """The worst template before the change, played to its end through the services."""
    run = drills.create_drill(session=session, actor=world.mila, template_id="en-storm-insurer",
                              team_id=world.reizen.id, seed=3, now=T0)
    drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
    template = drill_catalogue()["en-storm-insurer"]
    drills.advance(session=session, actor=world.mila, run_id=run.id, now=at(template.duration_seconds), force=True)
    # A live inject of the heaviest scenario continues its turn (framed, not a repeat).
    heaviest = max(template.scenarios, key=template.scenarios.get)
    injected = drills.inject(session=session, actor=world.mila, run_id=run.id, scenario_id=heaviest,
                             medium=scenarios.get_scenario(heaviest).media[0], title="one more",
                             now=at(template.duration_seconds))
    conversations = session.exec(select(DrillConversation).where(DrillConversation.run_id == run.id)).all()
    assert len(conversations) == template.total_messages + 1
    first = {}
    for message in session.exec(select(DrillMessage).where(DrillMessage.run_id == run.id,
                                                           DrillMessage.role == "customer")
                                .order_by(DrillMessage.id)).all():
        first.setdefault(message.conversation_id, message.text)
    texts = Counter(first.values())
    assert sum(texts.values()) - len(texts) <= MAX_REPEAT_SHARE * len(first)
    assert texts[first[injected]] == 1
