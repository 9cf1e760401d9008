"""No attempt stays "in progress" for ever: `stale_attempts.close_stale` closes anyone's practice
attempt idle for ATTEMPT_STALE_HOURS as abandoned, with an audit entry, once, even when two
app servers sweep at the same moment (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from tests.trainer.conftest import World, make_scorecard
from trainer.db.models import Attempt, AttemptCreate, AttemptOutcome, AuditEntry, Speaker, Turn
from trainer.db.types import utcnow
from trainer.services import attempts, stale_attempts
from trainer.services.rights import SYSTEM, PermissionDenied
from trainer.settings import Settings


def started(session, trainee, *, hours_ago: float, scenario_type: str = "cancellation",
            drill_run_id: str | None = None) -> int:
    """An attempt whose customer message and one scored reply were all stored `hours_ago`."""
    attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
        scenario_id="s", scenario_version="1", scenario_type=scenario_type, medium="twitter"))
    attempts.record_customer_turn(session=session, actor=trainee, attempt_id=attempt.id, text="Waar blijft mijn pakket?",
                                  speaker=Speaker.system if scenario_type == "announcement" else Speaker.customer)
    attempts.submit_reply(session=session, actor=trainee, scorecard=make_scorecard({"tone": 80}),
                          submission=attempts.ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(),
                                                              text="Hoi, ik zoek het voor je uit."))
    then = utcnow() - timedelta(hours=hours_ago)
    # As if it all happened then: the attempt's start and every turn's stored moment.
    session.execute(update(Attempt).where(Attempt.id == attempt.id).values(started_at=then, drill_run_id=drill_run_id))
    session.execute(update(Turn).where(Turn.attempt_id == attempt.id).values(created_at=then))
    session.commit()
    return attempt.id


def outcome(session, attempt_id: int) -> str:
    session.expire_all()
    return session.get(Attempt, attempt_id).outcome


def test_stale_attempts_an_idle_one_is_closed_a_fresh_one_untouched(session, world):
    stale = started(session, world.tom, hours_ago=30)
    fresh = started(session, world.tess, hours_ago=2)
    closed = stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line")
    assert closed == [stale]
    assert outcome(session, stale) == AttemptOutcome.abandoned
    assert outcome(session, fresh) == AttemptOutcome.in_progress
    # Closed at its last activity, not at the sweep: the time away is not counted as practice.
    row = session.get(Attempt, stale)
    last = session.exec(select(Turn.created_at).where(Turn.attempt_id == stale)).first()
    assert row.finished_at == last
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == stale_attempts.AUDIT_ACTION)).one()
    assert (entry.target_type, entry.target_id, entry.actor_label) == ("attempt", str(stale), "system:command-line")
    assert entry.reason == "no activity for 24 hours"
    assert entry.details["trainee_id"] == world.tom.id and entry.details["trigger"] == "command-line"


def test_stale_attempts_a_second_sweep_changes_nothing(session, world):
    stale = started(session, world.tom, hours_ago=30)
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line") == [stale]
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line") == []
    assert len(session.exec(select(AuditEntry).where(AuditEntry.action == stale_attempts.AUDIT_ACTION)).all()) == 1


def test_stale_attempts_the_setting_decides_what_is_stale(session, world):
    five_hours = started(session, world.tom, hours_ago=5)
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line") == []
    settings = Settings(ATTEMPT_STALE_HOURS=4)
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line",
                                      settings=settings) == [five_hours]


def test_stale_attempts_a_recent_turn_keeps_an_old_attempt_open(session, world):
    attempt_id = started(session, world.tom, hours_ago=30)
    attempts.record_customer_turn(session=session, actor=world.tom, attempt_id=attempt_id, text="Nog iets?")
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line") == []
    assert outcome(session, attempt_id) == AttemptOutcome.in_progress


def test_stale_attempts_announcements_follow_the_rule_drills_are_left_to_their_drill(session, world):
    announcement = started(session, world.tom, hours_ago=30, scenario_type="announcement")
    drill = started(session, world.tess, hours_ago=30, drill_run_id="run-paused-for-days")
    assert stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line") == [announcement]
    assert outcome(session, drill) == AttemptOutcome.in_progress


@pytest.mark.parametrize("who", ["mila", "tom"])
def test_stale_attempts_only_admins_and_the_command_line_sweep(session, world, who):
    stale = started(session, world.tom, hours_ago=30)
    with pytest.raises(PermissionDenied):
        stale_attempts.close_stale(session=session, actor=getattr(world, who), trigger="command-line")
    assert outcome(session, stale) == AttemptOutcome.in_progress
    assert stale_attempts.close_stale(session=session, actor=world.admin, trigger="command-line") == [stale]


def test_stale_attempts_two_sweeps_at_once_close_each_attempt_once(file_engine):
    with Session(file_engine, expire_on_commit=False) as session:
        world = World(session)
        stale = sorted(started(session, trainee, hours_ago=30 + n)
                       for n, trainee in enumerate([world.tom, world.tess, world.eva] * 3))
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def sweep(index: int) -> None:
        with Session(file_engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                results[index] = stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="app-start")
            except BaseException as exc:  # reported below, not lost in the thread
                results[index] = exc

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(r, list) for r in results), results
    assert sorted(results[0] + results[1]) == stale, "every stale attempt closed by exactly one sweep"
    with Session(file_engine) as session:
        entries = session.exec(select(AuditEntry.target_id).where(AuditEntry.action == stale_attempts.AUDIT_ACTION)).all()
        assert sorted(int(e) for e in entries) == stale
        assert {a.outcome for a in session.exec(select(Attempt)).all()} == {AttemptOutcome.abandoned}


def test_stale_attempts_the_app_sweeps_at_most_once_per_interval(session, world, monkeypatch):
    monkeypatch.setattr(stale_attempts, "_PROCESS", stale_attempts.Schedule())
    first = started(session, world.tom, hours_ago=30)
    assert stale_attempts.sweep_if_due(session=session, trigger="team-page") == [first]
    second = started(session, world.tess, hours_ago=30)
    assert stale_attempts.sweep_if_due(session=session, trigger="team-page") is None, "not due yet"
    assert outcome(session, second) == AttemptOutcome.in_progress
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == stale_attempts.AUDIT_ACTION)).one()
    assert entry.actor_label == "system:housekeeping" and entry.details["trigger"] == "team-page"
    monkeypatch.setattr(stale_attempts._PROCESS, "_last", stale_attempts._PROCESS._last - 15 * 60)
    assert stale_attempts.sweep_if_due(session=session, trigger="team-page") == [second]
