"""Group drill templates (content/drills/*.yaml) and the timeline they produce.

A template tells the story of a bad day: how long the drill lasts, how many customers write in
during each phase of the volume curve (calm, surge, tail), which scenarios and media they come
on, injects at fixed minutes ("a journalist asks for a statement"), the SLA per medium, the
labels a team may put on a conversation and the noise mixed in (praise, spam, trolls, the press:
content/noise/<lang>.yaml, scenarios.noise). `timeline(template, seed)` turns it into the exact
list of arrivals, the same for the same seed, so every app process serving one drill agrees on
what arrives when without talking to each other.

Pure Python; no Streamlit. docs/drills.md is the author's guide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from scenarios.noise import PREFIX as NOISE_PREFIX
from scenarios.noise import NoiseKind, NoiseLibrary, noise_catalogue
from scenarios.variation import OPENINGS_FILE, OpeningFrames
from scoring.config import media_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scoring.model import Language

Phase = Literal["calm", "surge", "tail"]
NUDGES_FILE = "_nudges.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CurvePhase(_Strict):
    phase: Phase
    minutes: float = Field(gt=0)
    messages: int = Field(ge=0)  # new customers arriving in this phase


class Inject(_Strict):
    """A message the story forces in at a fixed minute, e.g. a journalist or an influencer."""

    minute: float = Field(ge=0)
    title: str = Field(min_length=1)  # what the manager sees on the timeline
    scenario: str
    medium: str
    followers: int | None = Field(default=None, ge=0)  # a louder customer than the persona's
    label: str | None = None  # put on the conversation at once (e.g. press)


class Neglect(_Strict):
    """A customer left waiting writes again and gets louder: after `after_share` of the SLA,
    then every further `every_share`, at most `max_nudges` times; on a public medium each nudge
    spreads the conversation with a badness of `reach_growth` times content/reach.yaml's
    `badness.ignored` (trainer/services/drills/reach.py)."""

    after_share: float = Field(default=0.5, gt=0)
    every_share: float = Field(default=0.5, gt=0)
    max_nudges: int = Field(default=3, ge=0)
    reach_growth: float = Field(default=0.05, ge=0)


Share = Annotated[float, Field(ge=0, le=1)]


class NoiseMix(_Strict):
    """The posts that are not the story's customers: `share` of each phase's messages (or the
    phase's own share in `phases`) is noise, of the `kinds` by weight, from the language's
    noise library. `brand` fills {brand}; by default the brand of the heaviest scenario."""

    share: Share
    phases: dict[Phase, Share] = Field(default_factory=dict)
    kinds: dict[NoiseKind, PositiveInt] = Field(min_length=1)
    brand: str | None = None

    def share_in(self, phase: str) -> float:
        return self.phases.get(phase, self.share)  # type: ignore[call-overload]


class DrillTemplate(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    language: Language
    title: str = Field(min_length=1)
    story: str = Field(min_length=1)
    curve: list[CurvePhase] = Field(min_length=1)
    scenarios: dict[str, PositiveInt] = Field(min_length=1)  # scenario id -> weight
    media: dict[str, PositiveInt] = Field(min_length=1)  # medium -> weight
    injects: list[Inject] = Field(default_factory=list)
    sla_seconds: dict[str, PositiveInt] = Field(default_factory=dict)  # falls back to media.yaml
    labels: list[str] = Field(min_length=1)
    idle_release_seconds: PositiveInt = 120
    neglect: Neglect = Neglect()
    noise: NoiseMix | None = None

    @model_validator(mode="after")
    def _labels_unique(self) -> DrillTemplate:
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("labels must not repeat")
        return self

    @property
    def duration_seconds(self) -> float:
        return sum(p.minutes for p in self.curve) * 60

    @property
    def total_messages(self) -> int:
        return sum(p.messages for p in self.curve) + len(self.injects)

    def sla_for(self, medium: str) -> int:
        """The SLA in seconds for `medium`: the template's, else content/media.yaml's."""
        if medium in self.sla_seconds:
            return self.sla_seconds[medium]
        return media_catalogue().media[medium].sla_seconds


class NudgeTexts(_Strict):
    """What a neglected customer writes, per language; `{brand}` and persona fields allowed."""

    nl: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Arrival:
    """One customer writing in: `offset` seconds after the drill started (drill time)."""

    index: int
    offset: float
    scenario_id: str
    medium: str
    seed: int
    phase: str
    inject: Inject | None = None
    noise: str | None = None  # a noise item's id (scenario_id is then "noise:<id>")
    variant: int | None = None  # the n-th customer of its scenario in this drill (scenarios.variation); noise: None


# --------------------------------------------------------------------------------- loading


def drills_dir(root: Path | None = None) -> Path:
    return (root or content_dir()) / "drills"


def _check(template: DrillTemplate, path: Path, node, scenario_media: dict[str, tuple[str, str]],
           noise: dict[str, NoiseLibrary]) -> list[ContentError]:
    """Cross-file checks: scenarios exist in the template's language, media are known and can
    be played by some chosen scenario, injects name a playable scenario and medium, noise kinds
    have items in the language's library and route only to the drill's labels, noise phases are
    phases of the curve."""
    shown = display_path(path)
    media = set(media_catalogue().media)
    errors = []

    def error(location: tuple, message: str, code: str) -> None:
        errors.append(ContentError(shown, line_of(node, location), " -> ".join(map(str, location)), message, code))

    for scenario_id in template.scenarios:
        found = scenario_media.get(scenario_id)
        if found is None:
            error(("scenarios", scenario_id), "is not a known scenario", "D001")
        elif found[0] != template.language:
            error(("scenarios", scenario_id), f"is in '{found[0]}', the drill is in '{template.language}'", "D002")
    for medium in [*template.media, *template.sla_seconds]:
        if medium not in media:
            error(("media" if medium in template.media else "sla_seconds", medium), "is not a medium in content/media.yaml", "D003")
    playable = {m for s in template.scenarios if s in scenario_media for m in scenario_media[s][1].split(",")}
    for medium in template.media:
        if medium in media and medium not in playable:
            error(("media", medium), "is played by none of the drill's scenarios", "D004")
    minutes = sum(p.minutes for p in template.curve)
    for i, inject in enumerate(template.injects):
        found = scenario_media.get(inject.scenario)
        if found is None:
            error(("injects", i, "scenario"), "is not a known scenario", "D001")
        elif inject.medium not in found[1].split(","):
            error(("injects", i, "medium"), f"scenario '{inject.scenario}' is not played on '{inject.medium}'", "D005")
        if inject.minute > minutes:
            error(("injects", i, "minute"), f"is after the drill's end (minute {minutes:g})", "D006")
        if inject.label is not None and inject.label not in template.labels:
            error(("injects", i, "label"), "is not one of the drill's labels", "D007")
    if template.noise is not None:
        phases = {p.phase for p in template.curve}
        for phase in template.noise.phases:
            if phase not in phases:
                error(("noise", "phases", phase), "is not a phase of the drill's curve", "D011")
        library = noise.get(template.language)
        for kind in template.noise.kinds:
            items = library.of_kind(kind) if library else []
            if not items:
                error(("noise", "kinds", kind), f"has no items in content/noise/{template.language}.yaml", "D009")
            for route in sorted({item.route for item in items if item.route and item.route not in template.labels}):
                error(("noise", "kinds", kind), f"routes to label '{route}', which is not one of the drill's labels", "D010")
    return errors


def _scenario_media() -> dict[str, tuple[str, str]]:
    from scenarios.loader import scenario_catalogue

    return {s.id: (s.language, ",".join(s.media)) for s in scenario_catalogue().values()}


def load_drills(root: Path | None = None) -> tuple[dict[str, DrillTemplate], list[ContentError]]:
    """Every drill template with every error found (a broken file is left out)."""
    folder = drills_dir(root)
    templates: dict[str, DrillTemplate] = {}
    errors: list[ContentError] = []
    scenario_media = _scenario_media()
    try:
        noise = noise_catalogue(root)
    except ContentInvalid as exc:
        errors += exc.errors
        noise = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            template = load_model(path, DrillTemplate)
            _, node = read_yaml(path)
        except ContentInvalid as exc:
            errors += exc.errors
            continue
        found = _check(template, path, node, scenario_media, noise)
        if template.id in templates:
            found.append(ContentError(display_path(path), line_of(node, ("id",)), "id", f"'{template.id}' is used twice", "D008"))
        errors += found
        if not found:
            templates[template.id] = template
    for name, model in ((NUDGES_FILE, NudgeTexts), (OPENINGS_FILE, OpeningFrames)):
        try:
            load_model(folder / name, model)
        except ContentInvalid as exc:
            errors += exc.errors
    return templates, errors


@lru_cache(maxsize=4)
def drill_catalogue(root: Path | None = None) -> dict[str, DrillTemplate]:
    """The valid templates; raises ContentInvalid listing every problem if any file is wrong."""
    templates, errors = load_drills(root)
    if errors:
        raise ContentInvalid(errors)
    return templates


def noise_brand(template: DrillTemplate) -> str:
    """The brand noise posts are about: the template's, else that of its heaviest scenario."""
    if template.noise is not None and template.noise.brand:
        return template.noise.brand
    from scenarios.engine import get_scenario

    heaviest = min(template.scenarios, key=lambda s: (-template.scenarios[s], s))
    return get_scenario(heaviest).brand


@lru_cache(maxsize=4)
def nudge_texts(root: Path | None = None) -> NudgeTexts:
    return load_model(drills_dir(root) / NUDGES_FILE, NudgeTexts)


def get_template(template_id: str, root: Path | None = None) -> DrillTemplate:
    templates = drill_catalogue(root)
    if template_id not in templates:
        raise KeyError(f"unknown drill template '{template_id}'")
    return templates[template_id]


def templates_for(language: str | None = None, root: Path | None = None) -> list[DrillTemplate]:
    found = drill_catalogue(root).values()
    return sorted((t for t in found if language is None or t.language == language), key=lambda t: (t.language != "nl", t.id))


# -------------------------------------------------------------------------------- timeline


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    names = sorted(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def timeline(template: DrillTemplate, seed: int) -> list[Arrival]:
    """Every arrival of the drill in order of time. Within a phase the messages are spread
    evenly with a little seeded jitter; the phase's noise share of them (seeded slots) are noise
    items, each of a kind by weight, on a medium by weight; the others pick a scenario by
    weight, then a medium by weight among the media that scenario is played on."""
    from scenarios.engine import get_scenario

    rng = random.Random(f"drill:{template.id}:{seed}")
    noise = _NoisePicker(template, seed)
    arrivals: list[tuple[float, int, str, str, str, Inject | None, str | None]] = []
    start = 0.0
    order = 0
    for phase in template.curve:
        length = phase.minutes * 60
        gap = length / phase.messages if phase.messages else length
        noisy = noise.slots(phase)
        for i in range(phase.messages):
            offset = start + gap * (i + rng.uniform(0.1, 0.9))
            scenario_id = _weighted(rng, template.scenarios)
            offered = {m: w for m, w in template.media.items() if m in get_scenario(scenario_id).media}
            medium = _weighted(rng, offered) if offered else get_scenario(scenario_id).media[0]
            if i in noisy:  # drawn all the same: a noise post takes this customer's place, the rest stay
                item_id = noise.next_item()
                arrivals.append((offset, order, NOISE_PREFIX + item_id, noise.medium(), phase.phase, None, item_id))
            else:
                arrivals.append((offset, order, scenario_id, medium, phase.phase, None, None))
            order += 1
        start += length
    for inject in template.injects:
        offset = inject.minute * 60
        phase = _phase_at(template, offset)
        arrivals.append((offset, order, inject.scenario, inject.medium, phase, inject, None))
        order += 1
    arrivals.sort(key=lambda a: (a[0], a[1]))
    seen: dict[str, int] = {}  # customers of each scenario so far: their openings vary in turn

    def variant(scenario_id: str) -> int:
        seen[scenario_id] = seen.get(scenario_id, -1) + 1
        return seen[scenario_id]

    return [
        Arrival(index=i, offset=round(offset, 3), scenario_id=scenario_id, medium=medium,
                seed=rng_seed(seed, i), phase=phase, inject=inject, noise=item_id,
                variant=None if item_id else variant(scenario_id))
        for i, (offset, _, scenario_id, medium, phase, inject, item_id) in enumerate(arrivals)
    ]


class _NoisePicker:
    """The noise of one drill, from its own seeded stream (so the arrival times and the story's
    other customers do not depend on it): which slots of a phase are noise, then items of a kind by weight, each kind's items in a
    seeded order without repeats until its pool is used up."""

    def __init__(self, template: DrillTemplate, seed: int):
        self.mix = template.noise
        self.media = template.media
        self.rng = random.Random(f"noise:{template.id}:{seed}")
        self.pools: dict[str, list[str]] = {}
        if self.mix is not None:
            library = noise_catalogue()[template.language]
            for kind in sorted(self.mix.kinds):
                self.pools[kind] = [item.id for item in library.of_kind(kind)]
        self.used: dict[str, int] = {}

    def slots(self, phase: CurvePhase) -> set[int]:
        if self.mix is None or phase.messages == 0:
            return set()
        count = round(self.mix.share_in(phase.phase) * phase.messages)
        return set(self.rng.sample(range(phase.messages), count))

    def next_item(self) -> str:
        assert self.mix is not None
        kind = _weighted(self.rng, dict(self.mix.kinds))
        pool, used = self.pools[kind], self.used.get(kind, 0)
        if used % len(pool) == 0:  # a new round through the kind's items, in a new order
            self.rng.shuffle(pool)
        self.used[kind] = used + 1
        return pool[used % len(pool)]

    def medium(self) -> str:
        return _weighted(self.rng, self.media)


def rng_seed(seed: int, index: int) -> int:
    """The scenario seed of arrival `index`: different customers, the same for the same drill."""
    return random.Random(f"arrival:{seed}:{index}").randrange(1, 2**31)


def _phase_at(template: DrillTemplate, offset: float) -> str:
    start = 0.0
    for phase in template.curve:
        start += phase.minutes * 60
        if offset < start:
            return phase.phase
    return template.curve[-1].phase


def arrivals_per_minute(arrivals: list[Arrival], duration_seconds: float) -> list[int]:
    """How many customers arrive in each minute of the drill (for the timeline chart)."""
    minutes = max(1, int(-(-duration_seconds // 60)))
    counts = [0] * minutes
    for arrival in arrivals:
        counts[min(minutes - 1, int(arrival.offset // 60))] += 1
    return counts
