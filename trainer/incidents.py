"""An unexpected error shows the visitor a plain message with an incident id; the traceback,
with the same id, goes to the server's log. Streamlit's own error details are off
(`client.showErrorDetails = "none"` in .streamlit/config.toml), so file paths and code never
reach a browser, not even before login."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from trainer.db.engine import DATABASE_UNAVAILABLE
from trainer.i18n import t

log = logging.getLogger("webcare.incident")


@contextmanager
def reported(language: str) -> Iterator[None]:
    """Run a page; an exception becomes an incident. st.rerun and st.stop are BaseExceptions
    and pass through untouched."""
    try:
        yield
    except DATABASE_UNAVAILABLE:
        incident = uuid.uuid4().hex[:8]
        log.exception("incident %s (database unavailable)", incident)
        st.error(t("app.database_down", language, incident=incident))
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("incident %s", incident)
        st.error(t("app.incident", language, incident=incident))
