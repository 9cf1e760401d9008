"""Times and dates as the contact centre's clock shows them (`TIME_ZONE`, Europe/Amsterdam by
default), whatever the server's zone: the database stores UTC, people read local time."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from trainer.i18n import t
from trainer.settings import get_settings


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone(get_settings().TIME_ZONE)


def local(moment: datetime) -> datetime:
    """`moment` on the local clock (a naive value is UTC, as the database stores it)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone())


def today(now: datetime | None = None) -> date:
    return local(now or datetime.now(timezone.utc)).date()


def clock(moment: datetime, *, seconds: bool = False) -> str:
    """'14:05' (or '14:05:09')."""
    return f"{local(moment):%H:%M:%S}" if seconds else f"{local(moment):%H:%M}"


def date_and_time(moment: datetime | None) -> str:
    """'07-12-2026 14:05', Dutch order; '—' for none."""
    return f"{local(moment):%d-%m-%Y %H:%M}" if moment else "—"


def day(value: date | datetime) -> str:
    """'07-12-2026'."""
    return f"{local(value) if isinstance(value, datetime) else value:%d-%m-%Y}"


def long_date(value: date | datetime, language: str) -> str:
    """'7 december 2026' in Dutch, '7 December 2026' in English: a date on paper, read in a year's time."""
    shown = local(value).date() if isinstance(value, datetime) else value
    return t("date.long", language, day=shown.day, month=t(f"date.month_{shown.month}", language), year=shown.year)
