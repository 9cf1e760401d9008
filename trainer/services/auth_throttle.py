"""Counting failed logins in this process, for keys the database has no row for.

A key is a client address, an (e-mail, client address) pair, or an e-mail address no account
has: throttling it costs no database write, so a flood of bogus logins never competes with
trainees' saves for SQLite's one write lock. Real accounts also keep their own counter in the
database (`accounts.login`), which spans processes and restarts.

Each attempt is counted *before* its password is checked (a reservation), so parallel guesses
cannot all slip in under the limit; a successful login gives its reservation back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_KEYS = 100_000  # beyond this, expired keys are dropped first, then the oldest


@dataclass
class _Count:
    started: datetime
    window: timedelta
    failures: int = 0
    locked_until: datetime | None = None

    def ends(self) -> datetime:
        return self.locked_until or self.started + self.window


class Throttle:
    """Failures per key in a fixed window of `window`; at `limit` the key is locked for `window`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, ...], _Count] = {}

    def reserve(self, key: tuple[str, ...], *, limit: int, window: timedelta, now: datetime) -> datetime | None:
        """Count one attempt for `key`; returns until when the key is locked if it must be refused."""
        with self._lock:
            count = self._counts.get(key)
            if count is not None and count.locked_until is not None and count.locked_until > now:
                return count.locked_until
            if count is None or count.started + window <= now or count.locked_until is not None:
                count = self._counts[key] = _Count(started=now, window=window)
                self._prune(now)
            if count.failures >= limit:  # parallel attempts already hold every place
                count.locked_until = now + window
                return count.locked_until
            count.failures += 1
            return None

    def failed(self, key: tuple[str, ...], *, limit: int, window: timedelta, now: datetime) -> datetime | None:
        """The reserved attempt failed: lock the key once it reached `limit`; returns the lock's end."""
        with self._lock:
            count = self._counts.get(key)
            if count is None:
                return None
            if count.failures >= limit:
                count.locked_until = max(count.locked_until or now, now + window)
            return count.locked_until if count.locked_until and count.locked_until > now else None

    def succeeded(self, key: tuple[str, ...], *, forget: bool) -> None:
        """The reserved attempt logged in: forget the key, or give back just this one attempt."""
        with self._lock:
            count = self._counts.get(key)
            if count is None:
                return
            if forget:
                del self._counts[key]
            else:
                count.failures = max(0, count.failures - 1)

    def _prune(self, now: datetime) -> None:
        if len(self._counts) <= MAX_KEYS:
            return
        for key in [k for k, c in self._counts.items() if c.ends() <= now]:
            del self._counts[key]
        while len(self._counts) > MAX_KEYS:
            del self._counts[next(iter(self._counts))]


_PROCESS = Throttle()


def process_throttle() -> Throttle:
    """The throttle every login in this process shares."""
    return _PROCESS
