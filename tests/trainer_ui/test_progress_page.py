"""My progress in AppTest: figures, the chart, the medium x type grid, skill levels and the
certification checklist with every missing requirement explained, for every role."""

from __future__ import annotations

import re

import pytest

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import scored_history, user_id  # noqa: F401
from trainer.db.engine import session_scope
from trainer.services import certification


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_progress_page_shows_history_grid_skills_and_checklist(app_db, scored_history):
    at = logged_in_app(app_db.trainee, "pages/progress.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Mijn voortgang"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gesprekken"] == "3" and metrics["Beoordeelde antwoorden"] == "3"
    assert "Teamgemiddelde" in metrics
    assert at.get("vega_lite_chart"), "the scores-over-time chart is missing"
    assert any(w.value.startswith("Je zwakste onderdeel is ") for w in at.warning)

    skills = at.dataframe[0].value
    assert set(skills["Vaardigheid"]) >= {"Toon", "Privacy", "Inhoud", "Lengte"}
    assert set(skills["Niveau"]) <= {"Werk aan de winkel", "In ontwikkeling", "Vaardig", "Uitstekend"}

    grid = at.dataframe[1].value
    assert list(grid.index) == ["X (Twitter)", "Facebook-reactie", "WhatsApp"]
    assert grid.loc["WhatsApp", "Boze klant"].endswith("(1)") and grid.loc["WhatsApp", "Annulering of opzegging"] == ""

    # The checklist names every requirement; what is missing carries the service's own reason.
    with session_scope() as session:
        trainee = session.get(certification.User, user_id(app_db.trainee))
        unmet = certification.check_eligibility(session=session, actor=trainee, trainee_id=trainee.id,
                                                level="basic_webcare").unmet
    captions = [c.value for c in at.caption]
    lines = texts(at)
    assert unmet
    for u in unmet:  # every unmet requirement shows: as a ❌ line, and with its figures where it has some
        if u.code == "medium_not_passed":
            assert "❌ Een geslaagd gesprek via Facebook-reactie" in lines
        else:
            assert any(c.startswith("↳ ") for c in captions), u
    assert "✅ Een geslaagd gesprek via X (Twitter)" in lines
    assert "❌ Een geslaagd gesprek via Facebook-reactie" in lines  # that conversation was lost


def test_progress_page_in_english_explains_in_english(app_db, scored_history):
    at = logged_in_app(app_db.trainee, "pages/progress.py")
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "My progress"
    assert "❌ A passed conversation on Facebook comment" in texts(at) or any(
        line.startswith("❌ A passed conversation on Facebook") for line in texts(at))
    assert "❌ A valid Basic webcare certificate" in texts(at)


@pytest.mark.parametrize("role", ["trainee", "manager", "admin"])
def test_progress_page_without_history_shows_the_empty_state_and_checklist(app_db, role):
    at = logged_in_app(getattr(app_db, role), "pages/progress.py")
    assert not at.exception, at.exception
    assert at.info[0].value.startswith("Je hebt nog geen beoordeelde antwoorden.")
    assert not at.get("vega_lite_chart")
    assert "❌ Een geslaagd gesprek via WhatsApp" in texts(at)
    assert any(w.value.startswith("Nog niet behaald:") for w in at.warning)


@pytest.mark.parametrize(("language", "requirement", "reason"), [
    ("nl", "❌ Minimaal één groepsoefening", "↳ 0 van de 1 vereiste groepsoefening gedaan."),
    ("en", "❌ At least one group drill", "↳ 0 of 1 required group drill done."),
])
def test_progress_page_counts_in_singular_and_plural(app_db, scored_history, language, requirement, reason):
    at = logged_in_app(app_db.trainee, "pages/progress.py")
    if language == "en":
        at.sidebar.radio[0].set_value("en").run()
    assert not at.exception, at.exception
    assert requirement in texts(at)  # escalations asks for one group drill
    assert reason in [c.value for c in at.caption]
    missing = [w.value for w in at.warning if w.value.startswith(("Nog niet behaald", "Not achieved yet"))]
    assert missing and not any("(" in w for w in missing)
    assert all(re.search(r"(\d+ eisen|één eis|\d+ requirements are|one requirement is)\b", w) for w in missing), missing


def test_progress_page_a_manager_opens_a_trainees_page_from_the_team_page(app_db, scored_history):
    at = logged_in_app(app_db.manager, "pages/team.py")
    links = [link for link in at.get("page_link") if link.proto.label == "Voortgangspagina openen"]
    assert links, "the team page has no link to the trainee's progress page"
    trainee = user_id(app_db.trainee)
    at.query_params["trainee"] = str(trainee)
    at.switch_page("pages/progress.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Voortgang van Tess Trainee"
    assert {m.label: m.value for m in at.metric}["Gesprekken"] == "3"
    assert any(w.value.startswith("Het zwakste onderdeel van Tess Trainee is ") for w in at.warning)
    first_to_best = at.dataframe[2].value
    assert list(first_to_best.columns) == ["Scenario", "Gesprekken", "Eerste", "Beste", "Vooruitgang"]
    assert first_to_best["Gesprekken"].sum() == 3  # every scored conversation, once per scenario
    assert all(first_to_best["Beste"] >= first_to_best["Eerste"])
    assert list(first_to_best["Vooruitgang"]) == sorted(first_to_best["Vooruitgang"], reverse=True)


def test_progress_page_a_trainee_cannot_open_anothers_page(app_db, scored_history):
    at = logged_in_app(app_db.other_trainee, "pages/progress.py")
    at.query_params["trainee"] = str(user_id(app_db.trainee))
    at.switch_page("pages/progress.py").run()
    assert not at.exception, at.exception
    assert at.error and "alleen voor dialoogmanagers" in at.error[0].value
    assert not at.metric, "another trainee's figures were shown"
