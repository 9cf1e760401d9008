"""`webcare demo seed`: a Faker team with several weeks of history, so every screen has
something to show.

The history is played, not invented: every attempt is a real scenario run through the practice
service, with replies taken from the scenario's own scripted good and bad paths and scored by
the real scorer. Each trainee starts at a level and learns at a rate, so the share of good
conversations grows week by week. Everything goes through the same services the app uses
(practice, attempts, reviews, certification), so the demo data obeys the same rules. The first
team gets fixed, documented accounts (README): manager@, trainee@ and admin@demo.example.
Refused in production.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from faker import Faker
from sqlmodel import Session, select

import scenarios
from scenarios.schema import GOOD_ENDS, Scenario, TestPath
from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker
from trainer.db.models import Role, Team, TeamCreate, User, UserCreate
from trainer.services import accounts, attempts, certification, practice, reviews
from trainer.services.policy import load_policy
from trainer.services.rights import SYSTEM
from trainer.settings import get_settings

from trainer.services.demo_identity import DEMO_DOMAIN, DEMO_PASSWORD  # noqa: F401 - part of this module's interface

# A demo trainee's handling time as a share of the medium's target (content/media.yaml), as
# (share of replies, fastest, slowest): 70% within the target, 22% a little over, 8% well over.
PACE = ((0.70, 0.4, 1.0), (0.22, 1.0, 1.6), (0.08, 1.6, 2.5))
MIN_REPLY_SECONDS = 20  # reading the message and typing a reply takes at least this long
SHOWCASE_LEVEL = "basic_webcare"  # the certificate the first demo trainee (the star) earns

# The first demo team's accounts are fixed, so the README can name them.
FIXED_EMAILS = {"manager": f"manager@{DEMO_DOMAIN}", "trainee": f"trainee@{DEMO_DOMAIN}", "admin": f"admin@{DEMO_DOMAIN}"}


@dataclass
class DemoResult:
    team: Team
    manager: User
    trainees: list[User] = field(default_factory=list)
    attempts: int = 0
    replies: int = 0
    certified: list[str] = field(default_factory=list)


def _playable() -> list[tuple[Scenario, TestPath]]:
    """Every Dutch scenario's scripted paths: the replies a good and a poor trainee write."""
    return [(s, path) for s in scenarios.catalogue("nl") for path in s.test_paths]


def seed_demo(
    *, session: Session, trainees: int = 8, weeks: int = 6, seed: int = 1, now: datetime | None = None,
    checker: GrammarChecker | None = None,
) -> DemoResult:
    """Create one demo team with a manager and `trainees` trainees, and `weeks` weeks of practice."""
    if get_settings().ENVIRONMENT == "production":
        raise accounts.AccountError("demo_in_production")
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    now = now or datetime.now(timezone.utc)
    fixed = session.exec(select(User).where(User.email == FIXED_EMAILS["manager"])).first() is None

    team_name = f"Webcare {fake.city()}"
    while session.exec(select(Team).where(Team.name == team_name)).first():
        team_name = f"Webcare {fake.city()}"
    team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name=team_name))

    def person(role: Role, email: str | None = None) -> User:
        first, last = fake.first_name(), fake.last_name()
        slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        return accounts.create_user(
            session=session, actor=SYSTEM,
            user_create=UserCreate(email=email or f"{slug}.{team.id}@{DEMO_DOMAIN}", full_name=f"{first} {last}",
                                   role=role, password=DEMO_PASSWORD),
        )

    if fixed:
        person(Role.admin, FIXED_EMAILS["admin"])
    manager = person(Role.manager, FIXED_EMAILS["manager"] if fixed else None)
    accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=manager.id, as_manager=True,
                        reason="demo team manager")
    result = DemoResult(team=team, manager=manager)
    playable = _playable()
    good = [p for p in playable if p[1].ends in GOOD_ENDS]
    poor = [p for p in playable if p[1].ends not in GOOD_ENDS]
    start = now - timedelta(weeks=weeks)
    for number in range(trainees):
        trainee = person(Role.trainee, FIXED_EMAILS["trainee"] if fixed and number == 0 else None)
        accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=trainee.id)
        result.trainees.append(trainee)
        # The first trainee is the team's star, so the certification screens have a case too.
        level = 0.75 if number == 0 else rng.uniform(0.2, 0.5)
        learning = rng.uniform(0.03, 0.09)
        for week in range(weeks):
            for _ in range(rng.randint(2, 6)):
                day = start + timedelta(weeks=week, days=rng.randint(0, 4), hours=rng.randint(8, 17),
                                        minutes=rng.randint(0, 59))
                if day >= now:
                    continue
                does_well = rng.random() < min(0.97, level + learning * week)
                scenario, path = rng.choice(good if does_well or not poor else poor)
                _play(session, trainee, scenario, path, day, rng, checker)
                result.attempts += 1
                result.replies += len(path.replies)
                if rng.random() < 0.08:
                    _review(session, manager, _latest_attempt_id(session, trainee), rng)
    if result.trainees:  # after everyone else's history, so theirs stays what the seed made it
        star = result.trainees[0]
        for number, (scenario, path) in enumerate(_showcase(good, rng)):
            _play(session, star, scenario, path, now - timedelta(days=2, hours=6 - number), rng, checker)
            result.attempts += 1
            result.replies += len(path.replies)
    for trainee in result.trainees:
        eligibility = certification.check_eligibility(session=session, actor=manager, trainee_id=trainee.id,
                                                      level="basic_webcare")
        if eligibility.eligible:
            certification.grant(session=session, actor=manager, trainee_id=trainee.id, level="basic_webcare",
                                comment="Demo: stabiel goede antwoorden op alle basiskanalen.")
            result.certified.append(trainee.full_name)
    return result


def _showcase(good: list[tuple[Scenario, TestPath]], rng: random.Random) -> list[tuple[Scenario, TestPath]]:
    """Good conversations on every medium and of every scenario type basic certification asks
    for: the star's history then always holds a certifiable case, whatever the seed drew."""
    level = load_policy().levels[SHOWCASE_LEVEL]
    chosen: list[tuple[Scenario, TestPath]] = []
    for medium in level.media:
        fitting = [(s, p) for s, p in good if (p.medium or s.media[0]) == medium]
        if fitting:
            chosen.append(rng.choice(fitting))
    for kind in level.scenario_types:
        fitting = [(s, p) for s, p in good if s.type == kind]
        if fitting and not any(s.type == kind for s, _ in chosen):
            chosen.append(rng.choice(fitting))
    return chosen


def _play(session: Session, trainee: User, scenario: Scenario, path: TestPath, day: datetime,
          rng: random.Random, checker: GrammarChecker | None) -> None:
    """One attempt: the scenario's scripted replies, sent at a trainee's pace and scored for real."""
    medium = path.medium or scenario.media[0]
    state = practice.begin(session=session, actor=trainee, scenario_id=scenario.id, medium=medium,
                           seed=rng.randint(1, 10_000), now=day)
    target = media_catalogue().media[medium].target_seconds
    moment = day
    ended = False
    for reply in path.replies:
        moment += timedelta(seconds=reply_seconds(target, rng))
        text = state.restore().fill_template(reply.text)
        sent = practice.send(session=session, actor=trainee, state=state, text=text, action=reply.action,
                             submission_id=uuid.uuid4(), checker=checker, now=moment)
        state, ended = sent.state, sent.ended
        if ended:
            break
    if not ended:
        practice.abandon(session=session, actor=trainee, state=state)


def reply_seconds(target_seconds: int, rng: random.Random) -> int:
    """How long a demo trainee takes over one reply on a medium with this target handling time:
    mostly within the target, sometimes over it, now and then more than twice as long."""
    roll = rng.random()
    for share, fastest, slowest in PACE:
        if roll < share:
            break
        roll -= share
    return max(MIN_REPLY_SECONDS, round(target_seconds * rng.uniform(fastest, slowest)))


def _latest_attempt_id(session: Session, trainee: User) -> int:
    return attempts.list_attempts(session=session, actor=trainee, trainee_id=trainee.id, limit=1)[0].id


def _review(session: Session, manager: User, attempt_id: int, rng: random.Random) -> None:
    detail = attempts.attempt_detail(session=session, actor=manager, attempt_id=attempt_id)
    scored = [t for t in detail.turns if t.score is not None]
    if not scored:
        return
    target = rng.choice(scored).score
    reviews.add_review(session=session, actor=manager, score_id=target.id,
                       comment="Goede aanzet. Let op je openingszin: benoem eerst het probleem van de klant.")
    if rng.random() < 0.5:
        reviews.override_score(session=session, actor=manager, score_id=target.id,
                               override=max(0.0, min(100.0, round(target.total + rng.uniform(-10, 10), 1))),
                               reason="Demo: de toon was in deze situatie passender dan de score zegt.")
