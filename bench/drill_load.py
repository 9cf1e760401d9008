"""Group drill under load: the Schiphol storm (120 customers in 15 minutes) compressed in time,
30 simulated trainees in 2 OS processes (15 threads each) calling the same services the pages
call: advance the drill (every page view does), take the most urgent customer, reply with a
realistic text that the real pipeline scores (grammar server off, so the database is measured,
not LanguageTool), now and then release or hand over. On SQLite (a file) and PostgreSQL.

Measured: replies lost (a reply the service confirmed that is not in the database with its
score), double claims (a conversation taken while someone else held it, read back from the
event log), double answers, and p50/p95 latency of claiming and of submitting a reply.

PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (`make postgres`); the data goes
into a throw-away schema. Run: `.venv/bin/python bench/drill_load.py [--scale 15] [--no-write]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import scenarios  # noqa: E402
from bench.report import percentile, write_section  # noqa: E402
from scoring.languagetool import GrammarChecker, LanguageToolSettings  # noqa: E402
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillMessage  # noqa: E402
from trainer.db.engine import make_engine  # noqa: E402
from trainer.db.migrate import upgrade  # noqa: E402
from trainer.db.models import Role, Score, Team, TeamMembership, User  # noqa: E402
from trainer.db.types import utcnow  # noqa: E402
from trainer.services import drills  # noqa: E402
from trainer.services.drills import dashboard  # noqa: E402

TEMPLATE = "nl-storm-schiphol"
REPLIES = [
    "Wat vervelend dat je vlucht is geannuleerd, {name}! Ik kijk direct met je mee. Stuur je je boekingscode via DM? ^{agent}",
    "Hoi {name}, sorry voor het wachten. Door de storm zijn veel vluchten geschrapt. Je kunt gratis omboeken of je geld terugvragen. Zal ik dat voor je regelen? ^{agent}",
    "Balen dat je vastzit op Schiphol, {name}. Ik zoek nu een nieuwe vlucht voor je. Wil je me je boekingscode en geboortedatum in een privébericht sturen? ^{agent}",
    "Dank je voor je bericht, {name}. Ik begrijp dat je boos bent. Je hebt recht op een nieuwe vlucht of je geld terug; ik regel het meteen als je me je boekingscode stuurt. ^{agent}",
    "Hoi {name}, excuses voor de lange wachttijd. Ik heb je vraag doorgezet naar onze afdeling bagage, zij nemen vandaag nog contact met je op. ^{agent}",
]


def _setup(url: str, schema: str | None, trainees: int, scale: float) -> tuple[str, list[int], int]:
    engine = make_engine(url, **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        team = Team(name="Storm")
        session.add(team)
        session.flush()
        users = [{"email": f"agent{i}@bench.nl", "full_name": f"Agent {i:02d}", "role": Role.trainee.value, "language": "nl",
                  "hashed_password": "x", "is_active": True, "created_at": utcnow(), "failed_logins": 0}
                 for i in range(trainees)]
        users.append({"email": "lead@bench.nl", "full_name": "Lead", "role": Role.manager.value, "language": "nl",
                      "hashed_password": "x", "is_active": True, "created_at": utcnow(), "failed_logins": 0})
        session.execute(insert(User), users)
        ids = {email: uid for uid, email in session.exec(select(User.id, User.email)).all()}
        session.execute(insert(TeamMembership), [
            {"team_id": team.id, "user_id": uid, "is_manager": email == "lead@bench.nl", "added_at": utcnow()}
            for email, uid in ids.items()])
        session.commit()
        lead = session.get(User, ids["lead@bench.nl"])
        run = drills.create_drill(session=session, actor=lead, template_id=TEMPLATE, team_id=team.id, seed=2026, time_scale=scale)
        drills.start_drill(session=session, actor=lead, run_id=run.id)
        run_id = run.id
    engine.dispose()
    return run_id, sorted(uid for email, uid in ids.items() if email != "lead@bench.nl"), ids["lead@bench.nl"]


# Set by --languagetool before the worker processes fork: score with the real LanguageTool server.
WITH_LANGUAGETOOL = False


def _checker() -> GrammarChecker:
    if WITH_LANGUAGETOOL:
        return GrammarChecker(LanguageToolSettings())  # the local server `make languagetool` runs
    return GrammarChecker(LanguageToolSettings(url=None, home=Path(tempfile.gettempdir()) / "no-lt", allow_download=False, port=1))


def _trainee(engine, run_id: str, user_id: int, mates: list[int], until: float, out: dict, lock: threading.Lock) -> None:
    checker = _checker()
    rng = random.Random(user_id)
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        session.expunge(user)
    claims, submits, confirmed, errors = [], [], [], defaultdict(int)
    while time.monotonic() < until:
        with Session(engine, expire_on_commit=False) as session:
            try:
                drills.advance(session=session, actor=user, run_id=run_id)
                started = time.perf_counter()
                taken = drills.claim_next(session=session, actor=user, run_id=run_id)
                claims.append(time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001  (counted, the load goes on)
                errors[type(exc).__name__] += 1
                session.rollback()
                continue
            if taken is None:
                time.sleep(0.3)
                continue
            time.sleep(rng.uniform(0.2, 1.0))  # reading and typing, compressed
            if rng.random() < 0.05:
                try:
                    if rng.random() < 0.5:
                        drills.release(session=session, actor=user, conversation_id=taken)
                    else:
                        drills.hand_over(session=session, actor=user, conversation_id=taken, to_user_id=rng.choice(mates))
                except Exception as exc:  # noqa: BLE001
                    errors[type(exc).__name__] += 1
                    session.rollback()
                continue
            try:
                view = drills.conversation_view(session=session, actor=user, conversation_id=taken)
            except Exception as exc:  # noqa: BLE001
                errors[type(exc).__name__] += 1
                session.rollback()
                continue
            reply = rng.choice(REPLIES).format(name=view.customer_name.split()[0], agent=user.full_name.split()[1])
            submission = uuid.uuid4()
            started = time.perf_counter()
            try:
                result = drills.send_reply(session=session, actor=user, conversation_id=taken, text=reply,
                                           submission_id=submission, checker=checker)
            except (drills.DrillError, drills.NotFound) as exc:  # released meanwhile (idle) or stopped: not a lost reply
                errors[type(exc).__name__] += 1
                session.rollback()
                continue
            except Exception as exc:  # noqa: BLE001  (a database error: counted, shown in the table)
                if os.environ.get("DRILL_LOAD_DEBUG"):  # print the traceback of each failed submit
                    import traceback
                    traceback.print_exc()
                errors[f"{type(exc).__name__} on submit"] += 1
                session.rollback()
                continue
            submits.append(time.perf_counter() - started)
            confirmed.append((str(submission), result.message_id, result.score_id))
    with lock:
        out["claims"] += claims
        out["submits"] += submits
        out["confirmed"] += confirmed
        for name, count in errors.items():
            out["errors"][name] = out["errors"].get(name, 0) + count


def _warm_up() -> None:
    """Load spaCy, the lexicons and the cue matchers once per process before the threads start,
    as a drill's first tick does (`scenarios.warm_up`)."""
    scenarios.warm_up("nl")


def _process(url: str, schema: str | None, run_id: str, user_ids: list[int], all_ids: list[int], seconds: float, queue) -> None:
    engine = make_engine(url, pool_size=len(user_ids) + 2, max_overflow=4,
                         **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
    out = {"claims": [], "submits": [], "confirmed": [], "errors": {}}
    lock = threading.Lock()
    until = time.monotonic() + seconds  # before the warm-up: the drill's clock is already running
    _warm_up()
    threads = [threading.Thread(target=_trainee, args=(engine, run_id, uid, [m for m in all_ids if m != uid], until, out, lock))
               for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    queue.put(out)


def _double_claims(session: Session, run_id: str) -> int:
    """Claims taken while someone else held the conversation, replayed from the event log."""
    events = session.exec(select(DrillEvent).where(DrillEvent.run_id == run_id).order_by(DrillEvent.id)).all()
    holder: dict[int, int | None] = {}
    doubles = 0
    ended = {c.id for c in session.exec(select(DrillConversation).where(DrillConversation.run_id == run_id, DrillConversation.ended == True))}  # noqa: E712
    for event in events:
        cid = event.conversation_id
        if event.kind == "claimed":
            if holder.get(cid) not in (None, event.user_id, event.details.get("took_over_idle")) and cid not in ended:
                doubles += 1
            holder[cid] = event.user_id
        elif event.kind in ("released", "idle_release", "stopped"):
            holder[cid] = None
        elif event.kind == "handed_over":
            holder[cid] = event.details.get("to")
    return doubles


def measure(url: str, schema: str | None, trainees: int, processes: int, scale: float) -> dict:
    run_id, user_ids, lead_id = _setup(url, schema, trainees, scale)
    seconds = 15 * 60 / scale + 5
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    share = [user_ids[i::processes] for i in range(processes)]
    workers = [context.Process(target=_process, args=(url, schema, run_id, part, user_ids, seconds, queue)) for part in share]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=seconds + 300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    wall = time.perf_counter() - started

    engine = make_engine(url, **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
    with Session(engine, expire_on_commit=False) as session:
        lead = session.get(User, lead_id)
        board = dashboard.dashboard(session=session, actor=lead, run_id=run_id)
        confirmed = [c for r in results for c in r["confirmed"]]
        stored = {m.submission_id: m for m in session.exec(select(DrillMessage).where(DrillMessage.run_id == run_id, DrillMessage.role == "agent"))}
        scores = set(session.exec(select(Score.id)).all())
        lost = sum(1 for submission, message_id, score_id in confirmed
                   if submission not in stored or stored[submission].id != message_id
                   or (score_id != 0 and score_id not in scores))  # 0: a noise post's reply, never scored
        doubles = _double_claims(session, run_id)
        drills.stop_drill(session=session, actor=lead, run_id=run_id)
    engine.dispose()
    errors: dict[str, int] = {}
    for r in results:
        for name, count in r["errors"].items():
            errors[name] = errors.get(name, 0) + count
    claims = [c for r in results for c in r["claims"]]
    submits = [s for r in results for s in r["submits"]]
    return {
        "replies": len(confirmed), "stored": len(stored), "lost": lost, "double_claims": doubles,
        "double_answers": board.double_answers, "arrived": board.arrived, "never_answered": board.never_answered,
        "late": board.late_replies, "evenness": board.evenness, "claims": len(claims),
        "claim_p50": percentile(claims, 0.5), "claim_p95": percentile(claims, 0.95),
        "submit_p50": percentile(submits, 0.5), "submit_p95": percentile(submits, 0.95),
        "errors": errors, "wall": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scale", type=float, default=15.0, help="drill seconds per real second (15: 15 minutes in 1)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--languagetool", action="store_true",
                        help="score replies with the real LanguageTool server (started if needed), as the app does")
    args = parser.parse_args()
    global WITH_LANGUAGETOOL
    WITH_LANGUAGETOOL = args.languagetool
    if args.languagetool:
        probe = _checker()
        probe.wait_until_ready()
        assert probe.check("Dit is een test.", "nl").checked, "LanguageTool did not answer"

    table = {}
    with tempfile.TemporaryDirectory() as folder:
        table["SQLite"] = measure(f"sqlite:///{Path(folder) / 'drill.db'}", None, args.trainees, args.processes, args.scale)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        admin = make_engine(url)
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            table["PostgreSQL"] = measure(url, schema, args.trainees, args.processes, args.scale)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        print("no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL not measured (run `make postgres`)", file=sys.stderr)

    databases = list(table)
    rows = [
        ("replies confirmed / stored", lambda r: f"{r['replies']} / {r['stored']}"),
        ("replies lost", lambda r: str(r["lost"])),
        ("double claims", lambda r: str(r["double_claims"])),
        ("customers answered twice in a row", lambda r: str(r["double_answers"])),
        ("customers arrived / never answered", lambda r: f"{r['arrived']} / {r['never_answered']}"),
        ("replies past the SLA", lambda r: str(r["late"])),
        ("load evenness (1 = even)", lambda r: f"{r['evenness']}"),
        ("claim attempts (take the most urgent)", lambda r: str(r["claims"])),
        ("claim latency p50 / p95", lambda r: f"{r['claim_p50'] * 1000:.0f} / {r['claim_p95'] * 1000:.0f} ms"),
        ("submit latency p50 / p95 (scoring included)", lambda r: f"{r['submit_p50'] * 1000:.0f} / {r['submit_p95'] * 1000:.0f} ms"),
        ("refusals (lost races, idle releases)", lambda r: ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"),
        ("wall time", lambda r: f"{r['wall']:.0f} s"),
    ]
    lines = [
        "## Group drill under load, LanguageTool on (`bench/drill_load.py --languagetool`)" if args.languagetool
        else "## Group drill under load (`bench/drill_load.py`)",
        "",
        f"The Schiphol storm (120 customers in 15 minutes) at {args.scale:g}× speed; {args.trainees} simulated trainees in "
        f"{args.processes} OS processes calling the page services (advance, take the most urgent, reply scored by the "
        f"real pipeline {'with the local LanguageTool server' if args.languagetool else 'without LanguageTool'}, "
        "sometimes release or hand over).",
        "",
        "| figure | " + " | ".join(databases) + " |",
        "| --- |" + " --- |" * len(databases),
    ]
    lines += [f"| {name} | " + " | ".join(cell(table[db]) for db in databases) + " |" for name, cell in rows]
    failed = [db for db in databases if table[db]["lost"] or table[db]["double_claims"]]
    lines += ["", "No reply lost, no double claim." if not failed else f"FAILED on {', '.join(failed)}."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("drill_load_languagetool" if args.languagetool else "drill_load", body)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
