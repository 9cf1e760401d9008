"""Issue 11 #20: a login session ends after SESSION_IDLE_MINUTES without use, as well as after
SESSION_HOURS; using it keeps it alive."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trainer.db.types import utcnow
from trainer.services.accounts import SessionExpired, current_user, login
from trainer.settings import Settings

from .conftest import PASSWORD

SETTINGS = Settings(_env_file=None, SESSION_IDLE_MINUTES=30, SESSION_HOURS=12)


def test_sessions_end_after_the_idle_timeout(session, world):
    now = utcnow()
    token = login(session=session, email="tom@example.nl", password=PASSWORD, now=now, settings=SETTINGS).token
    with pytest.raises(SessionExpired):
        current_user(session=session, token=token, now=now + timedelta(minutes=31), settings=SETTINGS)


def test_sessions_use_keeps_a_session_alive_until_its_hours_are_up(session, world):
    now = utcnow()
    token = login(session=session, email="tom@example.nl", password=PASSWORD, now=now, settings=SETTINGS).token
    for minutes in range(20, 12 * 60, 20):  # every 20 minutes, a page is used
        assert current_user(session=session, token=token, now=now + timedelta(minutes=minutes), settings=SETTINGS)
    with pytest.raises(SessionExpired):
        current_user(session=session, token=token, now=now + timedelta(hours=12, minutes=1), settings=SETTINGS)
