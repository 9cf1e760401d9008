"""Onboarding paths: a set of assignments with due dates by week, kept as data in
content/onboarding.yaml and given to a new colleague in one go (`assignments.assign_path`).

Checked at load like all content: the shape by pydantic, and every step's target against what
exists (trainer.services.assignment_targets, as for a manager's form), each error naming file and line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, PositiveInt

from scenarios.schema import SCENARIO_TYPES
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from trainer.db.models import AssignmentKind
from trainer.services.assignment_targets import missing
from trainer.services.policy import Label, Strict

# What a step's unknown target is called in the error, and its code, by what is missing.
UNKNOWN = {
    "scenario": ("is not a scenario in scenarios/", "E600"),
    "level": ("is not a level in content/certification.yaml", "E601"),
    "medium": ("is not a medium in content/media.yaml", "E602"),
    "scenario type": ("is not a scenario type (" + ", ".join(SCENARIO_TYPES) + ")", "E603"),
    "drill": ("must be 'any': every group drill counts", "E604"),
    "typing test": ("must be 'any': every typing test counts", "E604"),
}


class Step(Strict):
    week: PositiveInt  # due at the end of this week, counted from the day it is given
    kind: AssignmentKind
    target: str = Field(min_length=1)


class OnboardingPath(Strict):
    name: Label
    steps: list[Step] = Field(min_length=1)


class OnboardingPaths(Strict):
    paths: dict[str, OnboardingPath]


def load_paths(root: Path | None = None) -> dict[str, OnboardingPath]:
    """Every onboarding path, or ContentInvalid naming each unknown target (scenario, level, medium,
    scenario type; a drill or typing test other than "any") by file and line."""
    path = (root or content_dir()) / "onboarding.yaml"
    paths = load_model(path, OnboardingPaths).paths
    _, node = read_yaml(path)
    errors = []
    for path_id, onboarding in paths.items():
        for number, step in enumerate(onboarding.steps):
            unknown = missing(step.kind, step.target)
            if unknown is None:
                continue
            what, key = unknown
            message, code = UNKNOWN[what]
            where = ("paths", path_id, "steps", number, "target")
            errors.append(ContentError(display_path(path), line_of(node, where), " -> ".join(map(str, where)),
                                       f"'{key}' {message}", code))
    if errors:
        raise ContentInvalid(errors)
    return paths


@lru_cache(maxsize=1)
def onboarding_paths() -> dict[str, OnboardingPath]:
    return load_paths()
