"""My progress in AppTest: figures, the chart, the medium x type grid, skill levels and the
certification checklist with every missing requirement explained, for every role."""

from __future__ import annotations

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
