"""The certification policy, proficiency levels and team status thresholds from
content/certification.yaml.

Validated at load time with file:line errors; media ids are checked against content/media.yaml
and dimension names against the scoring dimensions, so a typo cannot make a level unreachable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from scenarios.schema import SCENARIO_TYPES
from scoring.config import DIMENSIONS, media_catalogue
from scoring.contentfile import content_dir, load_model



class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class ProficiencyLevel(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    min: float = Field(ge=0, le=100)
    label: Label
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")  # its band in the My progress grid


class Proficiency(Strict):
    recent_half_life: float = Field(gt=0)
    levels: list[ProficiencyLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending_from_zero(self) -> Proficiency:
        minimums = [level.min for level in self.levels]
        if minimums[0] != 0 or minimums != sorted(set(minimums)):
            raise ValueError("levels must start at min 0 and rise strictly")
        return self

    def level_for(self, score: float) -> ProficiencyLevel:
        return [level for level in self.levels if score >= level.min][-1]


class TeamStatus(Strict):
    """When the Team page calls a trainee practising or stuck."""

    active_days: PositiveInt  # practising: a scored reply in this many days
    stuck_after_replies: PositiveInt  # judge "stuck" only after this many replies
    stuck_pass_rate_below: float = Field(gt=0, le=1)  # stuck: a smaller share of replies passed


class CertificationLevel(Strict):
    name: Label
    valid_days: PositiveInt
    requires: list[str] = Field(default_factory=list)
    media: list[str] = Field(default_factory=list)
    scenario_types: list[str] = Field(default_factory=list)
    window_attempts: PositiveInt
    min_dimension_scores: dict[str, float] = Field(default_factory=dict)
    no_critical_in_last_attempts: int = Field(ge=0)
    min_group_drills: int = Field(default=0, ge=0)

    @field_validator("media")
    @classmethod
    def _known_media(cls, media: list[str]) -> list[str]:
        known = set(media_catalogue().media)
        unknown = [m for m in media if m not in known]
        if unknown:
            raise ValueError(f"unknown media {unknown} (known: {', '.join(sorted(known))})")
        return media

    @field_validator("scenario_types")
    @classmethod
    def _known_types(cls, types: list[str]) -> list[str]:
        unknown = [t for t in types if t not in SCENARIO_TYPES]
        if unknown:
            raise ValueError(f"unknown scenario types {unknown} (known: {', '.join(SCENARIO_TYPES)})")
        return types

    @field_validator("min_dimension_scores")
    @classmethod
    def _known_dimensions(cls, minimums: dict[str, float]) -> dict[str, float]:
        unknown = [d for d in minimums if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown dimensions {unknown} (known: {', '.join(DIMENSIONS)})")
        if any(not 0 <= v <= 100 for v in minimums.values()):
            raise ValueError("minimum dimension scores are between 0 and 100")
        return minimums


REASON_CODES = (
    "requires_level",
    "medium_not_passed",
    "scenario_type_not_passed",
    "dimension_unscored",
    "dimension_below_minimum",
    "critical_findings",
    "group_drills",
)


class ReasonMessages(Strict):
    """One template per reason code, so every unmet requirement can be explained."""

    requires_level: str
    medium_not_passed: str
    scenario_type_not_passed: str
    dimension_unscored: str
    dimension_below_minimum: str
    critical_findings: str
    group_drills: str


class CertificationPolicy(Strict):
    proficiency: Proficiency
    team_status: TeamStatus
    levels: dict[str, CertificationLevel] = Field(min_length=1)
    messages: dict[Literal["nl", "en"], ReasonMessages]

    @model_validator(mode="after")
    def _both_languages(self) -> CertificationPolicy:
        if set(self.messages) != {"nl", "en"}:
            raise ValueError("messages are needed in nl and en")
        return self

    @model_validator(mode="after")
    def _requirements_exist(self) -> CertificationPolicy:
        for level_id, level in self.levels.items():
            missing = [r for r in level.requires if r not in self.levels or r == level_id]
            if missing:
                raise ValueError(f"level {level_id} requires unknown levels {missing}")
        return self


@lru_cache(maxsize=None)
def load_policy(root: Path | None = None) -> CertificationPolicy:
    return load_model((root or content_dir()) / "certification.yaml", CertificationPolicy)
