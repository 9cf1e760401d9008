"""Two OS processes race for the same conversations: each is won by exactly one of them.

Each process has its own engine and connections, like two app servers behind one load
balancer on one database (a SQLite file, or a PostgreSQL schema)."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import text
from sqlmodel import Session, select

from tests.drills.conftest import T0, World, at
from trainer.db.drill_models import DrillConversation, DrillEvent
from trainer.db.models import User
from trainer.services import drills


def _claim_all(url: str, schema: str | None, user_id: int, ids: list[int], barrier, results) -> None:
    from trainer.db.engine import make_engine
    from trainer.db.models import User

    kwargs = {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}
    engine = make_engine(url, **kwargs)
    won = []
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        session.rollback()
        for conversation_id in ids:
            barrier.wait()  # both go for the same conversation at the same moment
            if drills.claim(session=session, actor=user, conversation_id=conversation_id, now=at(300)):
                won.append(conversation_id)
    engine.dispose()
    results.put((user_id, won))


def test_drills_two_processes_racing_never_both_win_a_claim(file_engine):
    with Session(file_engine, expire_on_commit=False) as session:
        world = World(session)
        run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                                  team_id=world.reizen.id, seed=9, now=T0)
        drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
        drills.advance(session=session, actor=world.mila, run_id=run.id, now=at(300))
        ids = [c.id for c in session.exec(select(DrillConversation).where(DrillConversation.run_id == run.id))]
        schema = None
        if file_engine.dialect.name == "postgresql":
            schema = session.exec(text("SELECT current_schema()")).scalar_one()
        run_id, tom, tess = run.id, world.tom.id, world.tess.id
        session.rollback()
    players = (tom, tess)
    assert len(ids) >= 10

    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    url = file_engine.url.render_as_string(hide_password=False)
    processes = [context.Process(target=_claim_all, args=(url, schema, user_id, ids, barrier, results)) for user_id in players]
    for process in processes:
        process.start()
    outcome = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0

    won_tom, won_tess = set(outcome[tom]), set(outcome[tess])
    assert not won_tom & won_tess  # never both
    assert won_tom | won_tess == set(ids)  # and nothing lost
    with Session(file_engine) as session:
        holders = dict(session.exec(select(DrillConversation.id, DrillConversation.claimed_by_id)
                                    .where(DrillConversation.run_id == run_id)).all())
        claims = session.exec(select(DrillEvent.conversation_id).where(DrillEvent.kind == "claimed")).all()
    assert {i for i, holder in holders.items() if holder == tom} == won_tom
    assert sorted(claims) == sorted(ids)  # one claim event per conversation


def _advance_at(url: str, schema: str | None, run_id: str, user_id: int, moments: list[float], barrier, results) -> None:
    from trainer.db.engine import make_engine

    engine = make_engine(url, **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
    arrived = 0
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        for moment in moments:
            barrier.wait()  # both processes play the same moment at once
            arrived += drills.advance(session=session, actor=user, run_id=run_id, now=at(moment))
    engine.dispose()
    results.put(arrived)


def test_drills_two_processes_advancing_together_play_each_arrival_once(file_engine):
    from scenarios.drills import get_template, timeline

    with Session(file_engine, expire_on_commit=False) as session:
        world = World(session)
        run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                                  team_id=world.reizen.id, seed=13, now=T0)
        drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
        run_id, seed, manager = run.id, run.seed, world.mila.id
        schema = None
        if file_engine.dialect.name == "postgresql":
            schema = session.exec(text("SELECT current_schema()")).scalar_one()
        session.rollback()
    moments = [float(m) for m in range(30, 15 * 60 + 31, 30)]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    url = file_engine.url.render_as_string(hide_password=False)
    processes = [context.Process(target=_advance_at, args=(url, schema, run_id, manager, moments, barrier, results)) for _ in range(2)]
    for process in processes:
        process.start()
    arrived = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0

    expected = timeline(get_template("nl-storm-schiphol"), seed)
    assert sum(arrived) == len(expected) == 120
    with Session(file_engine) as session:
        stored = session.exec(select(DrillConversation.arrival).where(DrillConversation.run_id == run_id)).all()
    assert sorted(stored) == [a.index for a in expected]


def test_drills_a_tick_holding_the_run_lets_a_trainees_event_through(postgres_admin_engine):
    """PostgreSQL: while a tick holds the run (`lock_run`), a trainee's transaction can still
    insert a drill event, whose foreign key takes FOR KEY SHARE on the run. With FOR UPDATE it
    waited, and a tick releasing that trainee's idle claim then deadlocked with it (seen at 100
    trainees in bench/drill_load.py)."""
    from datetime import timedelta

    from sqlalchemy import insert
    from sqlalchemy.exc import OperationalError
    from sqlmodel import SQLModel

    from tests.trainer.conftest import _drop_schema, _postgres_schema_engine
    from trainer.services.drills.timeline import lock_run

    engine, schema = _postgres_schema_engine(postgres_admin_engine)
    try:
        SQLModel.metadata.create_all(engine)
        with Session(engine, expire_on_commit=False) as session:
            world = World(session)
            run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                                      team_id=world.reizen.id, seed=9, now=T0)
            drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
            run_id = run.id
        with Session(engine) as tick:
            assert lock_run(tick, run_id) is not None
            with engine.connect() as trainee:
                trainee.execute(text("SET lock_timeout = '2s'"))
                try:
                    trainee.execute(insert(DrillEvent).values(run_id=run_id, at=T0 + timedelta(seconds=5), offset=5.0,
                                                              kind="claimed", details={}))
                except OperationalError as exc:  # lock_timeout: it waited on the tick's lock
                    raise AssertionError("a trainee's event waited for the tick's lock on the run") from exc
                trainee.commit()
            # Ticks still keep each other out.
            with Session(engine) as other_tick:
                assert lock_run(other_tick, run_id) is None
            tick.rollback()
    finally:
        engine.dispose()
        _drop_schema(postgres_admin_engine, schema)
