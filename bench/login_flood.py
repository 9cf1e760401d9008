"""Login flood beside trainees saving: 12 threads of bogus logins (unknown e-mails, real Argon2
at the app's own cost, every attempt from another client address as a botnet would, so the
per-address throttle does not simply stop them) while 5 trainees save replies, on SQLite (a
file) and PostgreSQL. Measured: saves failed, save p50/p95, and how many logins were checked
or refused unchecked. Each database gets several runs; the table shows their median.

PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (`make postgres`); the data goes
into a throw-away schema. Run: `.venv/bin/python bench/login_flood.py [--runs 3] [--no-write]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.report import percentile, write_section  # noqa: E402
from scoring.model import DimensionResult, Scorecard  # noqa: E402
from trainer.db.engine import make_engine  # noqa: E402
from trainer.db.migrate import upgrade  # noqa: E402
from trainer.db.models import AttemptCreate, Role, User  # noqa: E402
from trainer.services import accounts, attempts, auth_throttle  # noqa: E402

FLOODERS, TRAINEES, SAVES_EACH = 12, 5, 20
CARD = Scorecard(total=80.0, passed=True, pass_mark=70.0, language="nl", medium="twitter",
                 dimensions={"tone": DimensionResult(name="tone", version="tone.v1", score=80.0, weight=1.0)},
                 findings=[])


def _engine(url: str, schema: str | None):
    return make_engine(url, **({"connect_args": {"options": f"-csearch_path={schema}"}, "pool_size": 20,
                                "max_overflow": 10} if schema else {}))


def _trainees(engine) -> list[User]:
    with Session(engine, expire_on_commit=False) as session:
        users = [User(email=f"trainee{n}@bench.example", full_name=f"Trainee {n}", role=Role.trainee,
                      hashed_password=accounts.hash_password("not-used-here-123")) for n in range(TRAINEES)]
        session.add_all(users)
        session.commit()
        return users


def _flood(engine, number: int, stop: threading.Event, counts: dict[str, int]) -> None:
    i = 0
    while not stop.is_set():
        i += 1
        with Session(engine, expire_on_commit=False) as session:
            try:
                accounts.login(session=session, email=f"bot{number}-{i}@bench.example", password="Welkom123!",
                               client=f"10.{number}.{i // 250 % 250}.{i % 250}")
            except accounts.LoginThrottled:
                counts["refused"] += 1
            except accounts.LoginFailed:
                counts["checked"] += 1


def _saves(engine, trainee: User) -> list[float | str]:
    with Session(engine, expire_on_commit=False) as session:
        attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
            scenario_id="bench", scenario_version="1", scenario_type="proactive", medium="twitter", language="nl", seed=1))
    results: list[float | str] = []
    for _ in range(SAVES_EACH):
        started = time.perf_counter()
        try:
            with Session(engine, expire_on_commit=False) as session:
                attempts.submit_reply(session=session, actor=trainee, scorecard=CARD, submission=attempts.ReplySubmission(
                    attempt_id=attempt.id, submission_id=uuid.uuid4(), text="Hoi! Stuur je ons een DM? ^Sam"))
            results.append(time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - a failed save is what this bench counts
            results.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
        time.sleep(0.2)  # a trainee does not save twice in a row
    return results


def run_once(url: str, schema: str | None) -> dict:
    auth_throttle._PROCESS = auth_throttle.Throttle()  # every run starts with nothing counted
    engine = _engine(url, schema)
    upgrade(engine)
    trainees = _trainees(engine)
    stop, counts = threading.Event(), {"checked": 0, "refused": 0}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=FLOODERS + TRAINEES) as pool:
        flooders = [pool.submit(_flood, engine, n, stop, counts) for n in range(FLOODERS)]
        time.sleep(1.0)  # the flood is on before the first save
        try:
            saved = [pool.submit(_saves, engine, trainee) for trainee in trainees]
            results = [r for f in saved for r in f.result()]
        finally:
            stop.set()
        for f in flooders:
            f.result()
    seconds = time.perf_counter() - started
    engine.dispose()
    times = [r for r in results if isinstance(r, float)]
    failed = [r for r in results if isinstance(r, str)]
    return {"saves": len(results), "failed": len(failed), "errors": sorted(set(failed))[:3],
            "p50": percentile(times, 0.5) * 1000, "p95": percentile(times, 0.95) * 1000,
            "logins_per_s": (counts["checked"] + counts["refused"]) / seconds, "checked": counts["checked"],
            "refused": counts["refused"]}


def measure(name: str, make_target, runs: int) -> dict:
    results = []
    for number in range(runs):
        with make_target() as (url, schema):
            result = run_once(url, schema)
        print(f"{name} run {number + 1}: {result}", flush=True)
        results.append(result)
    med = {key: statistics.median(r[key] for r in results) for key in ("saves", "failed", "p50", "p95", "logins_per_s",
                                                                       "checked", "refused")}
    med["failed_max"] = max(r["failed"] for r in results)
    med["errors"] = sorted({e for r in results for e in r["errors"]})
    return med


class _SqliteFile:
    def __enter__(self):
        self.folder = tempfile.TemporaryDirectory()
        return f"sqlite:///{self.folder.name}/flood.db", None

    def __exit__(self, *exc):
        self.folder.cleanup()


class _PostgresSchema:
    def __init__(self, url: str):
        self.url, self.admin = url, make_engine(url)

    def __enter__(self):
        self.schema = f"bench_{uuid.uuid4().hex[:10]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        return self.url, self.schema

    def __exit__(self, *exc):
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    table = {"SQLite": measure("SQLite", _SqliteFile, args.runs)}
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        table["PostgreSQL"] = measure("PostgreSQL", lambda: _PostgresSchema(url), args.runs)
    names = list(table)
    rows = [
        ("saves (5 trainees × 20)", lambda r: f"{r['saves']:.0f}"),
        ("saves failed (median / worst run)", lambda r: f"{r['failed']:.0f} / {r['failed_max']}"),
        ("save latency p50 / p95", lambda r: f"{r['p50']:.0f} / {r['p95']:.0f} ms"),
        ("bogus logins per second (all threads)", lambda r: f"{r['logins_per_s']:.1f}"),
        ("bogus logins checked / refused unchecked", lambda r: f"{r['checked']:.0f} / {r['refused']:.0f}"),
    ]
    body = [
        "## Login flood beside saves (`bench/login_flood.py`)",
        "",
        f"{FLOODERS} threads of bogus logins (unknown e-mails, real Argon2, a new client address for every attempt) "
        f"while {TRAINEES} trainees each save {SAVES_EACH} replies through `attempts.submit_reply`; median of "
        f"{args.runs} runs per database. Password checks take turns (`LOGIN_CONCURRENT_CHECKS`, 1); a login refused "
        "unchecked was throttled or waited past `LOGIN_CHECK_WAIT_SECONDS` for its turn. Save latency here is mostly "
        "the machine's load: the figures before the fix were 3 of 5 saves failed on SQLite (issue 11).",
        "",
        "| figure | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
        *[f"| {label} | " + " | ".join(show(table[n]) for n in names) + " |" for label, show in rows],
    ]
    errors = sorted({e for n in names for e in table[n]["errors"]})
    body += ["", "Errors seen: " + "; ".join(errors) if errors else "", ""] if errors else ["", "No save failed.", ""]
    text_ = "\n".join(body)
    print(text_)
    if not args.no_write:
        write_section("login_flood", text_)
    return 0


if __name__ == "__main__":
    sys.exit(main())
