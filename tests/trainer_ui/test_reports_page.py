"""The reports page in AppTest: a manager's and an observer's team figures with charts and CSV
downloads, the week and chart pickers, and the refusal of a trainee."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.trainer_ui.conftest import PASSWORD, logged_in_app
from tests.trainer_ui.conftest_extra import opened_directly, scored_history, second_team, user_id  # noqa: F401
from trainer.db.engine import session_scope
from trainer.db.models import Role, User, UserCreate
from trainer.i18n import t
from trainer.navigation import visible_pages
from trainer.services import accounts
from trainer.services.rights import SYSTEM

PAGE = "pages/reports.py"
TITLES = ["Reactietijden", "Volume per medium", "Onderwerpen", "Stemming van de klant", "Per trainee"]


def menu_of(email: str) -> list[str]:
    with session_scope() as session:
        return [p.file for p in visible_pages(session.exec(select(User).where(User.email == email)).one())]


def downloads(at) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


@pytest.fixture
def observer(app_db) -> str:
    email = "observer@example.nl"
    with session_scope() as session:
        user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
            email=email, full_name="Olga Observer", role=Role.observer, password=PASSWORD))
        accounts.add_member(session=session, actor=SYSTEM, team_id=1, user_id=user.id, as_manager=False)
    return email


def test_reports_page_manager_sees_the_figures_charts_and_downloads(app_db, scored_history, second_team):
    assert PAGE in menu_of(app_db.manager)
    at = logged_in_app(app_db.manager, PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Rapportages"
    assert at.selectbox[0].options == ["Webcare Zuid"]  # not the second team
    assert at.selectbox[2].options == ["Hele team", "Tess Trainee", "Tim Trainee"]  # not Nina of the second team
    assert [s.value for s in at.subheader] == TITLES
    responses = at.dataframe[0].value
    assert set(responses["Gem. seconden"]) == {60} and set(responses["Binnen norm (%)"]) == {100}
    assert sum(responses["Antwoorden"]) == 3
    trainees = at.dataframe[-1].value
    assert list(trainees["Trainee"]) == ["Tess Trainee", "Tim Trainee"] and list(trainees["Gesprekken"]) == [3, 0]
    # Nobody played a drill yet: no mood to average, shown as "–" (never "None"), empty in the CSV.
    assert set(trainees["Stemming voor"]) == {"–"} and set(trainees["Stemming na"]) == {"–"}
    assert downloads(at) == ["Exporteer als CSV"] * 4  # no drill moods yet: no table, no download
    assert [i.value for i in at.info] == [t("reports.no_rows", "nl")]
    assert len(at.get("vega_lite_chart")) == 4


def test_reports_page_pickers_rerun_the_screen(app_db, scored_history):
    at = logged_in_app(app_db.manager, PAGE)
    at.selectbox[2].set_value(user_id(app_db.trainee)).run()  # Tess
    assert not at.exception, at.exception
    assert sum(at.dataframe[0].value["Antwoorden"]) == 3 and len(at.get("vega_lite_chart")) == 4
    at.selectbox[2].set_value(user_id(app_db.other_trainee)).run()  # Tim: nothing done, only the trainees side by side
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1 and len(at.info) == 4
    at.selectbox[1].select(4).run()
    assert not at.exception, at.exception
    assert at.selectbox[1].value == 4 and at.selectbox[2].value == user_id(app_db.other_trainee)


def test_reports_page_observer_sees_their_team(app_db, scored_history, observer):
    assert PAGE in menu_of(observer)
    at = logged_in_app(observer, PAGE)
    assert not at.exception, at.exception
    assert at.selectbox[0].options == ["Webcare Zuid"] and not at.error
    assert [s.value for s in at.subheader] == TITLES
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Reports" and at.subheader[0].value == "Response times"
    assert "Within norm (%)" in at.dataframe[0].value.columns


def test_reports_page_with_nothing_done_says_so(app_db):
    at = logged_in_app(app_db.admin, PAGE)
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("reports.empty", "nl")]
    assert not at.dataframe and not at.get("download_button")


def test_reports_page_refuses_a_trainee(app_db, scored_history):
    # The menu never offers the page to a trainee; opening its file directly must still refuse.
    assert PAGE not in menu_of(app_db.trainee)
    at = opened_directly(app_db.trainee, PAGE)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("reports.refused", "nl")]
    assert not at.dataframe and not at.get("download_button") and not at.get("vega_lite_chart")


def test_reports_page_another_team_starts_with_the_whole_team(app_db, scored_history, second_team):
    at = logged_in_app(app_db.admin, PAGE)
    assert at.selectbox[0].options == ["Webcare Noord", "Webcare Zuid"]
    at.selectbox[0].set_value(1).run()  # Webcare Zuid
    at.selectbox[2].set_value(user_id(app_db.trainee)).run()
    assert not at.error and sum(at.dataframe[0].value["Antwoorden"]) == 3
    at.selectbox[0].set_value(second_team.team_id).run()  # Tess is no trainee there: not refused, the whole team
    assert not at.exception, at.exception
    assert not at.error and at.selectbox[2].options == ["Hele team", "Nina Noord"]
    assert sum(at.dataframe[0].value["Antwoorden"]) == 1
