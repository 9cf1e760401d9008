"""Durations as the drill screens show them: 4:05, or – when there is none."""

from __future__ import annotations


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
