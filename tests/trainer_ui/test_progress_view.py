"""The My progress screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

import pytest

from scoring.contentfile import content_dir
from tests.trainer_ui.conftest_extra import scored_history, user_id  # noqa: F401
from tests.trainer_ui.test_practice_service import user
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import certification
from trainer.services.certification import Unmet
from trainer.services.policy import load_policy
from trainer.views import progress as view


def _screen(email: str, language: str = "nl") -> view.ProgressScreen:
    with session_scope() as session:
        return view.progress_screen(session=session, actor=user(email), language=language)


def test_progress_view_heat_bands_are_the_proficiency_levels_of_content():
    proficiency = load_policy().proficiency
    assert view.heat(None, proficiency) is None
    for lower, level in zip(proficiency.levels, proficiency.levels[1:]):
        assert view.heat(level.min, proficiency) == level.colour
        assert view.heat(level.min - 0.1, proficiency) == lower.colour
    assert view.heat(100, proficiency) == proficiency.levels[-1].colour
    # What content/certification.yaml says today: red below 50, amber below 75, green from there.
    assert [view.heat(score, proficiency) for score in (49, 50, 74, 75, 95)] == [
        "#f8c4c4", "#fde2b8", "#fde2b8", "#c8ecd0", "#c8ecd0"]


def test_progress_view_a_level_without_a_colour_is_a_content_error(policy_mistake):
    text = (content_dir() / "certification.yaml").read_text(encoding="utf-8")
    mistake = policy_mistake(text.replace('colour: "#fde2b8"', 'colour: "amber"', 1))
    line = next(i for i, line in enumerate(text.splitlines(), 1) if 'colour: "#fde2b8"' in line)
    assert f"certification.yaml:{line}" in mistake and "colour" in mistake


def test_progress_view_shows_figures_chart_skills_grid_and_checklist(app_db, scored_history):
    screen = _screen(app_db.trainee)
    figures = {f.label: f.value for f in screen.figures}
    assert figures[t("progress.attempts", "nl")] == 3 and figures[t("progress.replies", "nl")] == 3
    team = next(f for f in screen.figures if f.label == t("progress.team_average", "nl"))
    assert team.help == t("progress.team_mean", "nl", team="Webcare Zuid")
    assert not screen.empty and screen.weakest.startswith("Je zwakste onderdeel is ")
    assert {p.what for p in screen.over_time} >= {screen.total_label, t("dimension.tone", "nl")}
    assert {row[t("progress.skill", "nl")] for row in screen.skills} >= {"Toon", "Privacy"}

    grid = screen.grid
    assert grid.rows == ["X (Twitter)", "Facebook-reactie", "WhatsApp"] and grid.index_name == t("progress.medium", "nl")
    proficiency = load_policy().proficiency
    for row, colours in zip(grid.cells, grid.colours):
        for text, colour in zip(row, colours):
            assert (colour is None) == (text == "")
            if text:  # "62 (1)": the cell's colour is that of the level its mean reaches
                assert colour == view.heat(float(text.split()[0]), proficiency)

    basic = next(level for level in screen.checklist if level.name == "Basis webcare")
    assert not basic.achieved and basic.summary.startswith("Nog niet behaald:")
    texts = [line.text for line in basic.lines]
    assert "✅ Een geslaagd gesprek via X (Twitter)" in texts and "❌ Een geslaagd gesprek via Facebook-reactie" in texts
    with session_scope() as session:
        unmet = certification.check_eligibility(session=session, actor=user(app_db.trainee),
                                                trainee_id=user_id(app_db.trainee), level="basic_webcare").unmet
    shown = [line.note for line in basic.lines if line.note] + texts
    assert unmet and all(f"↳ {view.reason(u, 'nl')}" in shown or f"❌ {view.reason(u, 'nl')}" in shown
                         for u in unmet if u.code not in view.LINE_SAYS_IT)


@pytest.mark.parametrize("role", ["trainee", "manager", "admin"])
def test_progress_view_without_history_is_empty_but_keeps_the_checklist(app_db, role):
    screen = _screen(getattr(app_db, role))
    assert screen.empty and screen.over_time == [] and screen.grid.rows == [] and screen.weakest is None
    assert [f.value for f in screen.figures[:4]] == [0, 0, "—", "—"]
    assert all(not level.achieved for level in screen.checklist)
    assert "❌ Een geslaagd gesprek via WhatsApp" in [line.text for level in screen.checklist for line in level.lines]


def _unmet(code: str, **params) -> Unmet:
    return Unmet(code=code, params=params, message_nl=f"nl {code}", message_en=f"en {code}")


@pytest.mark.parametrize(("unmet", "nl", "en"), [
    (_unmet("requires_level", required="basic_webcare"), "certificaat Basis webcare",
     "A valid Basic webcare certificate"),
    (_unmet("requires_level", required="retired_level"), "retired_level", "retired_level"),
    (_unmet("medium_not_passed", medium="facebook_comment"), "Facebook-reactie", "Facebook comment"),
    (_unmet("medium_not_passed", medium="fax"), "fax", "fax"),
    (_unmet("group_drills", count=0, minimum=1), "0 van de 1 vereiste groepsoefening gedaan.",
     "0 of 1 required group drill done."),
    (_unmet("something_new"), "nl something_new", "en something_new"),
])
def test_progress_view_reasons_name_levels_media_and_figures(unmet, nl, en):
    assert nl in view.reason(unmet, "nl") and en in view.reason(unmet, "en")
