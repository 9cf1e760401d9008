"""The admin screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.trainer_ui.conftest_extra import user_id
from tests.trainer_ui.test_practice_service import user
from trainer.db.engine import session_scope
from trainer.db.models import Role, Team, User
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import admin as view


def _screen(email: str, language: str = "nl") -> view.AdminScreen:
    with session_scope() as session:
        return view.admin_screen(session=session, actor=user(email), language=language)


def _stored(email: str) -> User:
    with session_scope() as session:
        return session.exec(select(User).where(User.email == email)).one()


def test_admin_view_lists_users_teams_and_choices_by_label(app_db):
    screen = _screen(app_db.admin)
    manager = next(row for row in screen.users if row["E-mailadres"] == app_db.manager)
    assert (manager["Rol"], manager["Teams"], manager["Actief"]) == ("dialoogmanager", "Webcare Zuid (dialoogmanager)", "ja")
    assert (screen.roles["dialoogmanager"], screen.roles["trainee"], len(screen.roles)) == (Role.manager, Role.trainee, len(Role))
    assert screen.emails[app_db.trainee] == user_id(app_db.trainee)
    assert app_db.admin not in screen.may_disable and app_db.trainee in screen.may_disable
    (card,) = screen.team_cards
    assert card.label == "Webcare Zuid: 3 leden" and screen.teams == {"Webcare Zuid": card.id}
    assert {row["Dialoogmanager"] for row in card.members} == {"ja", "nee"}
    assert screen.skipped is None and screen.no_team == "geen team"
    english = _screen(app_db.admin, "en")
    assert english.roles["dialogue manager"] is Role.manager and english.users[0].keys() >= {"Name", "E-mail address"}


@pytest.mark.parametrize("role", ["trainee", "manager"])
def test_admin_view_refuses_everyone_but_admins(app_db, role):
    with pytest.raises(PermissionDenied):
        _screen(getattr(app_db, role))


def test_admin_view_changes_a_role_only_with_a_reason(app_db):
    admin, trainee = user(app_db.admin), user_id(app_db.other_trainee)
    refused = view.set_role(actor=admin, language="nl", user_id=trainee, role=Role.manager, reason="  ")
    assert (refused.saved, refused.message) == (False, "Vul een reden in: die komt in het auditlog.")
    assert _stored(app_db.other_trainee).role == Role.trainee
    done = view.set_role(actor=admin, language="nl", user_id=trainee, role=Role.manager, reason="Teamleider.")
    assert (done.saved, done.message) == (True, f"{app_db.other_trainee} is nu dialoogmanager.")
    assert _stored(app_db.other_trainee).role == Role.manager
    blocked = view.disable(actor=admin, language="en", user_id=trainee, reason="Left.")
    assert blocked.saved and not _stored(app_db.other_trainee).is_active


def test_admin_view_words_why_a_new_user_was_refused(app_db):
    admin = user(app_db.admin)
    arguments = dict(actor=admin, language="nl", full_name="Noor Nieuw", role=Role.trainee, user_language="nl",
                     password="een-lang-wachtwoord", team_id=None, as_manager=False)
    invalid = view.add_user(email="geen-emailadres", **arguments)
    assert not invalid.saved and invalid.message == "Niet opgeslagen: E-mailadres: dat is geen geldig e-mailadres."
    created = view.add_user(email="Noor.Nieuw@Example.nl", **arguments)
    assert (created.saved, created.message) == (True, "noor.nieuw@example.nl is toegevoegd als trainee.")
    again = view.add_user(email="noor.nieuw@example.nl", **arguments)
    assert (again.saved, again.message) == (
        False, "Niet gelukt: Er is al een gebruiker met e-mailadres noor.nieuw@example.nl.")


def test_admin_view_adds_a_team_and_a_member_with_names_escaped(app_db):
    admin = user(app_db.admin)
    team = view.add_team(actor=admin, language="nl", name="Webcare *Noord*")
    assert (team.saved, team.message) == (True, r"Team Webcare \*Noord\* is aangemaakt.")
    with session_scope() as session:
        noord = session.exec(select(Team).where(Team.name == "Webcare *Noord*")).one().id
    added = view.add_member(actor=admin, language="nl", team_id=noord, user_id=user_id(app_db.other_trainee),
                            as_manager=False)
    assert added.saved and added.message == rf"{app_db.other_trainee} zit nu in Webcare \*Noord\*."
    assert any(card.label == r"Webcare \*Noord\*: 1 leden" for card in _screen(app_db.admin).team_cards)


def test_admin_view_refuses_a_change_by_a_non_admin(app_db):
    with pytest.raises(PermissionDenied):
        view.add_team(actor=user(app_db.manager), language="nl", name="Webcare Oost")


def test_admin_view_content_report_in_the_users_language():
    report = {"errors": [{"path": "content/media.yaml", "line": 14, "location": "twitter -> max_chars",
                          "message": "must be a positive integer", "code": "E101"}],
              "counts": {"scenarios (nl)": 12, "knowledge articles": 30, "something new": 1}}
    shown = view.content_report(report, "nl")
    assert shown.error == t("admin.content_errors", "nl", count=1) and shown.success is None
    assert shown.errors == [{"Bestand:regel": "content/media.yaml:14", "Plek": "twitter -> max_chars",
                             "Wat er mis is": "must be a positive integer", "Code": "E101"}]
    assert [row["Onderdeel"] for row in shown.counts] == ["Scenario's (nl)", "Kennisbankartikelen", "something new"]
    valid = view.content_report({"errors": [], "counts": {}}, "en")
    assert valid.success == t("admin.content_valid", "en") and valid.error is None and not valid.counts
    crashed = view.content_report({"crashed": "ImportError: boom"}, "nl")
    assert crashed.error == "De controle kon niet draaien: ImportError: boom"
