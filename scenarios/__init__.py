"""Scenario engine: scenarios as data, personas, the customer's side of a conversation."""
