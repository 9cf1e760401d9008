"""The scenario format: what a file in content/scenarios/<lang>/*.yaml may contain.

Everything is `extra="forbid"` so a misspelt key is an error with its line, never silently
ignored. Checks that need more than one field or more than one file (unknown states, unknown
media, placeholders the persona does not provide...) live in `scenarios.loader`, where the
YAML positions are at hand.

docs/content.md is the author's guide to this format.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PositiveInt, PrivateAttr, model_validator

from scoring.model import ExpectedElement, Language

ScenarioType = Literal["angry_customer", "cancellation", "escalation", "proactive", "handover"]
SCENARIO_TYPES: tuple[str, ...] = get_args(ScenarioType)  # the one list of scenario types
Sector = Literal[
    "airline", "rail", "public_transport", "telecom", "energy", "bank", "insurer", "ecommerce",
    "municipality", "housing", "healthcare", "delivery",
]
Mood = Literal["angry", "furious", "frustrated", "worried", "disappointed", "neutral", "friendly", "sarcastic", "confused"]

# Where a conversation can end: the one list of these words. The stored AttemptOutcome
# (trainer/db/models.py), the certification policy, the screens and content validation use it.
EndState = Literal["resolved", "moved_private", "escalated", "lost"]
END_STATES: tuple[str, ...] = get_args(EndState)
GOOD_ENDS = frozenset({"resolved", "moved_private"})  # good outcomes for the trainee
BAD_ENDS = frozenset(END_STATES) - GOOD_ENDS

# Actions a trainee can take besides (or with) a text reply. `handover:<department>` names a
# department from the language file (content/scenarios/<lang>/_language.yaml).
ACTION_PATTERN = re.compile(r"^(move_to_dm|offer_call|press_office|handover:[a-z][a-z0-9_]*)$")
STATE_ID = r"^[a-z][a-z0-9_]*$"

# Channels outside webcare that earlier contact (`history`) may have been on, besides the media.
OFFLINE_CHANNELS = ("phone", "letter", "shop")


def _as_phrasings(value: object) -> object:
    """A customer message is one text or a list of phrasings of the same message."""
    return [value] if isinstance(value, str) else value


Phrasings = Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(_as_phrasings), Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonaTemplate(Strict):
    """Who the customer is. Names, cities and codes come from Faker, seeded per conversation."""

    mood: Mood
    followers: tuple[int, int] = (50, 400)
    # Extra fields beyond the ones every persona has (see scenarios.personas.CORE_FIELDS).
    fields: list[str] = Field(default_factory=list)
    flight_prefix: str = Field(default="SN", pattern=r"^[A-Z]{2}$")
    handle_style: Literal["name", "nickname"] = "name"

    @model_validator(mode="after")
    def _followers_ordered(self) -> PersonaTemplate:
        low, high = self.followers
        if low < 0 or high < low:
            raise ValueError("followers must be [fewest, most] with fewest first and not negative")
        return self


class HistoryItem(Strict):
    """Earlier contact on another channel (a medium, or phone/letter/shop). Agent texts become
    the scorer's prior replies."""

    medium: str
    by: Literal["customer", "agent"]
    author: str | None = None
    when: str | None = None
    text: str = Field(min_length=1)


class Condition(Strict):
    """Everything given must hold. An empty condition always holds (a catch-all)."""

    total_at_least: float | None = Field(default=None, ge=0, le=100)
    total_below: float | None = Field(default=None, ge=0, le=100)
    # Per dimension; a dimension that could not be checked (or is not installed) is skipped.
    scores_at_least: dict[str, float] = Field(default_factory=dict)
    scores_below: dict[str, float] = Field(default_factory=dict)
    passed: bool | None = None
    critical: bool | None = None
    privacy_breach: bool | None = None
    repeated: bool | None = None
    moved_private: bool | None = None
    present: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    no_rules: list[str] = Field(default_factory=list)
    action: str | list[str] | None = None
    visits_at_least: PositiveInt | None = None

    @property
    def actions(self) -> list[str]:
        if self.action is None:
            return []
        return [self.action] if isinstance(self.action, str) else list(self.action)


class Reach(Strict):
    """How far public outrage spreads on this step: ranges, the seed picks a number."""

    retweets: tuple[int, int] = (0, 0)
    followers: tuple[int, int] = (0, 0)


class Transition(Strict):
    when: Condition = Field(default_factory=Condition)
    to: str
    # Said by the customer on this step instead of the target state's own messages.
    customer: list[Phrasings] | None = None
    # Why the conversation went this way; shown to the trainee afterwards.
    note: str | None = None
    reach: Reach | None = None


class State(Strict):
    customer: list[Phrasings] = Field(default_factory=list)
    mood: Mood | None = None
    # Continue on the medium's private channel from here (e.g. after moving to DM).
    private: bool = False
    expected: list[str] = Field(default_factory=list)
    knowledge: list[str] = Field(default_factory=list)
    model_answer: str = Field(min_length=1)
    model_action: str | None = None
    transitions: list[Transition] = Field(min_length=1)


class Ending(Strict):
    customer: list[Phrasings] = Field(default_factory=list)
    reach: Reach | None = None
    debrief: str | None = None


class PathReply(Strict):
    text: str = Field(min_length=1)
    action: str | None = None


def _as_path_reply(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class TestPath(Strict):
    """A scripted conversation the test suite plays with the real scorer."""

    __test__ = False  # not a pytest class
    name: str
    medium: str | None = None
    seed: int = 1
    replies: list[Annotated[PathReply, BeforeValidator(_as_path_reply)]] = Field(min_length=1)
    ends: EndState


class Scenario(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: PositiveInt
    language: Language
    type: ScenarioType
    sector: Sector
    brand: str
    title: str = Field(min_length=1)
    briefing: str = Field(min_length=1)
    media: list[str] = Field(min_length=1)
    difficulty: int = Field(ge=1, le=5)
    persona: PersonaTemplate
    facts: dict[str, str | list[str]] = Field(default_factory=dict)
    history: list[HistoryItem] = Field(default_factory=list)
    opening: list[Phrasings] = Field(min_length=1)
    expected_elements: list[ExpectedElement] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    private_cues: list[str] = Field(default_factory=list)
    states: dict[str, State] = Field(min_length=1)
    endings: dict[EndState, Ending] = Field(default_factory=dict)
    test_paths: list[TestPath] = Field(min_length=2)
    # Where it was loaded from, for messages ("content/scenarios/nl/x.yaml").
    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        return self._source

    def element(self, element_id: str) -> ExpectedElement:
        return next(e for e in self.expected_elements if e.id == element_id)

    def title_line(self) -> str:
        return f"{self.id} ({self.language}, {self.type}, {self.sector}, difficulty {self.difficulty}): {self.title}"


class LanguagePack(Strict):
    """Shared words for every scenario in one language: content/scenarios/<lang>/_language.yaml."""

    language: Language
    outcomes: dict[EndState, str]
    actions: dict[str, str]
    departments: dict[str, str] = Field(default_factory=dict)
    private_cues: list[str] = Field(min_length=1)
    moods: dict[Mood, str] = Field(default_factory=dict)

    def action_label(self, action: str) -> str:
        if action.startswith("handover:"):
            department = action.split(":", 1)[1]
            return self.actions.get("handover", "handover").format(department=self.departments.get(department, department))
        return self.actions.get(action, action)
