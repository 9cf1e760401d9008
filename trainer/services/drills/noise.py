"""Noise in a drill: the posts that are not the story's customers (praise, spam, trolls, the
press, ...; content/noise/<lang>.yaml, scenarios.noise) and how well the team handled them.

A noise post is a drill conversation like any other (scenario_id "noise:<item id>"): it can be
claimed, answered, labelled and closed without a reply. It has no scenario engine behind it, so
a reply is not scored and ends the conversation; what counts is the choice the trainee made.

The verdict, one per noise post, judged on what was done by the end of the drill:

- routed (handling `route`): labelled with the item's label (e.g. `pers`) is good, else bad;
- needs an answer (praise, a question, a "me too"): answered is good, left or closed is bad;
- needs none (spam, a troll, a post that asks nothing): not answered (closed or left) is good,
  answered is bad.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from scenarios.noise import PREFIX, NoiseItem, noise_catalogue
from scenarios.personas import make_persona
from scenarios.schema import PersonaTemplate
from trainer.db.drill_models import DrillConversation

GOOD = ("answered_well", "ignored_well", "routed_well")
BAD = ("left_unanswered", "answered_needlessly", "not_routed")
VERDICTS = GOOD + BAD
DISMISSED = "dismissed"  # the outcome of a conversation closed without a reply
ANSWERED = "answered"  # the outcome of a noise post once it had its reply
# Who sends noise: mostly small accounts; spam and trolls go by nicknames.
_SENDER = PersonaTemplate(mood="neutral", followers=(15, 900))
_NICKNAMED = PersonaTemplate(mood="neutral", followers=(3, 300), handle_style="nickname")


def is_noise(conversation: DrillConversation) -> bool:
    return conversation.scenario_id.startswith(PREFIX)


def item_of(conversation: DrillConversation, language: str) -> NoiseItem:
    return noise_catalogue()[language].get(conversation.scenario_id[len(PREFIX):])


@dataclass(frozen=True)
class NoisePost:
    """A noise item as one sender writes it: their persona and the filled-in text."""

    item: NoiseItem
    persona: dict[str, str]
    text: str
    brand: str

    def to_json(self) -> str:
        # Stored in DrillConversation.conversation (where a scenario keeps its engine's JSON).
        return json.dumps({"noise": self.item.id, "brand": self.brand, "persona": self.persona}, ensure_ascii=False)


def noise_post(item_id: str, language: str, brand: str, seed: int) -> NoisePost:
    item = noise_catalogue()[language].get(item_id)
    template = _NICKNAMED if item.kind in ("spam", "troll") else _SENDER
    persona = make_persona(template, language, seed)
    text = item.text.format(**persona, brand=brand)
    return NoisePost(item=item, persona=persona, text=text, brand=brand)


def kinds_for(language: str) -> list[str]:
    """The noise kinds the language's library has items of, in the order of NOISE_KINDS: what the
    manager may inject by hand."""
    from scenarios.noise import NOISE_KINDS

    library = noise_catalogue()[language]
    return [kind for kind in NOISE_KINDS if library.of_kind(kind)]


def pick_item(kind: str, language: str, *, used: set[str], seed: str) -> NoiseItem:
    """An item of `kind` for a live inject: one the drill has not shown yet while there is one
    (the curve's noise and earlier injects alike), else any; seeded, so a retry picks the same."""
    items = noise_catalogue()[language].of_kind(kind)
    if not items:
        raise KeyError(f"no '{kind}' noise in the {language} library")
    fresh = [item for item in items if item.id not in used] or items
    return random.Random(seed).choice(sorted(fresh, key=lambda item: item.id))


def verdict(item: NoiseItem, *, replies: int, label: str | None) -> str:
    """How the team handled one noise post (one of VERDICTS)."""
    if item.handling == "route":
        return "routed_well" if label == item.route else "not_routed"
    if item.needs_answer:
        return "answered_well" if replies else "left_unanswered"
    return "answered_needlessly" if replies else "ignored_well"


@dataclass(frozen=True)
class NoiseKindFigures:
    kind: str
    posts: int
    good: int
    bad: int
    verdicts: dict[str, int]  # verdict -> how many


def per_kind(judged: list[tuple[str, str]]) -> list[NoiseKindFigures]:
    """(kind, verdict) pairs summed per kind, in the order of scenarios.noise.NOISE_KINDS."""
    from scenarios.noise import NOISE_KINDS

    figures = []
    for kind in NOISE_KINDS:
        found = [v for k, v in judged if k == kind]
        if not found:
            continue
        counts = {v: found.count(v) for v in VERDICTS if v in found}
        figures.append(NoiseKindFigures(kind=kind, posts=len(found), good=sum(1 for v in found if v in GOOD),
                                        bad=sum(1 for v in found if v in BAD), verdicts=counts))
    return figures
