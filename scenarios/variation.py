"""Varied openings for group drills (content/drills/_openings.yaml).

A drill sends many customers of the same scenario, and a scenario has only a few phrasings of
its opening. So in a drill the n-th customer of a scenario (its `variant`) gets the phrasings in
turn, and once all are used, each further round frames the text with the next of the language's
frames ("{opening} Graag vandaag nog een reactie.", "{opening}\\n\\nGroet, {first_name}"), in
turn. Persona fields make most framed texts unique by themselves; taking frames in turn keeps
even those without one apart until every frame has been used once per phrasing.

Pure Python; no Streamlit. docs/drills.md is the author's guide.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from scenarios.personas import CORE_FIELDS
from scoring.contentfile import content_dir, load_model

OPENINGS_FILE = "_openings.yaml"
OPENING = "opening"  # the placeholder for the customer's own text
PLACEHOLDERS = frozenset({*CORE_FIELDS, "brand", OPENING})


def _frame_fits(text: str) -> str:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ValueError(f"has a broken placeholder ({exc}); write {{{{ and }}}} for literal braces") from None
    if names.count(OPENING) != 1:
        raise ValueError("must hold {opening} (the customer's own text) exactly once")
    unknown = sorted(set(names) - PLACEHOLDERS)
    if unknown:
        raise ValueError(f"uses {{{unknown[0]}}}; a frame may use {', '.join(sorted(PLACEHOLDERS))}")
    return text


Frame = Annotated[str, AfterValidator(_frame_fits)]


class OpeningFrames(BaseModel):
    """The frames per language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nl: list[Frame] = Field(min_length=1)
    en: list[Frame] = Field(min_length=1)


@lru_cache(maxsize=4)
def opening_frames(root: Path | None = None) -> OpeningFrames:
    return load_model((root or content_dir()) / "drills" / OPENINGS_FILE, OpeningFrames)


def phrasing_index(variant: int, phrasings: int) -> int:
    """Which phrasing the `variant`-th customer of a scenario gets: each in turn."""
    return variant % phrasings


def frame_for(language: str, variant: int, phrasings: int, root: Path | None = None) -> str | None:
    """The frame around the `variant`-th customer's opening: none in the first round through the
    scenario's `phrasings`, then the language's frames in turn, one per round."""
    rounds = variant // phrasings
    if rounds == 0:
        return None
    frames = getattr(opening_frames(root), language)
    return frames[(rounds - 1) % len(frames)]
