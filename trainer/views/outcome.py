"""What a change on a screen came to: saved (the confirmation) or not (why), ready to show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    saved: bool
    message: str  # the confirmation, or why nothing was saved
    details: list[str] = field(default_factory=list)  # "❌ …": e.g. what a refused grant still misses
