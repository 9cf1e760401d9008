"""Announcement exercises: content/announcements/<lang>/<id>.yaml (files starting with _ are not
exercises; `_rubric.yaml` is the rubric, scoring/announcement.py).

An exercise is an outage as the webcare team hears of it: the brief with the facts (what
happened, since when, who is affected, what customers can do, when the next update is), and a
second brief an hour later with what changed. The trainee writes the public announcement, then
its update; both are scored on the announcement rubric, each against its own brief. Model
answers per medium show how; tests/scoring/test_announcement.py scores every one, and every
`weak_posts` entry must raise the rules it names.

Checks beyond the fields: the language matches the folder (A101), the brand is in the glossary
(A102), every medium exists and is public with an announcement length in the rubric (A103), a
model answer for every medium and none for others (A104), cue and fact keys are elements of the
rubric (A105), weak posts name rules the rubric raises (A106), ids are unique (A107).
docs/content.md is the author's guide.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from scoring.announcement import announcement_rubric
from scoring.config import glossary, media_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scenarios.schema import Sector
from scoring.model import AnnouncementBrief, Language

Stage = Literal["first", "update"]
STAGES: tuple[Stage, ...] = ("first", "update")
PREFIX = "announcement:"  # a drill conversation's scenario_id for an announcement: "announcement:<id>"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WeakPost(_Strict):
    """A post a trainee might write, and the rules the rubric must raise on it."""

    medium: str | None = None  # default: the exercise's first medium
    text: str = Field(min_length=1)
    rules: list[str] = Field(min_length=1)


class Brief(_Strict):
    situation: str = Field(min_length=1)
    # element id of the rubric -> the fact the trainee is given for it
    facts: dict[str, str] = Field(min_length=1)
    # element id -> this brief's own words that count for it (places, the cause, what changed)
    cues: dict[str, list[str]] = Field(default_factory=dict)
    final: bool = False  # the update says it is over: no next update is due
    model_answers: dict[str, str] = Field(min_length=1)  # medium -> an excellent post
    weak_posts: list[WeakPost] = Field(default_factory=list)


class Exercise(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: PositiveInt = 1
    language: Language
    sector: Sector
    brand: str = Field(min_length=1)
    title: str = Field(min_length=1)
    media: list[str] = Field(min_length=1)
    difficulty: int = Field(default=2, ge=1, le=5)
    first: Brief
    update: Brief

    def brief(self, stage: Stage) -> Brief:
        return self.first if stage == "first" else self.update

    def scoring_brief(self, stage: Stage) -> AnnouncementBrief:
        """What the scorer needs of a brief: which post, whether it is over, the brief's cues."""
        brief = self.brief(stage)
        return AnnouncementBrief(kind=stage, final=brief.final, cues={k: list(v) for k, v in brief.cues.items()})

    def brand_terms(self) -> list[str]:
        return [self.brand]


def _check(exercise: Exercise, folder: str, path: Path, node, root: Path | None) -> list[ContentError]:
    shown = display_path(path)
    errors: list[ContentError] = []

    def error(where: tuple, message: str, code: str) -> None:
        errors.append(ContentError(shown, line_of(node, where), " -> ".join(str(p) for p in where), message, code))

    if exercise.language != folder:
        error(("language",), f"is '{exercise.language}' but the file is in announcements/{folder}/", "A101")
    if exercise.brand.lower() not in glossary(root):
        error(("brand",), f"'{exercise.brand}' is not a brand in content/glossary.yaml (only fictional brands)", "A102")
    rubric = announcement_rubric(exercise.language, root)
    media = media_catalogue(root).media
    for index, medium in enumerate(exercise.media):
        if medium not in media or not media[medium].public or medium not in rubric.media:
            error(("media", index), f"'{medium}' is not a public medium with an announcement length in "
                  f"content/announcements/{exercise.language}/_rubric.yaml ({', '.join(rubric.media)})", "A103")
    raised = set(rubric.rules()) | {"length.too_short", "length.too_long", "length.over_limit"}
    for stage in STAGES:
        brief = exercise.brief(stage)
        for medium in exercise.media:
            if medium not in brief.model_answers:
                error((stage, "model_answers"), f"has no model answer for '{medium}'", "A104")
        for medium in brief.model_answers:
            if medium not in exercise.media:
                error((stage, "model_answers", medium), f"'{medium}' is not one of the exercise's media", "A104")
        for part in ("facts", "cues"):
            for key in getattr(brief, part):
                if key not in rubric.elements:
                    error((stage, part, key), f"'{key}' is not an element of the rubric ({', '.join(rubric.elements)})",
                          "A105")
        for index, weak in enumerate(brief.weak_posts):
            if weak.medium is not None and weak.medium not in exercise.media:
                error((stage, "weak_posts", index, "medium"), f"'{weak.medium}' is not one of the exercise's media", "A104")
            for number, rule in enumerate(weak.rules):
                if rule not in raised:
                    error((stage, "weak_posts", index, "rules", number), f"'{rule}' is not a rule of the rubric", "A106")
    return errors


def exercise_files(language: str, root: Path | None = None) -> list[Path]:
    folder = (root or content_dir()) / "announcements" / language
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


@lru_cache(maxsize=None)
def announcement_catalogue(root: Path | None = None) -> dict[str, Exercise]:
    """Every exercise of every language by id, validated; ContentInvalid lists every problem."""
    found: dict[str, Exercise] = {}
    where: dict[str, str] = {}
    errors: list[ContentError] = []
    for language in ("nl", "en"):
        for path in exercise_files(language, root):
            try:
                exercise = load_model(path, Exercise)
            except ContentInvalid as exc:
                errors.extend(exc.errors)
                continue
            _, node = read_yaml(path)
            try:
                errors.extend(_check(exercise, language, path, node, root))
            except ContentInvalid as exc:  # the rubric itself is broken
                errors.extend(exc.errors)
                continue
            if exercise.id in found:
                errors.append(ContentError(display_path(path), line_of(node, ("id",)), "id",
                                           f"'{exercise.id}' is already used by {where[exercise.id]}", "A107"))
                continue
            found[exercise.id], where[exercise.id] = exercise, display_path(path)
    if errors:
        raise ContentInvalid(list(dict.fromkeys(errors)))
    return found


def exercises(language: str) -> list[Exercise]:
    """The exercises of one language, easiest first."""
    return sorted((e for e in announcement_catalogue().values() if e.language == language),
                  key=lambda e: (e.difficulty, e.title))


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return announcement_catalogue()[exercise_id]
    except KeyError:
        raise KeyError(f"no announcement exercise '{exercise_id}'") from None
