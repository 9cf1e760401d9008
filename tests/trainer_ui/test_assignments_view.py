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
    ("mix", "telex:escalation", "assignments.error_unknown_medium"),
    ("mix", "whatsapp:small_talk", "assignments.error_unknown_scenario_type"),
    ("drill", "nl-storm-schiphol", "assignments.error_unknown_drill"),
    ("typing", "fast", "assignments.error_unknown_typing_test"),
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


def test_assignments_view_the_dutch_refusals_read_as_written(app_db):
    with session_scope() as session:
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        team = session.exec(select(Team)).one()
        said = [view.assign(session=session, actor=manager, language="nl", kind=kind, target=target,
                            due_on=date(2026, 12, 31), team_id=team.id, trainee_id=None)[1]
                for kind, target in [("mix", "telex:escalation"), ("mix", "whatsapp:small_talk")]]
    assert said == ["Dat kanaal bestaat niet. Kies een ander.", "Die soort gesprek bestaat niet. Kies een andere."]


@pytest.mark.parametrize(("kind", "choices", "target"), [
    ("scenario", {"scenario": "nl-shop-bestelling-annuleren"}, "nl-shop-bestelling-annuleren"),
    ("level", {"level": "basic_webcare"}, "basic_webcare"),
    ("mix", {"medium": "whatsapp", "scenario_type": "escalation"}, "whatsapp:escalation"),
    ("drill", {"medium": "whatsapp"}, "any"),
    ("typing", {}, "any"),
])
def test_assignments_view_the_forms_choices_make_the_target(kind, choices, target):
    given = {"scenario": None, "level": None, "medium": None, "scenario_type": None} | choices
    assert view.target_of(kind, **given) == target


@pytest.mark.parametrize(("kind", "target", "dutch", "english"), [
    ("mix", "whatsapp:angry_customer", "Oefenen: Boze klant via WhatsApp", "Practise: Angry customer on WhatsApp"),
    ("drill", "any", "Meedoen aan een groepsoefening", "Take part in a group drill"),
    ("typing", "any", "Typetest doen", "Do the typing test"),
])
def test_assignments_view_new_kinds_are_named_without_ids(kind, target, dutch, english):
    assert (view.work_label(kind, target, "nl"), view.work_label(kind, target, "en")) == (dutch, english)
