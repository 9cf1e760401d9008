"""The team page in AppTest: the overview, a trainee's conversations with scorecards, overrides
and comments, certifying, revoking, the PDF and CSV buttons, and every refusal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import (  # noqa: F401
    eligible_history, opened_directly, scored_history, second_team, user_id)
from trainer.db.engine import session_scope
from trainer.db.models import AuditEntry, Certification, ScoreOverride, User
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.navigation import visible_pages
from trainer.services import accounts, typing_test
from trainer.services.rights import SYSTEM

REFUSED = t("team.refused", "nl")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def downloads(at) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def open_tab(at) -> int:
    """The index of the tab the trainee's section shows (what the browser is told to open)."""
    containers = [node for node in at._tree if getattr(node, "type", None) == "tab_container"]
    assert len(containers) == 1
    return containers[0].proto.tab_container.default_tab_index


def visible_pages_of(email: str):
    with session_scope() as session:
        return visible_pages(session.exec(select(User).where(User.email == email)).one())


def assert_refused(at) -> None:
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [REFUSED]
    assert not at.dataframe and not at.metric and not at.get("download_button")


def test_team_page_manager_sees_the_team_history_and_a_scorecard(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Team"
    assert at.selectbox[0].options == ["Webcare Zuid"]
    members = at.dataframe[0].value
    assert list(members["Naam"]) == ["Tess Trainee", "Tim Trainee"]
    assert list(members["Gespr."]) == [3, 0]
    assert "oefent" in members["Status"][0] and members["Status"][1] == "nog niet begonnen"
    assert "Exporteer als CSV" in downloads(at)

    assert at.header[0].value == "Tess Trainee"
    history = at.dataframe[1].value
    assert list(history["#"]) == list(reversed(scored_history))  # newest first
    assert set(history["Afloop"]) == {"opgelost", "naar privé", "klant verloren"}
    # The newest conversation is open: the customer, the reply and its scorecard.
    html = " ".join(str(h.proto) for h in at.get("html"))
    assert "Schandalig!" in html and "IBAN" in html
    assert any(m.label == "Totaal" for m in at.metric)
    assert any(e.label.startswith("Beoordeling: ") for e in at.expander)


# The members table's share of a 1366px window with the sidebar open, measured in Chromium.
TABLE_WIDTH_AT_1366 = 900


@pytest.mark.parametrize("language", ["nl", "en"])
def test_team_page_members_table_fits_a_laptop_screen(app_db, scored_history, language):
    at = logged_in_app(app_db.manager, "pages/team.py")
    if language == "en":
        at.sidebar.radio[0].set_value("en").run()
    table = at.dataframe[0]
    config = json.loads(table.proto.columns)
    assert config["_index"]["hidden"]
    widths = {name: config[name].get("width") for name in table.value.columns}
    assert all(isinstance(width, int) for width in widths.values()), widths
    assert sum(widths.values()) <= TABLE_WIDTH_AT_1366
    assert all(len(name) <= 8 for name in table.value.columns), list(table.value.columns)
    assert all(config[name].get("help") for name in list(table.value.columns)[1:])  # the full meaning
    tess = table.value.iloc[0]
    score, passed = list(table.value.columns)[4:6]
    assert tess[score] == round(tess[score]) and config[score]["type_config"]["format"] == "%d"
    assert 0 <= tess[passed] <= 100 and config[passed]["type_config"]["format"] == "%d%%"


def test_team_page_manager_overrides_and_comments_beside_the_automatic_score(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    automatic = at.number_input[0].value
    button(at, "Score aanpassen").click().run()
    assert at.error[0].value == t("team.comment_needed", "nl")

    at.number_input[0].set_value(55.0)
    at.text_area[0].input("Je vraagt openbaar om een IBAN: dat kan echt niet.")
    button(at, "Score aanpassen").click().run()
    assert not at.exception, at.exception
    assert "Je score is opgeslagen naast de automatische score." in [s.value for s in at.success]
    assert any(c.value.startswith("Mira Manager paste de totaalscore aan van ") and " naar 55 op " in c.value for c in at.caption)
    with session_scope() as session:
        stored = session.exec(select(ScoreOverride)).one()
        assert (stored.override_score, stored.dimension) == (55.0, None)
        assert stored.automatic_score is not None and stored.automatic_score != 55.0
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "score.override")).one()
    # Saved: the form is empty again for the next remark.
    assert (at.number_input[0].value, at.text_area[0].value) == (automatic, "")

    at.text_area[0].input("Goede opening, maar vraag gegevens via DM.")
    button(at, "Alleen opmerking opslaan").click().run()
    assert "Je opmerking is opgeslagen." in [s.value for s in at.success]
    assert "Goede opening, maar vraag gegevens via DM." in [x.value for x in at.text]
    assert at.text_area[0].value == ""


def test_team_page_shows_where_the_managers_and_the_scorer_disagree(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    section = next(e for e in at.expander if e.label == "Scorer en managers")
    assert [c.value for c in section.caption] == [t("team.agreement_none", "nl")]

    automatic = at.number_input[0].value
    at.number_input[0].set_value(min(100.0, automatic + 20))
    at.text_area[0].input("Prima antwoord, de scorer is te streng.")
    button(at, "Score aanpassen").click().run()
    assert not at.exception, at.exception
    section = next(e for e in at.expander if e.label == "Scorer en managers")
    assert section.caption[0].value.startswith("Hoe de ene correctie van de managers")
    differences = section.dataframe[0].value
    assert list(differences["Onderdeel"]) == ["Totaal"]
    # The form shows the automatic total rounded; the stored one keeps its decimal.
    assert float(differences["Gem. verschil"][0]) == pytest.approx(min(100.0, automatic + 20) - automatic, abs=0.5)
    rules = section.dataframe[1].value  # the rules that had cost points on the reply marked up
    assert len(rules) >= 1 and set(rules.columns) == {"Regel", "Onderdeel", "Correcties", "Melding"}


def test_team_page_override_form_keeps_what_was_typed_when_the_save_is_refused(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    dimension = next(s for s in at.selectbox if s.label == "Onderdeel")
    dimension.set_value("privacy")
    at.number_input[0].set_value(40.0)
    at.text_area[0].input("   ")
    button(at, "Score aanpassen").click().run()
    assert at.error[0].value == t("team.comment_needed", "nl")
    assert next(s for s in at.selectbox if s.label == "Onderdeel").value == "privacy"
    assert at.number_input[0].value == 40.0
    with session_scope() as session:
        assert not session.exec(select(ScoreOverride)).all()

    at.text_area[0].input("Je vraagt openbaar om een IBAN.")
    button(at, "Score aanpassen").click().run()
    assert "Je score is opgeslagen naast de automatische score." in [s.value for s in at.success]
    assert next(s for s in at.selectbox if s.label == "Onderdeel").value == ""
    with session_scope() as session:
        assert session.exec(select(ScoreOverride)).one().dimension == "privacy"


def test_team_page_manager_certifies_downloads_and_revokes(app_db, eligible_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert any("klaar voor Basis webcare" in s for s in at.dataframe[0].value["Status"])
    assert at.success[0].value == "Tess Trainee voldoet aan alle eisen voor Basis webcare."
    at.text_area[-1].input("Drie nette gesprekken op alle basiskanalen.")
    button(at, "Certificaat toekennen").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Certificaat Basis webcare toegekend. Verificatiecode: WT-")
    assert "Download certificaat (PDF)" in downloads(at)
    assert any(x.value.startswith("Basis webcare: geldig · behaald ") for x in at.text)

    at.text_input[0].input("Per abuis toegekend.")
    button(at, "Certificaat intrekken").click().run()
    assert at.success[0].value == "Het certificaat is ingetrokken."
    assert any(x.value.startswith("Basis webcare: ingetrokken") for x in at.text)
    with session_scope() as session:
        assert session.exec(select(Certification)).one().revoke_reason == "Per abuis toegekend."


def test_team_page_stays_on_the_certification_tab_after_granting_and_revoking(app_db, eligible_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert open_tab(at) == 0
    at.session_state["team_tab"] = "Certificering"  # what a click on the tab sends
    at.run()
    assert open_tab(at) == 1
    at.text_area[-1].input("Drie nette gesprekken op alle basiskanalen.")
    button(at, "Certificaat toekennen").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Certificaat Basis webcare toegekend.")
    assert open_tab(at) == 1
    at.text_input[0].input("Per abuis toegekend.")
    button(at, "Certificaat intrekken").click().run()
    assert at.success[0].value == "Het certificaat is ingetrokken."
    assert open_tab(at) == 1


def test_team_page_keeps_the_open_tab_when_the_language_changes(app_db, eligible_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    at.session_state["team_tab"] = "Certificering"
    at.run()
    assert open_tab(at) == 1
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception, at.exception
    assert open_tab(at) == 1 and at.session_state["team_tab"] == "Certification"


def selectbox(at, label):
    return next(s for s in at.selectbox if s.label == label)


def test_team_page_grant_level_starts_fresh_for_each_trainee(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert selectbox(at, "Niveau").value == "basic_webcare"
    selectbox(at, "Niveau").set_value("escalations").run()
    assert "Tess Trainee voldoet nog niet aan de eisen voor Escalaties:" in [w.value for w in at.warning]
    assert "❌ 0 van de 1 vereiste groepsoefening gedaan." in [x.value for x in at.text]
    selectbox(at, "Trainee").set_value(user_id(app_db.other_trainee)).run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Tim Trainee"
    assert selectbox(at, "Niveau").value == "basic_webcare"
    assert "Tim Trainee voldoet nog niet aan de eisen voor Basis webcare:" in [w.value for w in at.warning]


def test_team_page_shows_what_is_missing_before_certifying(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert "Tess Trainee voldoet nog niet aan de eisen voor Basis webcare:" in [w.value for w in at.warning]
    assert "❌ Een geslaagd gesprek via Facebook-reactie" in [x.value for x in at.text]
    assert not any(b.label == "Certificaat toekennen" for b in at.button)


def test_team_page_admin_sees_every_team_but_does_not_review_or_certify(app_db, scored_history, second_team):
    at = logged_in_app(app_db.admin, "pages/team.py")
    assert not at.exception, at.exception
    assert at.selectbox[0].options == ["Webcare Noord", "Webcare Zuid"]
    at.selectbox[0].select_index(at.selectbox[0].options.index("Webcare Zuid")).run()
    assert at.header[0].value == "Tess Trainee"
    assert any(m.label == "Totaal" for m in at.metric)
    assert not any(b.label == "Score aanpassen" for b in at.button)
    assert "Exporteer als CSV" in downloads(at)


def test_team_page_refuses_a_trainee(app_db, scored_history):
    # The menu never offers the page to a trainee; opening its file directly must still refuse.
    assert "pages/team.py" not in [p.file for p in visible_pages_of(app_db.trainee)]
    assert_refused(opened_directly(app_db.trainee, "pages/team.py"))


def test_team_page_refuses_a_trainee_without_a_team(app_db):
    with session_scope() as session:
        accounts.remove_member(session=session, actor=SYSTEM, team_id=1, user_id=user_id(app_db.trainee), reason="test")
    assert_refused(opened_directly(app_db.trainee, "pages/team.py"))


def test_team_page_manager_cannot_open_another_teams_trainee(app_db, second_team):
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert at.selectbox[0].options == ["Webcare Zuid"]
    at.query_params["trainee"] = str(user_id(second_team.trainee))
    at.run()
    assert not at.exception, at.exception
    assert REFUSED in [e.value for e in at.error]
    assert "Nina Noord" not in " ".join(str(e.proto) for e in at.get("header"))

    with session_scope() as session:
        from trainer.db.models import Attempt
        other_attempt = session.exec(select(Attempt.id).where(Attempt.user_id == user_id(second_team.trainee))).one()
    at.query_params.pop("trainee")
    at.query_params["attempt"] = str(other_attempt)
    at.run()
    assert REFUSED in [e.value for e in at.error]
    assert "Schandalig" not in " ".join(str(h.proto) for h in at.get("html"))


def test_team_page_other_manager_sees_only_their_own_team(app_db, scored_history, second_team):
    at = logged_in_app(second_team.manager, "pages/team.py")
    assert at.selectbox[0].options == ["Webcare Noord"]
    assert list(at.dataframe[0].value["Naam"]) == ["Nina Noord"]
    at.query_params["trainee"] = str(user_id(app_db.trainee))
    at.run()
    assert REFUSED in [e.value for e in at.error]


def test_team_page_in_english(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    at.sidebar.radio[0].set_value("en").run()
    assert "Export as CSV" in downloads(at)
    assert "Tess Trainee does not meet the requirements for Basic webcare yet:" in [w.value for w in at.warning]
    assert "❌ A passed conversation on Facebook comment" in [x.value for x in at.text]


def test_team_page_shows_the_trainees_typing_results(app_db):
    test = typing_test.new_test("nl", utcnow() - timedelta(seconds=120))
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        typing_test.record_result(session=session, actor=trainee, result=typing_test.measure(test, test.target, utcnow()))
    at = logged_in_app(app_db.manager, "pages/team.py")
    assert not at.exception, at.exception
    results = at.dataframe[-1].value
    assert list(results["Tekenfouten"]) == [0] and list(results["Woordfouten"]) == [0]
    assert "Nog geen typetest gedaan." not in [i.value for i in at.info]


def test_team_page_an_observer_reads_the_team_and_transcripts_and_changes_nothing(app_db, scored_history):
    from trainer.db.engine import session_scope
    from trainer.db.models import Role, UserCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM
    from tests.trainer_ui.conftest import PASSWORD

    with session_scope() as session:
        team_id = accounts.list_teams(session=session, actor=SYSTEM)[0].id
        olga = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
            email="olga@example.nl", full_name="Olga Observer", role=Role.observer, password=PASSWORD))
        accounts.add_member(session=session, actor=SYSTEM, team_id=team_id, user_id=olga.id, as_manager=False)
    at = logged_in_app("olga@example.nl", "pages/team.py")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    members = at.dataframe[0].value
    assert "Tess Trainee" in set(members.iloc[:, 0]) and "Olga Observer" not in set(members.iloc[:, 0])
    assert any("Beoordeling:" in e.label for e in at.expander), "no transcript with its scorecard"
    # Reading only: no export, no override form, no grant, no link to a progress page they do not have.
    assert not at.get("download_button")
    assert "Score aanpassen" not in {b.label for b in at.button}
    assert "Certificaat toekennen" not in {b.label for b in at.button}
    assert not [link for link in at.get("page_link") if link.proto.label == "Voortgangspagina openen"]
