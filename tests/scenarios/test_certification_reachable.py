"""Every certification level can be earned with the content we ship.

For each level in content/certification.yaml and each language, a fresh trainee on a fresh
SQLite database plays real scenarios through the practice service (the scenario engine, the
real scorer with LanguageTool, the model answers) and, when a level asks for one, a real group
drill, until `check_eligibility` says yes. What is played is chosen from the unmet requirements
themselves, so a medium, scenario type or drill no scenario offers makes the test fail and say
which. Levels a level requires are earned first and granted by the team's manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, SQLModel, select

import scenarios
from scenarios.drills import templates_for
from scenarios.engine import Conversation
from scoring.config import media_catalogue
from tests.trainer.conftest import World, cheap_argon2  # noqa: F401  (fixture used by name)
from trainer.db.drill_models import DrillConversation
from trainer.db.engine import make_engine
from trainer.db.types import utcnow
from trainer.services import certification, drills, practice
from trainer.services.certification import Eligibility
from trainer.services.policy import load_policy

LANGUAGES = ["nl", "en"]
LEVELS = list(load_policy().levels)
MAX_REPLIES = 12  # a model-answer conversation that runs longer than this is stuck in a loop
MAX_EXTRA_ATTEMPTS = 15  # played only to lift a skill mean over its minimum


@pytest.fixture
def session() -> Iterator[Session]:
    """A fresh in-memory SQLite database with the models' tables."""
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


class Trainee:
    """A trainee who plays scenarios with their model answers, on a clock that moves on."""

    def __init__(self, session: Session, world: World, language: str, checker) -> None:
        self.session, self.world, self.language, self.checker = session, world, language, checker
        self.user, self.manager = world.tom, world.mila
        self.clock = utcnow() - timedelta(days=30)
        self.played: list[str] = []  # "scenario on medium: outcome", for the failure message
        self.tried: set[tuple[str, str]] = set()

    def tick(self, minutes: float = 10) -> datetime:
        self.clock += timedelta(minutes=minutes)
        return self.clock

    def play(self, scenario_id: str, medium: str) -> str | None:
        """One practice conversation, every reply the current state's model answer."""
        self.tried.add((scenario_id, medium))
        state = practice.begin(session=self.session, actor=self.user, scenario_id=scenario_id, medium=medium,
                               seed=1, now=self.tick())
        outcome = None
        for _ in range(MAX_REPLIES):
            conversation = state.restore()
            text, action = conversation.model_answer()
            # Half the medium's target handling time: a trainee who knows the answer.
            seconds = media_catalogue().media[conversation.medium].target_seconds / 2
            sent = practice.send(session=self.session, actor=self.user, state=state, text=text, action=action,
                                 submission_id=uuid.uuid4(), checker=self.checker,
                                 now=state.shown_at + timedelta(seconds=seconds))
            state, outcome = sent.state, sent.outcome
            self.clock = state.shown_at
            if sent.ended:
                break
        else:
            practice.abandon(session=self.session, actor=self.user, state=state)
        self.played.append(f"{scenario_id} on {medium}: {outcome or 'did not end'}")
        return outcome

    def join_drill(self) -> bool:
        """Take part in a group drill of the trainee's language: claim a conversation and answer
        it with model answers until it ends."""
        templates = templates_for(self.language)
        if not templates:
            return False
        start = self.tick()
        run = drills.create_drill(session=self.session, actor=self.manager, template_id=templates[0].id,
                                  team_id=self.world.reizen.id, seed=7, now=start)
        drills.start_drill(session=self.session, actor=self.manager, run_id=run.id, now=start)
        now = start + timedelta(seconds=60)
        drills.advance(session=self.session, actor=self.manager, run_id=run.id, now=now)
        conversation_id = drills.claim_next(session=self.session, actor=self.user, run_id=run.id, now=now)
        if conversation_id is None:
            return False
        for _ in range(MAX_REPLIES):
            stored = self.session.get(DrillConversation, conversation_id)
            self.session.refresh(stored)
            text, action = Conversation.from_json(stored.conversation).model_answer()
            now += timedelta(seconds=30)
            result = drills.send_reply(session=self.session, actor=self.user, conversation_id=conversation_id, text=text,
                                       action=action, submission_id=uuid.uuid4(), checker=self.checker, now=now)
            if result.ended:
                break
        drills.stop_drill(session=self.session, actor=self.manager, run_id=run.id, now=now + timedelta(seconds=1))
        self.played.append(f"group drill {templates[0].id}: {result.outcome or 'did not end'}")
        self.clock = now
        return True

    def eligibility(self, level: str) -> Eligibility:
        return certification.check_eligibility(session=self.session, actor=self.manager, trainee_id=self.user.id,
                                               level=level, now=self.tick(1))

    def candidates(self, *, medium: str | None = None, scenario_type: str | None = None) -> list[tuple[str, str]]:
        """Untried (scenario, medium) pairs of the trainee's language that fit, in catalogue order."""
        found = []
        for scenario in scenarios.catalogue(self.language):
            if scenario_type and scenario.type != scenario_type:
                continue
            for on in ([medium] if medium else scenario.media[:1]):
                if on in scenario.media and (scenario.id, on) not in self.tried:
                    found.append((scenario.id, on))
        return found

    def earn(self, level: str, held: set[str]) -> Eligibility:
        """Play until eligible for `level` (earning and being granted what it requires first),
        or until nothing left to play would meet what is still unmet."""
        extra = 0
        while True:
            result = self.eligibility(level)
            if result.eligible:
                return result
            unmet = result.unmet[0]
            if unmet.code == "requires_level":
                required = str(unmet.params["required"])
                if required in held or not self.earn(required, held).eligible:
                    return result
                certification.grant(session=self.session, actor=self.manager, trainee_id=self.user.id, level=required,
                                    comment="Alle onderdelen met goede antwoorden gespeeld.", now=self.tick(1))
                held.add(required)
                continue
            if unmet.code == "group_drills":
                if not self.join_drill():
                    return result
                continue
            if unmet.code == "medium_not_passed":
                options = self.candidates(medium=str(unmet.params["medium"]))
            elif unmet.code == "scenario_type_not_passed":
                options = self.candidates(scenario_type=str(unmet.params["scenario_type"]))
            else:  # a skill mean too low or critical findings: more good conversations lift it
                extra += 1
                options = self.candidates() if extra <= MAX_EXTRA_ATTEMPTS else []
            if not options:
                return result
            self.play(*options[0])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_certification_reachable_every_level_by_playing_real_scenarios(level, language, session, grammar_checker):
    world = World(session)
    trainee = Trainee(session, world, language, grammar_checker)
    result = trainee.earn(level, held=set())
    reasons = "\n  ".join(u.message_en for u in result.unmet)
    played = "\n  ".join(trainee.played) or "nothing"
    assert result.eligible, (f"{level} cannot be reached in {language}:\n  {reasons}\nplayed:\n  {played}")
    # The level was earned by playing, not handed out: the manager can now grant it.
    granted = certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level=level,
                                  comment="Bereikt door te spelen.", now=trainee.tick(1))
    assert granted.level == level


def test_certification_reachable_every_level_medium_has_a_scenario_starting_there():
    """The cheap half of the check, with a clear message: a level's media and scenario types
    each have a scenario in both languages that starts there."""
    policy = load_policy()
    missing = []
    for level_id, level in policy.levels.items():
        for language in LANGUAGES:
            catalogue = scenarios.catalogue(language)
            missing += [f"{level_id} ({language}): no scenario on {m}" for m in level.media
                        if not any(m in s.media for s in catalogue)]
            missing += [f"{level_id} ({language}): no scenario of type {t}" for t in level.scenario_types
                        if not any(s.type == t for s in catalogue)]
            if level.min_group_drills and not templates_for(language):
                missing.append(f"{level_id} ({language}): no group drill")
    assert not missing, "\n".join(missing)
