"""The admin page in AppTest: users, teams and the content check for admins; a polite refusal
for everyone else, even when they open the page's file directly."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import select

from scoring.contentfile import content_dir
from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import opened_directly
from trainer.db.engine import session_scope
from trainer.db.models import AuditEntry, Role, Team, TeamMembership, User
from trainer.i18n import t
from trainer.services import accounts
from trainer.services.content_check import validate_everything


def button(at, label):
    return next(b for b in at.button if b.label == label)


def stored_user(email: str) -> User:
    with session_scope() as session:
        return session.exec(select(User).where(User.email == email)).one()


def test_admin_page_lists_users_with_role_and_team(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Beheer"
    users = at.dataframe[0].value
    assert set(users["E-mailadres"]) == {app_db.trainee, app_db.other_trainee, app_db.manager, app_db.admin}
    row = users[users["E-mailadres"] == app_db.manager].iloc[0]
    assert (row["Rol"], row["Teams"], row["Actief"]) == ("dialoogmanager", "Webcare Zuid (dialoogmanager)", "ja")


def test_admin_page_adds_a_manager_to_a_team(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    at.text_input(key="new_email").input("Noor.Nieuw@Example.nl")
    at.text_input(key="new_name").input("Noor Nieuw")
    at.selectbox(key="new_role").select_index(at.selectbox(key="new_role").options.index("dialoogmanager"))
    at.text_input(key="new_password").input("een-lang-wachtwoord")
    at.selectbox(key="new_team").select_index(at.selectbox(key="new_team").options.index("Webcare Zuid"))
    at.checkbox(key="new_manager").check()
    button(at, "Toevoegen").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "noor.nieuw@example.nl is toegevoegd als dialoogmanager."
    created = stored_user("noor.nieuw@example.nl")
    assert (created.role, created.full_name) == (Role.manager, "Noor Nieuw")
    with session_scope() as session:
        assert session.get(TeamMembership, (1, created.id)).is_manager
    # A second time: the same e-mail is refused with the reason.
    at.text_input(key="new_email").input("noor.nieuw@example.nl")
    at.text_input(key="new_password").input("een-lang-wachtwoord")
    button(at, "Toevoegen").click().run()
    assert at.error[0].value == "Niet gelukt: Er is al een gebruiker met e-mailadres noor.nieuw@example.nl."


def test_admin_page_refuses_a_short_password(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    at.text_input(key="new_email").input("kort@example.nl")
    at.text_input(key="new_name").input("Kort Wachtwoord")
    at.text_input(key="new_password").input("kort")
    button(at, "Toevoegen").click().run()
    assert at.error[0].value == "Niet opgeslagen: Wachtwoord: minstens 10 tekens."


def test_admin_page_changes_a_role_only_with_a_reason_and_disables(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    pick = at.selectbox(key="role_user")
    pick.select_index(pick.options.index(app_db.other_trainee))
    at.selectbox(key="role_new").select_index(at.selectbox(key="role_new").options.index("dialoogmanager"))
    button(at, "Rol opslaan").click().run()
    assert at.error[0].value == "Vul een reden in: die komt in het auditlog."
    assert stored_user(app_db.other_trainee).role == Role.trainee

    at.text_input(key="role_reason").input("Wordt teamleider van de avonddienst.")
    button(at, "Rol opslaan").click().run()
    assert at.success[0].value == f"{app_db.other_trainee} is nu dialoogmanager."
    assert stored_user(app_db.other_trainee).role == Role.manager
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.role_change")).one()
        assert entry.reason == "Wordt teamleider van de avonddienst."

    pick = at.selectbox(key="disable_user_pick")
    assert app_db.admin not in pick.options  # nobody disables themselves here
    pick.select_index(pick.options.index(app_db.trainee))
    at.text_input(key="disable_reason").input("Uit dienst.")
    button(at, "Blokkeer account").click().run()
    assert at.success[0].value == f"{app_db.trainee} is geblokkeerd en overal uitgelogd."
    assert not stored_user(app_db.trainee).is_active


def test_admin_page_adds_a_team_and_a_member(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    at.text_input(key="team_name").input("Webcare Noord")
    button(at, "Team toevoegen").click().run()
    assert at.success[0].value == "Team Webcare Noord is aangemaakt."
    team = at.selectbox(key="member_team")
    team.select_index(team.options.index("Webcare Noord"))
    who = at.selectbox(key="member_user")
    who.select_index(who.options.index(app_db.other_trainee))
    button(at, "Iemand aan een team toevoegen").click().run()
    assert at.success[0].value == f"{app_db.other_trainee} zit nu in Webcare Noord."
    with session_scope() as session:
        noord = session.exec(select(Team).where(Team.name == "Webcare Noord")).one()
        admin = session.exec(select(User).where(User.email == app_db.admin)).one()
        assert [u.email for u, _ in accounts.team_members(session=session, actor=admin, team_id=noord.id)] == [app_db.other_trainee]
    assert any(e.label == "Webcare Noord: 1 leden" for e in at.expander)


def test_admin_page_content_check_matches_the_command_line(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    button(at, "Controleer de content").click().run()
    assert not at.exception, at.exception
    expected = validate_everything()
    if expected.errors:
        assert at.error[0].value == t("admin.content_errors", "nl", count=len(expected.errors))
        assert list(at.dataframe[-2].value["Code"]) == [e.code for e in expected.errors]
    else:
        assert at.success[0].value == "Alle content is in orde."
    counts = at.dataframe[-1].value
    assert list(counts["Aantal"]) == list(expected.counts.values())
    assert "Scenario's (nl)" in list(counts["Onderdeel"]) and "Kennisbankartikelen" in list(counts["Onderdeel"])


def test_admin_page_content_check_lists_errors_with_file_and_line(app_db, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    media = content / "media.yaml"
    lines = media.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "max_chars:" in line)
    lines[number] = lines[number].split("max_chars:")[0] + "max_chars: -5"
    media.write_text("\n".join(lines) + "\n", encoding="utf-8")
    typing = content / "typing" / "nl.yaml"
    typing.write_text(typing.read_text(encoding="utf-8").replace("sentences_per_test: 3", "sentences_per_test: 99"),
                      encoding="utf-8")
    at = logged_in_app(app_db.admin, "pages/admin.py")
    monkeypatch.setenv("WEBCARE_CONTENT_DIR", str(content))  # only the check's own fresh process reads it
    button(at, "Controleer de content").click().run()
    assert at.error[0].value.endswith("Los ze op in de genoemde bestanden en controleer opnieuw.")
    errors = at.dataframe[-2].value
    assert f"media.yaml:{number + 1}" in " ".join(errors["Bestand:regel"])
    assert any("max_chars" in where for where in errors["Plek"])
    assert any("typing/nl.yaml" in where for where in errors["Bestand:regel"])
    assert any("sentences_per_test (99)" in problem for problem in errors["Wat er mis is"])


@pytest.mark.parametrize("role", ["trainee", "manager"])
def test_admin_page_refuses_everyone_but_admins(app_db, role):
    at = opened_directly(getattr(app_db, role), "pages/admin.py")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("admin.refused", "nl")]
    assert not at.dataframe and not at.text_input
    assert not any(b.label == "Controleer de content" for b in at.button)
