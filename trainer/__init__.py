"""Webcare Trainer: the Streamlit app, its services and the `webcare` command line."""
