"""The conversation state machine: determinism, storage, scoring context, actions, reach."""

from __future__ import annotations

import json

import pytest

import scenarios
from scenarios import Conversation, ConversationOver, catalogue, start
from scoring import ReplyContext, score_reply
from scoring.config import media_catalogue

FLIGHT = "nl-vlucht-geannuleerd-schiphol"
GOOD_FIRST = ("Hoi {first_name}, wat vervelend, zeker met de kinderen erbij. Sorry dat je zo lang moet wachten. "
              "Ik boek jullie graag om naar de eerstvolgende vlucht: stuur ons een DM met je boekingscode, dan "
              "regel ik het meteen. ^Lisa")
WEAK = "Kijk voor informatie over geannuleerde vluchten op onze website. ^Lisa"


def play(conversation: Conversation, replies: list[str], checker, action: str | None = None) -> None:
    for reply in replies:
        text = conversation.fill(reply)
        card = score_reply(text, conversation.context_for_reply(seconds_to_reply=60), checker=checker)
        conversation.reply(text, card, action)


def test_engine_catalogue_lists_scenarios_per_language():
    dutch, english = catalogue("nl"), catalogue("en")
    assert dutch and english
    assert all(s.language == "nl" for s in dutch) and all(s.language == "en" for s in english)
    assert len(catalogue()) == len(dutch) + len(english)


def test_engine_same_seed_and_replies_give_the_same_conversation(offline_checker):
    first, second = start(FLIGHT, "twitter", seed=7), start(FLIGHT, "twitter", seed=7)
    assert first.pending_customer_messages == second.pending_customer_messages
    play(first, [WEAK, GOOD_FIRST], offline_checker)
    play(second, [WEAK, GOOD_FIRST], offline_checker)
    assert first.to_json() == second.to_json()


def test_engine_seeds_vary_persona_and_phrasing():
    openings = {start(FLIGHT, "twitter", seed=seed).pending_customer_messages[0] for seed in range(12)}
    assert len(openings) >= 6, "different seeds should give different people and phrasings"
    phrasings = {start(FLIGHT, "twitter", seed=seed).pending_customer_messages[0].split(" ")[0] for seed in range(12)}
    assert len(phrasings) >= 2, "more than one phrasing of the opening should be used"


def test_engine_json_round_trip_resumes_the_same_conversation(offline_checker):
    straight = start(FLIGHT, "twitter", seed=3)
    play(straight, [WEAK, GOOD_FIRST], offline_checker)

    resumed = start(FLIGHT, "twitter", seed=3)
    play(resumed, [WEAK], offline_checker)
    stored = resumed.to_json()
    json.loads(stored)  # plain JSON, no pickle
    resumed = Conversation.from_json(stored)
    assert resumed.state == "annoyed"
    play(resumed, [GOOD_FIRST], offline_checker)
    assert resumed.to_json() == straight.to_json()
    assert resumed.state == straight.state == "in_dm"


def test_engine_context_for_reply_carries_what_the_scorer_needs(offline_checker):
    conversation = start("nl-bestelhuis-herhaald-antwoord", "webchat", seed=5)
    context = conversation.context_for_reply(seconds_to_reply=40)
    persona = conversation.persona
    assert context.language == "nl" and context.medium == "webchat"
    assert context.customer_name == persona["name"]
    assert context.customer_messages == conversation.pending_customer_messages
    assert [p.medium for p in context.prior_replies] == ["email"], "the e-mail already sent is a prior reply"
    assert persona["first_name"] in context.prior_replies[0].text, "history placeholders are filled"
    assert {e.id for e in context.expected_elements} == {"apology", "ownership", "solution"}
    assert context.knowledge_templates and "{first_name}" not in context.knowledge_templates[0]
    assert context.brand_terms == ["Bestelhuis"]
    assert context.seconds_to_reply == 40

    play(conversation, ["Hoi {first_name}, ik zoek het voor je uit."], offline_checker)
    context = conversation.context_for_reply()
    assert [p.author for p in context.prior_replies] == ["Klantenservice Bestelhuis", "trainee"]
    assert len(context.customer_messages) == 2


def test_engine_a_private_state_moves_the_reply_to_the_private_channel(offline_checker):
    conversation = start(FLIGHT, "facebook_comment", seed=2)
    assert conversation.public
    play(conversation, [GOOD_FIRST], offline_checker)
    assert conversation.state == "in_dm"
    assert conversation.medium == media_catalogue().media["facebook_comment"].private_channel == "messenger"
    assert media_catalogue().media[conversation.context_for_reply().medium].public is False


def test_engine_repeating_an_earlier_answer_is_noticed(offline_checker):
    conversation = start("nl-bestelhuis-herhaald-antwoord", "webchat", seed=1)
    email = conversation.history()[1]["text"]
    card = score_reply(email, conversation.context_for_reply(seconds_to_reply=30), checker=offline_checker)
    turn = conversation.reply(email, card)
    assert turn.state == "repeated_once"
    assert "gaf hetzelfde antwoord" in turn.note


def test_engine_actions_decide_the_outcome(offline_checker):
    wrong = start("nl-energiek-jaarafrekening-overdracht", "messenger", seed=4)
    play(wrong, ["Hoi {first_name}, ik zet je door naar de afdeling Incasso. ^Noor"], offline_checker,
         action="handover:collections")
    assert wrong.state == "wrong_department"
    right = start("nl-energiek-jaarafrekening-overdracht", "messenger", seed=4)
    text, action = right.model_answer()
    play(right, [text], offline_checker, action=action)
    assert right.outcome == "resolved"
    assert dict(right.actions)["handover:billing"] == "Overdragen aan de afdeling Facturatie"


def test_engine_refuses_what_the_scenario_does_not_offer(offline_checker):
    with pytest.raises(ValueError, match="not played on"):
        start(FLIGHT, "email", seed=1)
    with pytest.raises(KeyError):
        start("no-such-scenario", None, seed=1)
    conversation = start(FLIGHT, "twitter", seed=1)
    card = score_reply("Hoi, wat vervelend! ^Lisa", conversation.context_for_reply(), checker=offline_checker)
    with pytest.raises(ValueError, match="not an action in this scenario"):
        conversation.reply("Hoi, wat vervelend! ^Lisa", card, action="press_office")
    assert conversation.state == "start", "a refused reply changes nothing"
    assert not conversation.turns


def test_engine_outrage_grows_reach_and_the_conversation_ends(offline_checker):
    conversation = start(FLIGHT, "twitter", seed=9)
    followers = conversation.reach["followers"]
    play(conversation, [WEAK, WEAK.replace("Kijk voor", "Zie")], offline_checker)
    assert conversation.outcome == "escalated"
    assert conversation.reach["retweets"] > 0
    assert conversation.reach["followers"] > followers
    assert conversation.turns[-1].ended and conversation.turns[-1].good_outcome is False
    card = score_reply(WEAK, ReplyContext(language="nl", medium="twitter"), checker=offline_checker)
    with pytest.raises(ConversationOver):
        conversation.reply(WEAK, card)
    with pytest.raises(ConversationOver):
        conversation.context_for_reply()


def test_engine_public_api_is_exported():
    for name in ("catalogue", "start", "Conversation", "Turn", "END_STATES"):
        assert hasattr(scenarios, name)
