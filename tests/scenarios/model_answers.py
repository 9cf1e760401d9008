"""Each scenario state's model answer in the context it is written for: the conversation
played to that state along the shortest route from the start (the customer's messages on the
way, the scenario's earlier contact as prior replies), on the scenario's first medium."""

from __future__ import annotations

from scenarios import Conversation, start
from scenarios.engine import Message
from scenarios.schema import Scenario, Transition
from scoring import ReplyContext


def routes(scenario: Scenario) -> dict[str, list[tuple[str, Transition]]]:
    """State id -> the transitions of the shortest route from the start to it."""
    found: dict[str, list[tuple[str, Transition]]] = {"start": []}
    queue = ["start"]
    while queue:
        state_id = queue.pop(0)
        for transition in scenario.states[state_id].transitions:
            if transition.to in scenario.states and transition.to not in found:
                found[transition.to] = [*found[state_id], (state_id, transition)]
                queue.append(transition.to)
    return found


def conversation_at(scenario: Scenario, route: list[tuple[str, Transition]]) -> Conversation:
    """A conversation in the state `route` ends in, as if each earlier model answer was sent."""
    conversation = start(scenario.id, seed=1)
    record = conversation.record
    for number, (before, transition) in enumerate(route, 1):
        record.transcript.append(Message(role="agent", text=conversation.fill(scenario.states[before].model_answer),
                                         medium=conversation.medium))
        record.answered[before] = record.answered.get(before, 0) + 1
        record.state = transition.to
        conversation._customer_says(conversation._messages_for(transition, number))
    return conversation


def model_answer_cases(scenarios: list[Scenario]):
    for scenario in scenarios:
        for state_id, route in routes(scenario).items():
            yield scenario, state_id, route


def context_and_answer(scenario: Scenario, route) -> tuple[str, ReplyContext]:
    conversation = conversation_at(scenario, route)
    text, _ = conversation.model_answer()
    context = conversation.context_for_reply(seconds_to_reply=60)
    # The model answers on the way stand in for the trainee's: they are not earlier answers
    # this one should avoid repeating, only the scenario's own earlier contact is.
    context.prior_replies = [p for p in context.prior_replies if p.author != "trainee"]
    return text, context
