"""Scenario engine: scenarios as data, personas, the customer's side of a conversation.

Pure Python; no Streamlit. docs/content.md describes the scenario format.
"""

from scenarios.schema import BAD_ENDS, END_STATES, GOOD_ENDS, Scenario

_ENGINE = {"Conversation", "ConversationOver", "Turn", "catalogue", "get_scenario", "start", "warm_up"}


def __getattr__(name: str):
    # The engine brings spaCy: it loads when first used, not when the storage models import the
    # end-state words from scenarios.schema (the login page must come up without it).
    if name in _ENGINE:
        from scenarios import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'scenarios' has no attribute {name!r}")

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
