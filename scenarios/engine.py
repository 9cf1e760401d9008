"""The customer's side of a conversation: a state machine driven by scorecards.

    conversation = scenarios.start("nl-vlucht-geannuleerd-schiphol", "twitter", seed=7)
    conversation.pending_customer_messages      # what the customer posted
    context = conversation.context_for_reply(seconds_to_reply=45)
    card = score_reply(text, context)
    turn = conversation.reply(text, card)       # next customer message(s) or an end state

Everything random (persona, facts, phrasings, reach) is derived from the seed and the place
it is used, never from a shared random generator, so the same seed and the same replies give
the same conversation, also after `to_json()` / `Conversation.from_json()`.
"""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from scenarios import variation
from scenarios.knowledge import knowledge_base
from scenarios.loader import language_pack, scenario_catalogue
from scenarios.personas import make_persona
from scenarios.schema import ACTION_PATTERN, END_STATES, GOOD_ENDS, Reach, Scenario, State, Transition
from scenarios.signals import element_groups, elements_found, holds, read_signals
from scoring.config import media_catalogue
from scoring.model import Language, PriorReply, ReplyContext, Scorecard

FORMAT_VERSION = 1


class ConversationOver(ValueError):
    """A reply was sent after the conversation had ended."""


class Message(BaseModel):
    role: Literal["customer", "agent"]
    text: str
    medium: str
    action: str | None = None


class Turn(BaseModel):
    """What one reply led to."""

    number: int
    state_before: str
    state: str
    reply: str
    medium: str
    action: str | None = None
    total: float
    passed: bool
    rules: list[str] = Field(default_factory=list)
    elements_present: list[str] = Field(default_factory=list)
    customer_messages: list[str] = Field(default_factory=list)
    note: str | None = None
    ended: bool = False
    outcome: str | None = None

    @property
    def good_outcome(self) -> bool | None:
        return None if self.outcome is None else self.outcome in GOOD_ENDS


class ConversationRecord(BaseModel):
    """Everything needed to resume a conversation; what `to_json` writes."""

    format: int = FORMAT_VERSION
    scenario_id: str
    scenario_version: int
    language: Language
    start_medium: str
    seed: int
    persona: dict[str, str]
    facts: dict[str, str]
    state: str
    answered: dict[str, int] = Field(default_factory=dict)
    transcript: list[Message] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    retweets: int = 0
    followers_gained: int = 0


def catalogue(language: str | None = None, root: Path | None = None) -> list[Scenario]:
    """Every scenario (of one language), sorted by language, difficulty and id."""
    found = scenario_catalogue(root).values()
    chosen = [s for s in found if language is None or s.language == language]
    return sorted(chosen, key=lambda s: (s.language != "nl", s.language, s.difficulty, s.id))


_warmed: set[str] = set()
_warming = threading.Lock()


def warm_up(language: str) -> None:
    """Build what a language's conversations need once per process, one thread at a time: the
    scorer's pipeline (`scoring.warm_up`), the personas' Faker locale and every scenario's
    element matchers. Otherwise the first replies of a group drill, arriving together, each
    build them, and spaCy's matchers are not built safely from several threads at once.
    Cheap once warm."""
    if language in _warmed:
        return
    with _warming:
        if language in _warmed:
            return
        from scoring import warm_up as warm_up_scoring  # lazy: `import scenarios` stays light

        warm_up_scoring(language)
        chosen = catalogue(language)
        shared_private_cues = language_pack(language).private_cues
        for scenario in chosen:
            private_cues = shared_private_cues + scenario.private_cues
            elements_found("", element_groups(scenario.expected_elements, private_cues), language)
        if chosen:
            start(chosen[0].id, seed=1)  # Faker's locale and the persona templates
        _warmed.add(language)


def get_scenario(scenario_id: str, root: Path | None = None) -> Scenario:
    scenarios = scenario_catalogue(root)
    if scenario_id not in scenarios:
        raise KeyError(f"unknown scenario '{scenario_id}'")
    return scenarios[scenario_id]


def start(scenario_id: str, medium: str | None = None, seed: int = 0, root: Path | None = None,
          variant: int | None = None) -> Conversation:
    """Begin a conversation. `medium` defaults to the scenario's first medium. `variant` (a group
    drill's n-th customer of this scenario) takes the opening's phrasings in turn and frames them
    once all are used (scenarios.variation), so a drill rarely sends one text twice; without it a
    phrasing is picked by the seed."""
    scenario = get_scenario(scenario_id, root)
    medium = medium or scenario.media[0]
    if medium not in scenario.media:
        raise ValueError(f"scenario '{scenario_id}' is not played on '{medium}' (it is on: {', '.join(scenario.media)})")
    persona = make_persona(scenario.persona, scenario.language, seed)
    facts = {
        name: value if isinstance(value, str) else _pick(value, seed, "fact", name)
        for name, value in scenario.facts.items()
    }
    record = ConversationRecord(
        scenario_id=scenario.id, scenario_version=scenario.version, language=scenario.language,
        start_medium=medium, seed=seed, persona=persona, facts=facts, state="start",
    )
    conversation = Conversation(scenario, record, root)
    if variant is None:
        opening = [conversation._say(message, ("opening", i)) for i, message in enumerate(scenario.opening)]
    else:
        opening = conversation._varied_opening(variant, root)
    opening += conversation._state_messages("start", visit=0)
    conversation._customer_says(opening)
    return conversation


def _pick(options: list[str], seed: int, *where: object) -> str:
    # A string seed is hashed with SHA-512 by `random`, so this is stable across runs and
    # machines (unlike hash()).
    return random.Random(":".join(str(w) for w in (seed, *where))).choice(options)


def _between(bounds: tuple[int, int], seed: int, *where: object) -> int:
    low, high = bounds
    return random.Random(":".join(str(w) for w in (seed, *where))).randint(low, high)


class Conversation:
    def __init__(self, scenario: Scenario, record: ConversationRecord, root: Path | None = None):
        self.scenario = scenario
        self.record = record
        self._root = root

    # What the app shows -------------------------------------------------------------------

    @property
    def state(self) -> str:
        """The current state id, or the end state once the conversation is over."""
        return self.record.state

    @property
    def ended(self) -> bool:
        return self.record.state in END_STATES

    @property
    def outcome(self) -> str | None:
        return self.record.state if self.ended else None

    @property
    def persona(self) -> dict[str, str]:
        return dict(self.record.persona)

    @property
    def pending_customer_messages(self) -> list[str]:
        """The customer's messages since the trainee's last reply."""
        return list(self.record.pending)

    @property
    def transcript(self) -> list[Message]:
        return list(self.record.transcript)

    @property
    def turns(self) -> list[Turn]:
        return list(self.record.turns)

    @property
    def medium(self) -> str:
        """The medium the next reply goes out on: the private channel once a state says so."""
        start_medium = self.record.start_medium
        state = self._current_state()
        if state is not None and state.private:
            channel = media_catalogue().media[start_medium].private_channel
            return channel or start_medium
        if self.ended and self.record.transcript:
            return self.record.transcript[-1].medium
        return start_medium

    @property
    def public(self) -> bool:
        return media_catalogue().media[self.medium].public

    @property
    def mood(self) -> str:
        state = self._current_state()
        return (state.mood if state and state.mood else None) or self.scenario.persona.mood

    @property
    def reach(self) -> dict[str, int]:
        followers = int(self.record.persona["followers"]) + self.record.followers_gained
        return {"followers": followers, "retweets": self.record.retweets}

    @property
    def actions(self) -> list[tuple[str, str]]:
        """The actions on offer, with their labels in the scenario's language."""
        pack = language_pack(self.scenario.language, self._root)
        return [(action, pack.action_label(action)) for action in self.scenario.actions]

    def briefing(self) -> str:
        return self.fill(self.scenario.briefing)

    def history(self) -> list[dict[str, str | None]]:
        return [
            {"medium": h.medium, "by": h.by, "author": h.author, "when": h.when, "text": self.fill(h.text)}
            for h in self.scenario.history
        ]

    def model_answer(self) -> tuple[str, str | None]:
        """The model reply (and action) for the current state, for replay and hints."""
        state = self._require_state()
        return self.fill(state.model_answer), state.model_action

    def fill(self, text: str) -> str:
        return text.format(**self._values())

    # Scoring context ---------------------------------------------------------------------

    def context_for_reply(self, *, seconds_to_reply: float | None = None, queue_seconds: float | None = None,
                          agent_name: str | None = None, feedback_language: Language | None = None) -> ReplyContext:
        """The scorer's context for the reply to the pending customer messages."""
        state = self._require_state()
        articles = knowledge_base(self._root)
        templates = [self._fill_loosely(articles[a].meta.template) for a in state.knowledge if articles[a].meta.template]
        return ReplyContext(
            language=self.scenario.language,
            feedback_language=feedback_language,
            medium=self.medium,
            customer_messages=[m.text for m in self.record.transcript if m.role == "customer"],
            new_customer_messages=len(self.record.pending) or None,
            follow_up=any(m.role == "agent" for m in self.record.transcript),
            customer_name=self.record.persona["name"],
            agent_name=agent_name,
            prior_replies=self._prior_replies(),
            expected_elements=[self.scenario.element(e) for e in state.expected],
            knowledge_templates=templates,
            seconds_to_reply=seconds_to_reply,
            queue_seconds=queue_seconds,
            brand_terms=[self.scenario.brand],
        )

    def _prior_replies(self) -> list[PriorReply]:
        earlier = [
            PriorReply(text=self.fill(h.text), medium=h.medium, author=h.author)
            for h in self.scenario.history if h.by == "agent"
        ]
        earlier += [PriorReply(text=m.text, medium=m.medium, author="trainee") for m in self.record.transcript if m.role == "agent"]
        return earlier

    # Playing -----------------------------------------------------------------------------

    def reply(self, text: str, scorecard: Scorecard, action: str | None = None) -> Turn:
        """Send the trainee's reply (scored with `context_for_reply`) and move the story on."""
        if self.ended:
            raise ConversationOver(f"the conversation has ended ({self.state})")
        if action is not None and (not ACTION_PATTERN.match(action) or action not in self.scenario.actions):
            offered = ", ".join(self.scenario.actions) or "none"
            raise ValueError(f"'{action}' is not an action in this scenario (offered: {offered})")
        state_id = self.record.state
        state = self._require_state()
        visits = self.record.answered.get(state_id, 0) + 1
        pack = language_pack(self.scenario.language, self._root)
        signals = read_signals(
            reply=text, scorecard=scorecard, language=self.scenario.language,
            elements=self.scenario.expected_elements,
            earlier_replies=[p.text for p in self._prior_replies()],
            private_cues=pack.private_cues + self.scenario.private_cues, action=action, visits=visits,
            names=(self.record.persona["name"], self.record.persona["first_name"]),
        )
        transition = next(t for t in state.transitions if holds(t.when, signals))
        medium = self.medium

        self.record.answered[state_id] = visits
        self.record.transcript.append(Message(role="agent", text=text, medium=medium, action=action))
        number = len(self.record.turns) + 1
        self._grow_reach(transition.reach, number, "transition")
        self.record.state = transition.to
        said = self._messages_for(transition, number)
        if self.ended:
            ending = self.scenario.endings.get(transition.to)
            if ending is not None:
                self._grow_reach(ending.reach, number, "ending")
        self._customer_says(said)
        turn = Turn(
            number=number, state_before=state_id, state=transition.to, reply=text, medium=medium, action=action,
            total=scorecard.total, passed=scorecard.passed, rules=signals.rules,
            elements_present=sorted(signals.present), customer_messages=said,
            note=self.fill(transition.note) if transition.note else None,
            ended=self.ended, outcome=self.outcome,
        )
        self.record.turns.append(turn)
        return turn

    def _messages_for(self, transition: Transition, number: int) -> list[str]:
        if transition.customer is not None:
            return [self._say(m, ("turn", number, i)) for i, m in enumerate(transition.customer)]
        if self.ended:
            ending = self.scenario.endings.get(self.record.state)
            return [self._say(m, ("ending", self.record.state, i)) for i, m in enumerate(ending.customer)] if ending else []
        return self._state_messages(self.record.state, visit=self.record.answered.get(self.record.state, 0))

    def _state_messages(self, state_id: str, visit: int) -> list[str]:
        state = self.scenario.states[state_id]
        return [self._say(m, ("state", state_id, visit, i)) for i, m in enumerate(state.customer)]

    def _varied_opening(self, variant: int, root: Path | None) -> list[str]:
        texts = [self.fill(message[variation.phrasing_index(variant, len(message))]) for message in self.scenario.opening]
        frame = variation.frame_for(self.scenario.language, variant, len(self.scenario.opening[0]), root)
        if frame is not None:
            texts[0] = frame.format(**self._values(), **{variation.OPENING: texts[0]})
        return texts

    def _say(self, phrasings: list[str], where: tuple) -> str:
        return self.fill(_pick(phrasings, self.record.seed, self.scenario.id, *where))

    def _customer_says(self, texts: list[str]) -> None:
        medium = self.medium
        self.record.pending = list(texts)
        self.record.transcript.extend(Message(role="customer", text=t, medium=medium) for t in texts)

    def _grow_reach(self, reach: Reach | None, number: int, where: str) -> None:
        if reach is None:
            return
        self.record.retweets += _between(reach.retweets, self.record.seed, "retweets", where, number)
        self.record.followers_gained += _between(reach.followers, self.record.seed, "followers", where, number)

    def _values(self) -> dict[str, str]:
        return {**self.record.persona, **self.record.facts, "brand": self.scenario.brand}

    def fill_template(self, template: str) -> str:
        """A knowledge-base template filled with this customer's details; unknown
        placeholders stay, so the trainee sees what still needs adapting."""
        return self._fill_loosely(template)

    def _fill_loosely(self, template: str) -> str:
        # Knowledge templates may use placeholders the scenario does not know; keep those.
        values = self._values()

        class Keep(dict):
            def __missing__(self, key: str) -> str:
                return "{" + key + "}"

        return template.format_map(Keep(values))

    def _current_state(self) -> State | None:
        return None if self.ended else self.scenario.states.get(self.record.state)

    def _require_state(self) -> State:
        state = self._current_state()
        if state is None:
            raise ConversationOver(f"the conversation has ended ({self.state})")
        return state

    # Storage -----------------------------------------------------------------------------

    def to_json(self) -> str:
        return self.record.model_dump_json()

    @classmethod
    def from_json(cls, text: str, root: Path | None = None) -> Conversation:
        """Resume a stored conversation. Refuses one whose state no longer exists."""
        record = ConversationRecord.model_validate(json.loads(text))
        if record.format != FORMAT_VERSION:
            raise ValueError(f"stored conversation has format {record.format}; this version reads {FORMAT_VERSION}")
        scenario = get_scenario(record.scenario_id, root)
        if record.state not in END_STATES and record.state not in scenario.states:
            raise ValueError(f"scenario '{scenario.id}' no longer has state '{record.state}' "
                             f"(stored with version {record.scenario_version}, now {scenario.version})")
        return cls(scenario, record, root)
