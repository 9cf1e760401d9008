"""The audit log: team changes, logins and lock-outs, exports and PDFs are recorded; admins
read it back filtered and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from trainer.db.models import AuditEntry, Role, TeamCreate
from trainer.services import accounts, audit, certification, export
from trainer.services.rights import SYSTEM, PermissionDenied


def _actions(session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]


def test_audit_team_creation_and_every_membership_change(session, world):
    session.exec(select(AuditEntry)).all()
    before = len(_actions(session))
    team = accounts.create_team(session=session, actor=world.admin, team_create=TeamCreate(name="Verzekeringen"))
    accounts.add_member(session=session, actor=world.admin, team_id=team.id, user_id=world.eva.id)
    accounts.remove_member(session=session, actor=world.admin, team_id=team.id, user_id=world.eva.id, reason="verkeerd team")
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()[before:]
    assert [(e.action, e.actor_label) for e in entries] == [
        ("team.create", "admin@example.nl"), ("team.member_add", "admin@example.nl"),
        ("team.member_remove", "admin@example.nl"),
    ]
    assert entries[1].details["team"] == "Verzekeringen" and entries[1].target_id == str(world.eva.id)
    assert entries[2].reason == "verkeerd team"


@pytest.mark.parametrize("outcome", ["success", "failure", "lockout"])
def test_audit_login_events_for_the_login_code(session, world, outcome):
    entry = audit.record_login(session, email="Tom@Example.nl ", outcome=outcome, user=world.tom, client="198.51.100.7")
    session.commit()
    stored = session.get(AuditEntry, entry.id)
    assert stored.action == f"login.{outcome}"
    assert (stored.actor_label, stored.target_type, stored.target_id) == ("tom@example.nl", "user", str(world.tom.id))
    assert stored.details == {"client": "198.51.100.7"}


def test_audit_login_failure_for_an_unknown_email(session, world):
    entry = audit.record_login(session, email="niemand@example.nl", outcome="failure")
    session.commit()
    assert (entry.actor_id, entry.actor_label, entry.target_type) == (None, "niemand@example.nl", "login")


def test_audit_exports_and_certificate_pdfs_are_recorded(session, world):
    list(export.attempt_rows(session=session, actor=world.mila, team_id=world.reizen.id))
    cert = certification.Certification(user_id=world.tom.id, level="basic", granted_by_id=world.mila.id,
                                       expires_at=datetime.now(timezone.utc) + timedelta(days=30), comment="goed",
                                       verification_code="WT-TEST-CODE-0001")
    session.add(cert)
    session.commit()
    certification.certificate_pdf(session=session, actor=world.mila, certification_id=cert.id)
    entries = session.exec(select(AuditEntry).where(AuditEntry.action.in_(["export.attempts", "certificate.pdf"]))  # type: ignore[attr-defined]
                           .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_label) for e in entries] == [
        ("export.attempts", "mila@example.nl"), ("certificate.pdf", "mila@example.nl")]
    assert entries[0].details == {"team_id": world.reizen.id}
    assert entries[1].target_id == str(world.tom.id)


def test_audit_viewer_filters_and_csv_for_admins_only(session, world):
    accounts.set_role(session=session, actor=world.admin, user_id=world.eva.id, role=Role.manager, reason="=promotie")
    accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name="Nacht"))
    by_admin = audit.list_entries(session=session, actor=world.admin, actor_label="admin@")
    assert [e.action for e in by_admin] == ["user.role_change"]
    teams = audit.list_entries(session=session, actor=world.admin, action="team.create")
    assert [e.details.get("team") for e in teams][:1] == ["Nacht"]
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    assert audit.list_entries(session=session, actor=world.admin, since=later) == []
    assert audit.list_entries(session=session, actor=world.admin, until=later, target_type="user")
    assert "team.create" in audit.known_actions(session=session, actor=world.admin)

    text = audit.entries_csv(session=session, actor=world.admin, action="user.role_change")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["action"], r["actor"], r["reason"]) for r in rows] == [("user.role_change", "admin@example.nl", "'=promotie")]
    assert _actions(session)[-1] == "export.audit"
    for who in ("mila", "tom"):
        with pytest.raises(PermissionDenied):
            audit.entries_csv(session=session, actor=getattr(world, who))
