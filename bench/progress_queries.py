"""Progress queries at scale: 200 trainees x 200 attempts (one scored reply each between two
customer messages with a mood, six dimension
scores, findings) and a season of group drills on SQLite and on PostgreSQL, timing what the
screens ask for.

Timed through the services (rights checks included): the manager's team overview (one team of
all 200 trainees, the worst case), a trainee's progress page (with the team comparison), a
trainee's attempt list, a certification eligibility check, and the reports screen
(trainer.views.reports) over all 27 ISO weeks the data touches and over its default 12. Target (issue 5):
the team overview and the progress page each <= 1 s median on both databases; the reports
screen (issue 13) too.

PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (`make postgres` starts one); the
data goes into a throw-away schema. Run: `make bench`, or `.venv/bin/python bench/progress_queries.py`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from bench.report import write_section  # noqa: E402
from scenarios.schema import END_STATES, SCENARIO_TYPES  # noqa: E402
from scoring.config import DIMENSIONS  # noqa: E402
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun  # noqa: E402
from trainer.db.engine import make_engine  # noqa: E402
from trainer.db.migrate import upgrade  # noqa: E402
from trainer.db.models import (  # noqa: E402
    Attempt,
    DimensionScore,
    FindingRecord,
    Score,
    Team,
    TeamMembership,
    Turn,
    User,
)
from trainer.services import attempts as attempts_service  # noqa: E402
from trainer.services import certification, progress  # noqa: E402
from trainer.views import reports  # noqa: E402

RUNS = 7
TARGET_SECONDS = 1.0
MEDIA = ["twitter", "twitter_dm", "facebook_comment", "whatsapp", "email", "webchat"]
TYPES = list(SCENARIO_TYPES)
OUTCOMES = list(END_STATES)
BATCH = 5000
DRILLS = 26  # one a week
DRILL_CONVERSATIONS = 80  # per drill
LABELS = ["klacht", "omboeken", "terugbetaling", "bagage", "pers", "escalatie"]
REPORT_WEEKS = 27  # the data spans 26 weeks back from now: 27 ISO weeks hold all of it


CUSTOMER_TURN_IDS = 10_000_000  # customer turns' ids start here; a trainee turn's id is its attempt's


def _batches(table, rows: list[dict], connection) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(table), rows[start : start + BATCH])


def populate(engine: Engine, trainees: int, per_trainee: int, seed: int = 5) -> tuple[int, int, int]:
    """Bulk-insert the history; returns (manager id, team id, one trainee's id)."""
    rng = random.Random(seed)
    pace = random.Random(seed + 1)  # response times: their own stream, so the scores stay as they were
    now = datetime.now(timezone.utc)
    start = now - timedelta(weeks=26)
    users = [{"id": 1, "email": "manager@bench.example", "full_name": "Bench Manager", "role": "manager",
              "language": "nl", "hashed_password": "x", "is_active": True, "created_at": start, "failed_logins": 0}]
    users += [{"id": 2 + i, "email": f"trainee{i}@bench.example", "full_name": f"Trainee {i:03d}", "role": "trainee",
               "language": "nl", "hashed_password": "x", "is_active": True, "created_at": start, "failed_logins": 0}
              for i in range(trainees)]
    memberships = [{"team_id": 1, "user_id": u["id"], "is_manager": u["id"] == 1, "added_at": start} for u in users]
    attempt_rows, turn_rows, score_rows, dimension_rows, finding_rows = [], [], [], [], []
    attempt_id = dimension_id = finding_id = 0
    for user in users[1:]:
        skill = {d: rng.uniform(45, 85) for d in DIMENSIONS}
        for n in range(per_trainee):
            attempt_id += 1
            at = start + timedelta(minutes=int((n + rng.random()) * 26 * 7 * 24 * 60 / per_trainee))
            medium = rng.choice(MEDIA)
            attempt_rows.append({
                "id": attempt_id, "user_id": user["id"], "scenario_id": f"scenario-{rng.randint(1, 40)}",
                "scenario_version": "1", "scenario_type": rng.choice(TYPES), "medium": medium, "language": "nl",
                "seed": rng.randint(1, 9999), "started_at": at, "finished_at": at + timedelta(minutes=4),
                "outcome": rng.choice(OUTCOMES),
            })
            turn_rows.append({"id": attempt_id, "attempt_id": attempt_id, "speaker": "trainee", "text": "Hoi! Ik zoek het voor je uit.",
                              "shown_at": at, "sent_at": at + timedelta(seconds=pace.randint(20, 400)), "action": "reply",
                              "submission_id": uuid.UUID(int=rng.getrandbits(128)), "created_at": at, "mood": None})
            # The customer before the reply and after it, with a mood each (what the reports' mood query reads).
            mood = rng.uniform(-1, 0.2)
            for offset, (moment, change) in enumerate(((at - timedelta(seconds=1), 0.0), (at + timedelta(minutes=3), rng.uniform(-0.2, 0.8)))):
                turn_rows.append({"id": CUSTOMER_TURN_IDS + 2 * attempt_id + offset, "attempt_id": attempt_id,
                                  "speaker": "customer", "text": "Hallo?", "shown_at": moment, "created_at": moment,
                                  "sent_at": None, "action": None, "submission_id": None, "mood": round(max(-1.0, min(1.0, mood + change)), 2)})
            values = {d: max(0.0, min(100.0, rng.gauss(skill[d] + n * 0.05, 10))) for d in DIMENSIONS}
            total = sum(values.values()) / len(values)
            critical = 1 if values["privacy"] < 35 else 0
            score_rows.append({
                "id": attempt_id, "turn_id": attempt_id, "attempt_id": attempt_id, "user_id": user["id"],
                "total": round(total, 1), "passed": total >= 70 and not critical, "pass_mark": 70.0, "language": "nl",
                "medium": medium, "critical_findings": critical, "scored_at": at + timedelta(seconds=60),
                "scorecard": {"total": round(total, 1), "dimensions": {d: {"score": round(v, 1)} for d, v in values.items()}},
            })
            for name, value in values.items():
                dimension_id += 1
                dimension_rows.append({"id": dimension_id, "score_id": attempt_id, "user_id": user["id"],
                                       "scored_at": at + timedelta(seconds=60), "name": name, "version": f"{name}.v1",
                                       "score": round(value, 1), "weight": 1.0, "checked": True})
                if value < 80:
                    finding_id += 1
                    finding_rows.append({"id": finding_id, "score_id": attempt_id, "dimension": name,
                                         "severity": "critical" if name == "privacy" and critical else "minor",
                                         "rule": f"{name}.bench", "span_start": 0, "span_end": 5,
                                         "message": "Kan beter.", "points": round(100 - value, 1)})
    runs, conversations, messages = drill_rows(random.Random(seed + 2), start, [u["id"] for u in users[1:]])
    with engine.begin() as connection:
        connection.execute(insert(Team), [{"id": 1, "name": "Bench", "created_at": start}])
        _batches(User.__table__, users, connection)
        _batches(TeamMembership.__table__, memberships, connection)
        _batches(Attempt.__table__, attempt_rows, connection)
        _batches(Turn.__table__, turn_rows, connection)
        _batches(Score.__table__, score_rows, connection)
        _batches(DimensionScore.__table__, dimension_rows, connection)
        _batches(FindingRecord.__table__, finding_rows, connection)
        _batches(DrillRun.__table__, runs, connection)
        _batches(DrillConversation.__table__, conversations, connection)
        _batches(DrillMessage.__table__, messages, connection)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
        else:
            connection.exec_driver_sql("ANALYZE")
    return 1, 1, 2 + trainees // 2


def drill_rows(rng: random.Random, start: datetime, trainee_ids: list[int]) -> tuple[list[dict], list[dict], list[dict]]:
    """A drill a week for team 1: each conversation labelled, answered by a trainee, with the
    customer's mood before a reply and after it (what the reports' mood and topic queries read)."""
    runs, conversations, messages = [], [], []
    for week in range(DRILLS):
        at = start + timedelta(weeks=week, days=2)
        run_id = f"bench-{week}"
        runs.append({"id": run_id, "template_id": "bench", "language": "nl", "team_id": 1, "created_by_id": 1, "seed": week,
                     "status": "stopped", "time_scale": 1.0, "created_at": at, "started_at": at, "paused_seconds": 0.0,
                     "next_arrival": DRILL_CONVERSATIONS})
        for arrival in range(DRILL_CONVERSATIONS):
            conversation_id = len(conversations) + 1
            replier = rng.choice(trainee_ids)
            arrived = at + timedelta(seconds=30 * arrival)
            conversations.append({
                "id": conversation_id, "run_id": run_id, "arrival": arrival, "scenario_id": "bench", "medium": rng.choice(MEDIA),
                "seed": arrival, "customer_name": "Klant", "handle": "@klant", "followers": 0, "retweets": 0,
                "sla_seconds": 1800, "arrived_at": arrived, "arrived_offset": 30.0 * arrival, "nudges": 0,
                "label": rng.choice(LABELS), "replies": 1, "ended": True,
                "version": 1, "conversation": "{}",
            })
            before = rng.uniform(-1, 0)
            for n, (role, mood) in enumerate([("customer", before), ("agent", None),
                                              ("customer", min(1.0, before + rng.uniform(-0.2, 1.0)))]):
                messages.append({
                    "id": len(messages) + 1, "run_id": run_id, "conversation_id": conversation_id, "role": role,
                    "source": "reply" if role == "agent" else "scenario", "text": "…", "medium": "twitter",
                    "at": arrived + timedelta(minutes=n), "offset": 30.0 * arrival + 60 * n,
                    "user_id": replier if role == "agent" else None, "mood": mood,
                })
    return runs, conversations, messages


def timed(call, runs: int = RUNS) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), max(seconds)


def measure(engine: Engine, trainees: int, per_trainee: int) -> dict[str, tuple[float, float]]:
    began = time.perf_counter()
    manager_id, team_id, trainee_id = populate(engine, trainees, per_trainee)
    load_seconds = time.perf_counter() - began
    results: dict[str, tuple[float, float]] = {}

    def with_session(fn):
        def run():
            with Session(engine) as session:
                manager = session.get(User, manager_id)
                return fn(session, manager)
        return run

    overview = with_session(lambda s, m: progress.team_overview(session=s, actor=m, team_id=team_id))
    page = with_session(lambda s, m: progress.trainee_progress(session=s, actor=m, trainee_id=trainee_id))
    listing = with_session(lambda s, m: attempts_service.list_attempts(session=s, actor=m, trainee_id=trainee_id, limit=50))
    eligibility = with_session(lambda s, m: certification.check_eligibility(
        session=s, actor=m, trainee_id=trainee_id, level="basic_webcare"))
    report_all = with_session(lambda s, m: reports.reports_screen(session=s, actor=m, team_id=team_id, weeks=REPORT_WEEKS,
                                                                language="nl"))
    report_default = with_session(lambda s, m: reports.reports_screen(session=s, actor=m, team_id=team_id, language="nl"))
    assert len(overview().members) == trainees  # warm-up, and a check that the data is all there
    assert page().overall.replies == per_trainee
    everything = report_all()
    assert sum(r["Antwoorden"] for r in everything.sections[0].rows) == trainees * per_trainee
    results[f"team overview ({trainees} trainees)"] = timed(overview)
    results["trainee progress page"] = timed(page)
    results["attempt list (50 newest)"] = timed(listing)
    results["certification eligibility"] = timed(eligibility)
    results[f"reports screen ({REPORT_WEEKS} weeks: every attempt)"] = timed(report_all)
    results[f"reports screen ({reports.WEEKS} weeks)"] = timed(report_default)
    results["_load"] = (load_seconds, load_seconds)
    return results


def sqlite_engine(folder: Path) -> Engine:
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    return engine


def postgres_engine(url: str) -> tuple[Engine, Engine, str]:
    admin = make_engine(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    return engine, admin, schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=200, help="attempts per trainee")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    SQLModel.metadata  # noqa: B018  (the models are imported above)

    table: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = sqlite_engine(Path(folder))
        table["SQLite"] = measure(engine, args.trainees, args.attempts)
        engine.dispose()
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        engine, admin, schema = postgres_engine(url)
        try:
            table["PostgreSQL"] = measure(engine, args.trainees, args.attempts)
        finally:
            engine.dispose()
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        print("no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL not measured (run `make postgres`)", file=sys.stderr)

    databases = list(table)
    rows = [name for name in next(iter(table.values())) if not name.startswith("_")]
    lines = [
        "## Progress queries (`bench/progress_queries.py`)",
        "",
        f"{args.trainees} trainees × {args.attempts} attempts, one scored reply each between two customer messages with a mood "
        f"({args.trainees * args.attempts:,} scores, {args.trainees * args.attempts * len(DIMENSIONS):,} dimension scores), "
        f"and {DRILLS} group drills of {DRILL_CONVERSATIONS} conversations ({DRILLS * DRILL_CONVERSATIONS * 3:,} drill messages). "
        f"Median (max) of {RUNS} runs through the services and views, rights checks included. Target: team overview, "
        f"progress page and reports screen ≤ {TARGET_SECONDS:.0f} s median.",
        "",
        "| query | " + " | ".join(databases) + " |",
        "| --- |" + " --- |" * len(databases),
    ]
    failed = []
    for name in rows:
        cells = []
        for db in databases:
            med, worst = table[db][name]
            cells.append(f"{med * 1000:.0f} ms ({worst * 1000:.0f} ms)")
            if name.startswith(("team overview", "trainee progress", "reports screen")) and med > TARGET_SECONDS:
                failed.append(f"{name} on {db}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| loading the data (once) | " + " | ".join(f"{table[db]['_load'][0]:.1f} s" for db in databases) + " |")
    lines += ["", "Within target." if not failed else f"OVER TARGET: {', '.join(failed)}."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("progress_queries", body)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
