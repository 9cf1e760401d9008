"""Opdrachten and Te doen in AppTest: a manager sets a scenario for the whole team with a due date,
the trainee sees it, and the overview shows where it stands, in Dutch and English."""

from __future__ import annotations

from tests.trainer_ui.conftest import logged_in_app
from scenarios.loader import scenario_catalogue
from trainer import navigation
from trainer.db.models import Role
from trainer.services.policy import load_policy


def _assign_to_team(app_db):
    at = logged_in_app(app_db.manager, "pages/assignments.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Opdrachten"
    assert at.info[0].value == "Nog geen opdrachten in dit team."
    scenario_id = at.selectbox[2].value
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Klaargezet voor 2 trainees: Scenario: ")
    return at, scenario_catalogue()[scenario_id].title


def test_assignments_page_manager_sets_work_for_the_team_and_sees_it_on_track(app_db):
    at, title = _assign_to_team(app_db)
    table = at.dataframe[0].value
    assert sorted(table["Trainee"]) == ["Tess Trainee", "Tim Trainee"]
    assert set(table["Stand"]) == {"🟡 Op schema"} and set(table["Opdracht"]) == {f"Scenario: {title}"}


def test_assignments_page_trainee_sees_it_under_te_doen(app_db):
    _, title = _assign_to_team(app_db)
    at = logged_in_app(app_db.trainee, "pages/todo.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Te doen"
    line = at.markdown[0].value
    assert line.startswith("🟡 Op schema · **Scenario\\: ") and " · uiterlijk " in line
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "To do" and at.markdown[0].value.startswith("🟡 On track · **Scenario\\: ")


def test_assignments_page_trainee_without_work_and_who_sees_which_page(app_db):
    at = logged_in_app(app_db.other_trainee, "pages/todo.py")
    assert at.info[0].value.startswith("Je hebt nu geen opdrachten.")
    files = lambda role: [p.file for p in navigation.visible_pages(type("U", (), {"role": role, "must_change_password": False})())]  # noqa: E731
    assert "pages/todo.py" in files(Role.trainee) and "pages/assignments.py" not in files(Role.trainee)
    assert "pages/assignments.py" in files(Role.manager) and "pages/todo.py" not in files(Role.manager)
    assert not {"pages/todo.py", "pages/assignments.py"} & set(files(Role.admin))


def test_assignments_page_gives_an_onboarding_path_in_one_click(app_db):
    at = logged_in_app(app_db.manager, "pages/assignments.py")
    at.button[1].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Nieuwe collega (twee weken): 13 opdrachten klaargezet, de laatste uiterlijk ")
    table = at.dataframe[0].value
    level = load_policy().levels["basic_webcare"].name("nl")
    assert len(table) == 13 and {f"Certificaat: {level}", "Typetest doen", "Meedoen aan een groepsoefening",
                                 "Oefenen: Escalatie via Facebook-reactie"} <= set(table["Opdracht"])


def test_assignments_page_te_doen_starts_the_assigned_scenario(app_db):
    _, title = _assign_to_team(app_db)
    at = logged_in_app(app_db.trainee, "pages/todo.py")
    links = [link.proto for link in at.get("page_link")]
    assert [link.label for link in links] == ["Nu oefenen"]
    scenario_id = next(s.id for s in scenario_catalogue().values() if s.title == title)
    assert (links[0].page, links[0].query_string) == ("practise", f"scenario={scenario_id}")
    # Following the link: the practise page starts that scenario, and a reload does not start another.
    at.query_params["scenario"] = scenario_id
    at.switch_page("pages/practise.py").run()
    assert not at.exception, at.exception
    assert title in [h.value for h in at.header] + [h.value for h in at.title] + [h.value for h in at.subheader]
    assert "scenario" not in at.query_params
    # A link naming no scenario we have shows the choice, not an error.
    other = logged_in_app(app_db.other_trainee)
    other.query_params["scenario"] = "no-such-scenario"
    other.switch_page("pages/practise.py").run()
    assert not other.exception, other.exception
    assert other.title[0].value == "Oefenen"


def _selectbox(at, label):
    return next(box for box in at.selectbox if box.label == label)


def test_assignments_page_manager_sets_a_mix_and_the_trainee_sees_it_under_te_doen(app_db):
    at = logged_in_app(app_db.manager, "pages/assignments.py")
    kinds = at.main.radio[0]
    assert kinds.options == [
        "Scenario", "Soort gesprek op een kanaal", "Groepsoefening", "Typetest", "Certificaatniveau"]
    kinds.set_value("mix").run()
    # The form asks only what a mix needs.
    assert {box.label for box in at.main.selectbox} == {"Team", "Voor wie", "Kanaal", "Soort gesprek", "Inwerkpad"}
    medium = _selectbox(at, "Kanaal")
    assert "whatsapp" not in medium.options and "WhatsApp" in medium.options  # shown by name, never by id
    medium.set_value("whatsapp")
    _selectbox(at, "Soort gesprek").set_value("angry_customer")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Klaargezet voor 2 trainees: Oefenen: Boze klant via WhatsApp, uiterlijk ")
    assert set(at.dataframe[0].value["Opdracht"]) == {"Oefenen: Boze klant via WhatsApp"}
    trainee = logged_in_app(app_db.trainee, "pages/todo.py")
    assert not trainee.exception, trainee.exception
    assert trainee.markdown[0].value.startswith("🟡 Op schema · **Oefenen\\: Boze klant via WhatsApp** · uiterlijk ")
    # "Nu oefenen" opens the choice on that medium and type; the trainee picks the scenario.
    links = [link.proto for link in trainee.get("page_link")]
    assert [(link.label, link.page, link.query_string) for link in links] == [
        ("Nu oefenen", "practise", "medium=whatsapp&type=angry_customer")]
    trainee.query_params.update({"medium": "whatsapp", "type": "angry_customer"})
    trainee.switch_page("pages/practise.py").run()
    assert not trainee.exception, trainee.exception
    assert [box.value for box in trainee.main.selectbox[:2]] == ["whatsapp", "angry_customer"]
    assert trainee.main.radio[0].options  # scenarios of that type on that medium to start from


def test_assignments_page_te_doen_links_an_open_typing_test(app_db):
    at = logged_in_app(app_db.manager, "pages/assignments.py")
    at.main.radio[0].set_value("typing").run()
    at.button[0].click().run()
    assert at.success[0].value.startswith("Klaargezet voor 2 trainees: Typetest doen, uiterlijk ")
    trainee = logged_in_app(app_db.trainee, "pages/todo.py")
    assert trainee.markdown[0].value.startswith("🟡 Op schema · **Typetest doen** · uiterlijk ")
    links = [link.proto for link in trainee.get("page_link")]
    assert [(link.label, link.page) for link in links] == [("Typetest starten", "typing")]
