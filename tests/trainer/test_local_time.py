"""Times people read are on the contact centre's clock (TIME_ZONE), not the server's UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from trainer import local_time
from trainer.settings import Settings, get_settings


@pytest.fixture
def zone(monkeypatch):
    def use(name: str) -> None:
        monkeypatch.setenv("TIME_ZONE", name)
        get_settings.cache_clear()
    yield use
    get_settings.cache_clear()


def test_local_time_follows_amsterdam_winter_and_summer_time(zone):
    zone("Europe/Amsterdam")
    assert local_time.clock(datetime(2026, 12, 7, 2, 39, tzinfo=timezone.utc)) == "03:39"   # CET, +1
    assert local_time.clock(datetime(2026, 7, 1, 2, 39)) == "04:39"                         # naive is UTC; CEST, +2
    assert local_time.date_and_time(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == "01-01-2027 00:30"
    assert local_time.today(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == date(2027, 1, 1)
    assert local_time.date_and_time(None) == "—"


def test_local_time_zone_is_a_setting(zone):
    zone("America/Curacao")
    assert local_time.clock(datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)) == "08:00"


def test_local_time_unknown_zone_is_refused_at_start():
    with pytest.raises(ValueError, match="'Europe/Amsterdamm' is no time zone"):
        Settings(TIME_ZONE="Europe/Amsterdamm")


@pytest.mark.parametrize("moment, language, shown", [
    (datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc), "nl", "7 december 2026"),
    (datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc), "en", "7 December 2026"),
    (datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc), "nl", "1 april 2026"),  # already April in Amsterdam
    (date(2027, 5, 1), "nl", "1 mei 2027"),
])
def test_local_time_long_date_in_the_readers_language(zone, moment, language, shown):
    zone("Europe/Amsterdam")
    assert local_time.long_date(moment, language) == shown
