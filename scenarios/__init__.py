"""Scenario engine: scenarios as data, personas, the customer's side of a conversation.

Pure Python; no Streamlit. docs/content.md describes the scenario format.
"""

from scenarios.engine import Conversation, ConversationOver, Turn, catalogue, get_scenario, start, warm_up
from scenarios.schema import BAD_ENDS, END_STATES, GOOD_ENDS, Scenario

__all__ = [
    "BAD_ENDS",
    "END_STATES",
    "GOOD_ENDS",
    "Conversation",
    "ConversationOver",
    "Scenario",
    "Turn",
    "catalogue",
    "get_scenario",
    "start",
    "warm_up",
]
