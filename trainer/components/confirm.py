"""A button whose action waits for a second, explicit yes: for what cannot be undone."""

from __future__ import annotations

import streamlit as st


def confirmed(place, label: str, *, key: str, question: str, yes: str, no: str) -> bool:
    """Show `label` as a button in `place`; after a click, ask `question` with `yes`/`no`.
    True only on the run where the user chose `yes`."""
    asking = f"confirm_{key}"
    if place.button(label, key=f"{asking}_open"):
        st.session_state[asking] = True
    if not st.session_state.get(asking):
        return False
    st.warning(question)
    agree, cancel = st.columns(2)
    if agree.button(yes, type="primary", key=f"{asking}_yes"):
        st.session_state.pop(asking, None)
        return True
    if cancel.button(no, key=f"{asking}_no"):
        st.session_state.pop(asking, None)
        st.rerun()
    return False
