"""The noise library (content/noise/<lang>.yaml): the posts a real surge brings besides the
story's customers. Praise, questions about something else, spam, trolls, a journalist, a
politician, an influencer, "me too" reposts of the same complaint and posts that need no answer.

Each item says whether it needs an answer and how it is best handled: `ignore` (close it
without a reply), `thank`, `answer`, or `route` it to a label (e.g. `pers`). A drill template's
`noise:` section mixes items in by kind and weight (scenarios.drills.timeline); the drill
services judge the handling (trainer.services.drills.noise).

Pure Python; no Streamlit. docs/drills.md is the author's guide.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scenarios.personas import CORE_FIELDS
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scoring.model import Language

NoiseKind = Literal["praise", "off_topic", "spam", "troll", "press", "influencer", "politician", "duplicate",
                    "no_answer_needed"]
Handling = Literal["ignore", "thank", "answer", "route"]
NOISE_KINDS: tuple[str, ...] = NoiseKind.__args__  # type: ignore[attr-defined]
PLACEHOLDERS = frozenset({*CORE_FIELDS, "brand"})  # what a noise text may use
PREFIX = "noise:"  # a drill conversation's scenario_id for a noise item: "noise:<item id>"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoiseItem(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    kind: NoiseKind
    text: str = Field(min_length=1)
    needs_answer: bool
    handling: Handling
    route: str | None = None  # the label to route to (handling: route)
    followers: int | None = Field(default=None, ge=0)  # a louder sender than a made-up persona

    @model_validator(mode="after")
    def _handling_fits(self) -> NoiseItem:
        if (self.handling == "route") != (self.route is not None):
            raise ValueError("'route' names a label exactly when handling is 'route'")
        if self.handling == "ignore" and self.needs_answer:
            raise ValueError("an item best ignored cannot need an answer")
        if self.handling in ("thank", "answer") and not self.needs_answer:
            raise ValueError(f"an item best handled with '{self.handling}' needs an answer")
        return self


class NoiseLibrary(_Strict):
    language: Language
    items: list[NoiseItem] = Field(min_length=1)

    def of_kind(self, kind: str) -> list[NoiseItem]:
        return [item for item in self.items if item.kind == kind]

    def get(self, item_id: str) -> NoiseItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"unknown noise item '{item_id}'")


def noise_dir(root: Path | None = None) -> Path:
    return (root or content_dir()) / "noise"


def _check(library: NoiseLibrary, path: Path, node, language: str) -> list[ContentError]:
    """What pydantic cannot see: the file's language, unique ids, known placeholders."""
    shown = display_path(path)
    errors = []

    def error(location: tuple, message: str, code: str) -> None:
        errors.append(ContentError(shown, line_of(node, location), " -> ".join(map(str, location)), message, code))

    if library.language != language:
        error(("language",), f"is '{library.language}' but the file is {language}.yaml", "N001")
    seen: set[str] = set()
    for i, item in enumerate(library.items):
        if item.id in seen:
            error(("items", i, "id"), f"'{item.id}' is used twice", "N002")
        seen.add(item.id)
        try:
            names = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(item.text) if name}
        except ValueError as exc:
            error(("items", i, "text"), f"has a broken placeholder ({exc}); write {{{{ and }}}} for literal braces", "N003")
            continue
        for name in sorted(names - PLACEHOLDERS):
            error(("items", i, "text"), f"uses {{{name}}}; a noise text may use {', '.join(sorted(PLACEHOLDERS))}", "N004")
    return errors


def load_noise(root: Path | None = None) -> tuple[dict[str, NoiseLibrary], list[ContentError]]:
    """Every language's noise library with every error found (a broken file is left out)."""
    libraries: dict[str, NoiseLibrary] = {}
    errors: list[ContentError] = []
    for path in sorted(noise_dir(root).glob("*.yaml")):
        try:
            library = load_model(path, NoiseLibrary)
            _, node = read_yaml(path)
        except ContentInvalid as exc:
            errors += exc.errors
            continue
        found = _check(library, path, node, path.stem)
        errors += found
        if not found:
            libraries[library.language] = library
    return libraries, errors


@lru_cache(maxsize=4)
def noise_catalogue(root: Path | None = None) -> dict[str, NoiseLibrary]:
    """The valid libraries by language; raises ContentInvalid listing every problem."""
    libraries, errors = load_noise(root)
    if errors:
        raise ContentInvalid(errors)
    return libraries


def noise_item(scenario_id: str, language: str, root: Path | None = None) -> NoiseItem | None:
    """The noise item behind a drill conversation's scenario_id ("noise:<id>"), else None."""
    if not scenario_id.startswith(PREFIX):
        return None
    return noise_catalogue(root)[language].get(scenario_id[len(PREFIX):])
