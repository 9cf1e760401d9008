"""The rights matrix: every role against every action, on own, own-team and other-team targets."""

from __future__ import annotations

import pytest
from sqlmodel import select

from trainer.db.models import AuditEntry
from trainer.services import audit
from trainer.services.rights import SYSTEM, Action, PermissionDenied, can, require

A = Action
# (actor, action, target) -> allowed. Targets name World attributes; None means no target.
MATRIX = [
    # users and teams: admins only
    ("admin", A.manage_users, None, True), ("mila", A.manage_users, None, False), ("tom", A.manage_users, None, False),
    ("admin", A.manage_teams, None, True), ("mila", A.manage_teams, None, False), ("tom", A.manage_teams, None, False),
    ("admin", A.read_audit, None, True), ("mila", A.read_audit, None, False), ("tom", A.read_audit, None, False),
    # closing everyone's stale attempts: housekeeping, for admins (and the command line)
    ("admin", A.close_stale, None, True), ("mila", A.close_stale, None, False), ("tom", A.close_stale, None, False),
    # reading attempts: oneself, one's managers, admins
    ("tom", A.read_attempts, "tom", True), ("tom", A.read_attempts, "tess", False), ("tom", A.read_attempts, "eva", False),
    ("mila", A.read_attempts, "tom", True), ("mila", A.read_attempts, "eva", False), ("mark", A.read_attempts, "tom", False),
    ("admin", A.read_attempts, "eva", True),
    # practising: only as oneself
    ("tom", A.practise, "tom", True), ("tom", A.practise, "tess", False), ("mila", A.practise, "tom", False),
    # reviewing: a manager, their own teams only, never themselves
    ("mila", A.review, "tom", True), ("mila", A.review, "eva", False), ("mila", A.review, "mila", False),
    ("tom", A.review, "tess", False), ("tom", A.review, "tom", False), ("admin", A.review, "tom", False),
    # the team overview
    ("mila", A.read_team, "reizen", True), ("mila", A.read_team, "energie", False), ("tom", A.read_team, "reizen", False),
    ("admin", A.read_team, "energie", True),
    # the team's reports: its managers and admins (its observers: tests/trainer/test_reports.py)
    ("mila", A.see_reports, "reizen", True), ("mila", A.see_reports, "energie", False),
    ("tom", A.see_reports, "reizen", False), ("admin", A.see_reports, "energie", True),
    # certifying: only a manager of the trainee's team, never themselves; not an admin
    ("mila", A.certify, "tom", True), ("mila", A.certify, "eva", False), ("mila", A.certify, "mila", False),
    ("mark", A.certify, "tess", False), ("tom", A.certify, "tess", False), ("tom", A.certify, "tom", False),
    ("admin", A.certify, "tom", False),
    # revoking: the trainee's manager, or an admin
    ("mila", A.revoke, "tom", True), ("mark", A.revoke, "tom", False), ("admin", A.revoke, "tom", True),
    ("tom", A.revoke, "tom", False),
    # export: managers (their teams, filtered by the service) and admins
    ("admin", A.export, None, True), ("mila", A.export, None, True), ("tom", A.export, None, False),
    # group drills: by membership of the drill's team
    ("mila", A.run_drill, "reizen", True), ("mila", A.run_drill, "energie", False), ("tom", A.run_drill, "reizen", False),
    ("admin", A.run_drill, "reizen", False),
    ("mila", A.watch_drill, "reizen", True), ("mark", A.watch_drill, "reizen", False),
    ("admin", A.watch_drill, "energie", True), ("tom", A.watch_drill, "reizen", False),
    ("tom", A.work_drill, "reizen", True), ("tom", A.work_drill, "energie", False), ("mila", A.work_drill, "reizen", False),
    ("admin", A.work_drill, "reizen", False),
    ("tom", A.see_drill, "reizen", True), ("mila", A.see_drill, "reizen", True), ("admin", A.see_drill, "energie", True),
    ("eva", A.see_drill, "reizen", False), ("mark", A.see_drill, "reizen", False),
]


@pytest.mark.parametrize("who, action, target, allowed", MATRIX, ids=lambda v: getattr(v, "value", str(v)))
def test_rights_matrix(session, world, who, action, target, allowed):
    actor = getattr(world, who)
    subject = getattr(world, target) if target else None
    assert can(actor, action, subject, session=session) is allowed
    if allowed:
        require(actor, action, subject, session=session)
    else:
        with pytest.raises(PermissionDenied, match=action.value):
            require(actor, action, subject, session=session)


@pytest.mark.parametrize("action", list(Action))
def test_rights_disabled_user_may_do_nothing(session, world, action):
    world.admin.is_active = False
    assert not can(world.admin, action, world.tom, session=session)


def test_rights_system_actor_manages_and_reads_but_never_certifies(session, world):
    assert can(SYSTEM, Action.manage_users) and can(SYSTEM, Action.export) and can(SYSTEM, Action.close_stale)
    assert can(SYSTEM, Action.read_attempts, world.tom, session=session)
    assert not can(SYSTEM, Action.certify, world.tom, session=session)
    assert not can(SYSTEM, Action.review, world.tom, session=session)


def test_rights_audit_log_is_for_admins(session, world):
    assert audit.list_entries(session=session, actor=world.admin)
    for who in ("mila", "tom"):
        with pytest.raises(PermissionDenied):
            audit.list_entries(session=session, actor=getattr(world, who))


def test_rights_audit_entries_are_written_with_the_change(session, world):
    before = len(session.exec(select(AuditEntry)).all())
    with pytest.raises(ValueError):
        audit.record(session, actor=world.admin, action="x", target_type="user", target_id=1, reason="")
    assert len(session.exec(select(AuditEntry)).all()) == before


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_rights_every_action_is_documented(action):
    from pathlib import Path

    storage_md = Path(__file__).resolve().parents[2] / "docs" / "storage.md"
    assert f"`{action.value}`" in storage_md.read_text(encoding="utf-8"), f"{action.value} is missing from docs/storage.md"


@pytest.fixture
def co_managed(session, world):
    """Reizen gets a second manager, Milan, who is also a plain member of Energie (managed by Mark)."""
    from trainer.db.models import Role, UserCreate
    from trainer.services.accounts import add_member, create_user

    milan = create_user(session=session, actor=SYSTEM, user_create=UserCreate(
        email="milan@example.nl", full_name="Milan Manager", role=Role.manager, password="correct horse battery"))
    add_member(session=session, actor=SYSTEM, team_id=world.reizen.id, user_id=milan.id, as_manager=True)
    add_member(session=session, actor=SYSTEM, team_id=world.energie.id, user_id=milan.id, as_manager=False)
    world.milan = milan
    return world


@pytest.mark.parametrize("action", [Action.review, Action.certify, Action.revoke], ids=lambda a: a.value)
@pytest.mark.parametrize("who, target", [("mila", "milan"), ("milan", "mila"), ("mark", "milan"), ("milan", "milan")])
def test_rights_no_manager_reviews_or_certifies_a_fellow_manager(session, co_managed, action, who, target):
    assert not can(getattr(co_managed, who), action, getattr(co_managed, target), session=session)


def test_rights_co_managers_still_manage_their_trainees(session, co_managed):
    for who in ("mila", "milan"):
        assert can(getattr(co_managed, who), Action.certify, co_managed.tom, session=session)
        assert can(getattr(co_managed, who), Action.review, co_managed.tess, session=session)


def test_rights_a_manager_is_certified_by_an_admin(session, co_managed):
    assert can(co_managed.admin, Action.certify, co_managed.milan, session=session)
    assert not can(co_managed.admin, Action.certify, co_managed.admin, session=session)


def test_rights_co_manager_cannot_override_a_fellow_managers_score(session, co_managed):
    from trainer.services import reviews

    from .conftest import scored_reply

    stored = scored_reply(session, co_managed.milan, dimensions={"tone": 40})
    with pytest.raises(PermissionDenied):
        reviews.override_score(session=session, actor=co_managed.mila, score_id=stored.score_id, override=90,
                               reason="collega helpen")
