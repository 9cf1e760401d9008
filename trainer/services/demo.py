"""`webcare demo seed`: a Faker team with several weeks of history, so every screen has
something to show.

Each trainee gets a starting level per dimension and a learning rate, so their scores improve
week by week with day-to-day noise; some slip up (a critical privacy finding, an escalated
customer). Everything goes through the same services the app uses (attempts, reviews,
certification), so the demo data obeys the same rules. Refused outside development.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from faker import Faker
from sqlmodel import Session, select

from scoring.config import DIMENSIONS, scoring_config
from scoring.model import DimensionResult, Finding, Scorecard, Severity
from trainer.db.models import AttemptCreate, AttemptOutcome, Role, Team, TeamCreate, User, UserCreate
from trainer.services import accounts, attempts, certification, reviews
from trainer.services.attempts import ReplySubmission
from trainer.services.rights import SYSTEM
from trainer.settings import get_settings

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_DOMAIN = "demo.example"  # a reserved domain: no mail can ever reach anyone

# Used when content/scenarios has none of a type yet; real scenarios are preferred.
_FALLBACK_SCENARIOS = [
    ("vlucht-geannuleerd-schiphol", "cancellation"),
    ("boze-klant-storing-internet", "angry_customer"),
    ("klacht-escalatie-energierekening", "escalation"),
    ("proactief-treinstoring", "proactive"),
    ("overdracht-fraude-bank", "handover"),
]
_MEDIA = ["twitter", "twitter_dm", "facebook_comment", "whatsapp", "email", "webchat", "instagram_dm", "messenger"]
_REPLIES = [
    "Hoi {name}, wat vervelend dat dit gebeurt! Ik zoek het direct voor je uit. Stuur je me een DM met je klantnummer? ^{agent}",
    "Dag {name}, excuses voor het ongemak. Ik heb je melding doorgezet en je hoort vandaag nog van ons. ^{agent}",
    "Hi {name}, ik snap je frustratie. Ik heb het nagekeken: je krijgt het bedrag binnen 5 werkdagen terug. ^{agent}",
    "Hoi {name}, dank je voor je geduld. Mijn collega van de storingsdienst belt je morgen tussen 9 en 12 uur. ^{agent}",
]
_FINDING_TEXT = {
    "tone": "Toon kan empathischer: erken eerst het gevoel van de klant.",
    "spelling": "Spelfout: let op de d/t.",
    "length": "Het antwoord is langer dan nodig voor dit kanaal.",
    "speed": "De klant wachtte lang op een eerste reactie.",
    "privacy": "Vraag geen persoonsgegevens in een openbaar bericht.",
    "substance": "Het antwoord mist een concrete vervolgstap.",
}


@dataclass
class DemoResult:
    team: Team
    manager: User
    trainees: list[User] = field(default_factory=list)
    attempts: int = 0
    replies: int = 0
    certified: list[str] = field(default_factory=list)


def _scenarios() -> list[tuple[str, str, str]]:
    """(id, version, type) of the real Dutch scenarios, topped up with fallbacks for missing types."""
    found: list[tuple[str, str, str]] = []
    try:
        from scenarios.loader import load_scenario_file, scenario_files

        for path in scenario_files():
            scenario, _ = load_scenario_file(path)
            if scenario.language == "nl":
                found.append((scenario.id, str(scenario.version), scenario.type))
    except Exception:  # demo data must not depend on every scenario file being valid today
        found = []
    types = {t for _, _, t in found}
    found += [(sid, "1", t) for sid, t in _FALLBACK_SCENARIOS if t not in types and sid not in {f[0] for f in found}]
    return found


def _scorecard(rng: random.Random, skills: dict[str, float], medium: str) -> Scorecard:
    config = scoring_config()
    weights = config.weights_for(medium)
    results: dict[str, DimensionResult] = {}
    findings: list[Finding] = []
    for name in DIMENSIONS:
        value = max(0.0, min(100.0, rng.gauss(skills[name], 9)))
        dimension_findings = []
        if value < 92:
            severity = Severity.major if value < 60 else Severity.minor
            if name == "privacy" and value < 45 and rng.random() < 0.5:
                severity = Severity.critical
            dimension_findings.append(
                Finding(dimension=name, severity=severity, rule=f"{name}.demo", span=(0, 10),
                        message=_FINDING_TEXT[name], points=round(100 - value, 1))
            )
        findings += dimension_findings
        results[name] = DimensionResult(name=name, version=f"{name}.v1", score=round(value, 1),
                                        weight=weights.get(name, 0.0), findings=dimension_findings)
    weight = sum(r.weight for r in results.values())
    total = sum(r.score * r.weight for r in results.values()) / weight
    critical = any(f.severity is Severity.critical for f in findings)
    return Scorecard(total=round(total, 1), passed=total >= config.pass_mark and not critical, pass_mark=config.pass_mark,
                     language="nl", medium=medium, dimensions=results, findings=findings)


def seed_demo(
    *, session: Session, trainees: int = 8, weeks: int = 6, seed: int = 1, now: datetime | None = None
) -> DemoResult:
    """Create one demo team with a manager and `trainees` trainees, and `weeks` weeks of practice."""
    if get_settings().ENVIRONMENT == "production":
        raise accounts.AccountError("demo data is not seeded in production")
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    now = now or datetime.now(timezone.utc)

    team_name = f"Webcare {fake.city()}"
    while session.exec(select(Team).where(Team.name == team_name)).first():
        team_name = f"Webcare {fake.city()}"
    team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name=team_name))

    def person(role: Role) -> User:
        first, last = fake.first_name(), fake.last_name()
        slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email = f"{slug}.{team.id}@{DEMO_DOMAIN}"
        return accounts.create_user(
            session=session, actor=SYSTEM,
            user_create=UserCreate(email=email, full_name=f"{first} {last}", role=role, password=DEMO_PASSWORD),
        )

    manager = person(Role.manager)
    accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=manager.id, as_manager=True,
                        reason="demo team manager")
    result = DemoResult(team=team, manager=manager)
    scenario_list = _scenarios()
    start = now - timedelta(weeks=weeks)
    for number in range(trainees):
        trainee = person(Role.trainee)
        accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=trainee.id)
        result.trainees.append(trainee)
        # The first trainee is the team's star, so the certification screens have a case too.
        low, high = (78, 90) if number == 0 else (45, 80)
        base = {name: rng.uniform(low, high) for name in DIMENSIONS}
        learning = {name: rng.uniform(0.5, 4.0) for name in DIMENSIONS}
        for week in range(weeks):
            for _ in range(rng.randint(2, 6)):
                day = start + timedelta(weeks=week, days=rng.randint(0, 4), hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
                if day >= now:
                    continue
                scenario_id, version, scenario_type = rng.choice(scenario_list)
                medium = rng.choice(_MEDIA)
                skills = {name: base[name] + learning[name] * week for name in DIMENSIONS}
                attempt = attempts.start_attempt(
                    session=session, actor=trainee, started_at=day,
                    attempt_create=AttemptCreate(scenario_id=scenario_id, scenario_version=version,
                                                 scenario_type=scenario_type, medium=medium, seed=rng.randint(1, 10_000)),
                )
                customer = fake.first_name()
                moment = day
                for _ in range(rng.randint(1, 3)):
                    shown = moment + timedelta(seconds=rng.randint(5, 60))
                    attempts.record_customer_turn(session=session, actor=trainee, attempt_id=attempt.id,
                                                  text=fake.sentence(nb_words=12), shown_at=shown)
                    sent = shown + timedelta(seconds=rng.randint(20, 400))
                    text = rng.choice(_REPLIES).format(name=customer, agent=trainee.full_name.split()[0])
                    card = _scorecard(rng, skills, medium)
                    attempts.submit_reply(
                        session=session, actor=trainee, scorecard=card,
                        submission=ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(),
                                                   text=text, shown_at=shown, sent_at=sent),
                    )
                    result.replies += 1
                    moment = sent
                outcome = rng.choices(
                    [AttemptOutcome.resolved, AttemptOutcome.moved_private, AttemptOutcome.escalated, AttemptOutcome.lost,
                     AttemptOutcome.abandoned],
                    weights=[45, 30, 10, 10, 5],
                )[0]
                attempts.finish_attempt(session=session, actor=trainee, attempt_id=attempt.id, outcome=outcome,
                                        finished_at=moment + timedelta(seconds=30))
                result.attempts += 1
                if rng.random() < 0.08:
                    _review(session, manager, attempt.id, rng)
    for trainee in result.trainees:
        eligibility = certification.check_eligibility(session=session, actor=manager, trainee_id=trainee.id,
                                                      level="basic_webcare")
        if eligibility.eligible:
            certification.grant(session=session, actor=manager, trainee_id=trainee.id, level="basic_webcare",
                                comment="Demo: stabiel goede antwoorden op alle basiskanalen.")
            result.certified.append(trainee.full_name)
    return result


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
