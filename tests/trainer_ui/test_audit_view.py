"""The audit log screen's view functions, on a real SQLite database and without Streamlit: the
entries the app_db fixture's set-up recorded, filtered, cut to the newest, exported and refused."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from tests.trainer_ui.test_practice_service import user
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.services.rights import PermissionDenied
from trainer.views import audit as view

ACTION = "Actie"  # audit.column_action in Dutch


def _screen(actor, language="nl", **choices) -> view.AuditScreen:
    with session_scope() as session:
        return view.audit_screen(session=session, actor=actor, language=language, **choices)


def test_audit_view_lists_everything_newest_first_under_dutch_headers(app_db):
    screen = _screen(user(app_db.admin))
    assert {"team.create", "user.create", "team.member_add", "login.success"} <= set(screen.actions)
    assert list(screen.rows[0]) == ["Wanneer (UTC)", "Door", "Actie", "Soort doel", "Doel", "Reden", "Details"]
    assert screen.rows[0][ACTION] == "login.success"  # the admin's own login, a moment ago
    assert [row["Wanneer (UTC)"] for row in screen.rows] == sorted((row["Wanneer (UTC)"] for row in screen.rows),
                                                                    reverse=True)
    assert screen.more is None and screen.file_name.startswith("audit-") and screen.file_name.endswith(".csv")


def test_audit_view_filters_by_action_actor_and_days(app_db):
    admin = user(app_db.admin)
    created = _screen(admin, action="team.create")
    assert [row[ACTION] for row in created.rows] == ["team.create"] and created.filters == {"action": "team.create"}
    logins = _screen(admin, "en", action="login.success", actor_text=" ADMIN@ ")
    assert [(row["By"], row["Action"]) for row in logins.rows] == [(app_db.admin, "login.success")]
    assert _screen(admin, actor_text="niemand-hier").rows == []
    today = utcnow().date()
    assert len(_screen(admin, since=today, until=today).rows) == len(_screen(admin).rows)
    assert _screen(admin, until=today - timedelta(days=1)).rows == []


def test_audit_view_says_when_only_the_newest_are_shown(app_db, monkeypatch):
    monkeypatch.setattr(view, "SHOWN", 3)
    screen = _screen(user(app_db.admin))
    assert len(screen.rows) == 3
    assert screen.more == "Alleen de nieuwste 3 regels staan hier; de CSV bevat de hele selectie."


def test_audit_view_csv_holds_the_selection_and_is_itself_logged(app_db):
    admin = user(app_db.admin)
    screen = _screen(admin, action="user.create")
    rows = list(csv.reader(io.StringIO(view.audit_csv(actor=admin, filters=screen.filters).decode("utf-8"))))
    assert rows[0][2] == "action" and [row[2] for row in rows[1:]] == ["user.create"] * 4
    exported = _screen(admin, action="export.audit").rows
    assert [(row["Door"], row["Details"]) for row in exported] == [(app_db.admin, "action=user.create")]


@pytest.mark.parametrize("role", ["trainee", "manager"])
def test_audit_view_is_refused_to_everyone_but_admins(app_db, role):
    actor = user(getattr(app_db, role))
    with pytest.raises(PermissionDenied):
        _screen(actor)
    with pytest.raises(PermissionDenied):
        view.audit_csv(actor=actor, filters={})
