"""Views: one plain-Python function per screen, returning ready-to-show data with rights checked (no Streamlit here)."""
