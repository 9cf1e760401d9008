"""Unknown work is a NotFound in the service and a translated sentence on the manager's screen."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from trainer.db.engine import session_scope
from trainer.db.models import Team, User
from trainer.i18n import t
from trainer.views import assignments as view


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("kind", "target", "key"), [
    ("scenario", "no-such-scenario", "assignments.error_unknown_scenario"),
    ("level", "grandmaster", "assignments.error_unknown_level"),
    ("path", "no-such-path", "assignments.error_unknown_path"),
])
def test_assignments_view_unknown_work_is_refused_in_the_managers_language(app_db, language, kind, target, key):
    with session_scope() as session:
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        team = session.exec(select(Team)).one()
        if kind == "path":
            saved, message = view.assign_path(session=session, actor=manager, language=language, path_id=target,
                                              trainee_id=trainee.id)
        else:
            saved, message = view.assign(session=session, actor=manager, language=language, kind=kind, target=target,
                                         due_on=date(2026, 12, 31), team_id=team.id, trainee_id=trainee.id)
    assert (saved, message) == (False, t(key, language))
