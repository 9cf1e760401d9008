"""The team screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from scoring.config import DIMENSIONS, scoring_config
from scoring.contentfile import content_dir
from scoring.model import Scorecard
from tests.trainer_ui.conftest_extra import (  # noqa: F401
    eligible_history, scored_history, second_team, user_id)
from tests.trainer_ui.test_practice_service import user
from trainer.db.engine import session_scope
from trainer.db.models import Attempt, Certification, ScoreOverride
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services.limits import limits
from trainer.services.policy import TeamStatus, load_policy
from trainer.services.progress import MemberRow
from trainer.services.rights import PermissionDenied
from trainer.views import progress as progress_view
from trainer.views import team as view

NOW = utcnow()


def _member(replies=6, mean_total=80.0, pass_rate=0.8, days_ago=1) -> MemberRow:
    return MemberRow(user_id=1, full_name="Tess Trainee", attempts=3, replies=replies, mean_total=mean_total,
                     pass_rate=pass_rate, critical_findings=0, last_activity=NOW - timedelta(days=days_ago),
                     weakest_dimension=None, by_dimension={})


def _status(member: MemberRow, held=(), eligible=(), language="nl") -> str:
    return view.member_status(member, held=set(held), eligible=set(eligible), language=language, now=NOW)


def _team_id() -> int:
    with session_scope() as session:
        return next(iter(view.team_list(session=session, actor=user("manager@example.nl")).teams))


def _screen(email: str, **kwargs):
    with session_scope() as session:
        return view.team_screen(session=session, actor=user(email), language="nl", team_id=_team_id(), **kwargs)


def _trainee(email: str, trainee_email: str, language: str = "nl") -> view.TraineeScreen:
    with session_scope() as session:
        return view.trainee_screen(session=session, actor=user(email), language=language, trainee_id=user_id(trainee_email))


def _transcript(email: str, attempt_id: int) -> view.Transcript:
    with session_scope() as session:
        return view.transcript(session=session, actor=user(email), language="nl", attempt_id=attempt_id)


# --- statuses ---------------------------------------------------------------------------------

def test_team_view_status_thresholds_come_from_content():
    limits = load_policy().team_status
    practising, idle, stuck = (t(f"team.status_{k}", "nl") for k in ("practising", "idle", "stuck"))
    assert _status(_member(replies=0)) == t("team.status_new", "nl")
    assert _status(_member(days_ago=limits.active_days - 1)) == practising
    assert _status(_member(days_ago=limits.active_days + 1)) == idle
    below_mark = scoring_config().pass_mark - 1
    assert _status(_member(replies=limits.stuck_after_replies, mean_total=below_mark)) == f"{practising}, {stuck}"
    assert _status(_member(replies=limits.stuck_after_replies - 1, mean_total=below_mark)) == practising
    assert _status(_member(pass_rate=limits.stuck_pass_rate_below - 0.01)) == f"{practising}, {stuck}"
    assert _status(_member(pass_rate=limits.stuck_pass_rate_below)) == practising


def test_team_view_status_follows_changed_content(monkeypatch):
    real = load_policy()
    strict = real.model_copy(update={"team_status": TeamStatus(active_days=1, stuck_after_replies=2,
                                                                stuck_pass_rate_below=0.9)})
    monkeypatch.setattr(view, "load_policy", lambda: strict)
    member = _member(replies=2, pass_rate=0.8, days_ago=2)
    assert _status(member) == f"{t('team.status_idle', 'nl')}, {t('team.status_stuck', 'nl')}"


def test_team_view_status_names_levels_held_and_ready():
    levels = list(load_policy().levels)
    status = _status(_member(), held=[levels[0]], eligible=levels, language="en")
    assert status == ", ".join([
        t("team.status_practising", "en"),
        t("team.status_certified", "en", level=load_policy().levels[levels[0]].name("en")),
        *[t("team.status_eligible", "en", level=load_policy().levels[level].name("en")) for level in levels[1:]],
    ])


@pytest.mark.parametrize(("setting", "value"), [("stuck_pass_rate_below", "1.5"), ("active_days", "0"),
                                                ("stuck_after_replies", "many")])
def test_team_view_team_status_mistakes_name_file_and_line(policy_mistake, setting, value):
    lines = (content_dir() / "certification.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{setting}:"))
    lines[line - 1] = f"  {setting}: {value}"
    mistake = policy_mistake("\n".join(lines) + "\n")
    assert f"certification.yaml:{line}" in mistake and setting in mistake


# --- the team at a glance ---------------------------------------------------------------------

def test_team_view_team_screen_shows_every_trainee_ready_to_show(app_db, scored_history):
    screen = _screen(app_db.manager, now=NOW)
    assert screen.team_name == "Webcare Zuid"
    tess, tim = screen.members
    assert (tess.name, tim.name) == ("Tess Trainee", "Tim Trainee")
    assert (tess.attempts, tess.replies, tim.replies) == (3, 3, 0)
    assert tess.status.startswith(t("team.status_practising", "nl")) and tim.status == t("team.status_new", "nl")
    assert isinstance(tess.mean_total, int) and 0 <= tess.pass_rate <= 100
    assert tess.weakest in {t(f"dimension.{d}", "nl") for d in DIMENSIONS}
    limits = load_policy().team_status
    assert screen.legend == t("team.legend", "nl", days=limits.active_days, replies=limits.stuck_after_replies,
                              mark=f"{scoring_config().pass_mark:g}", rate=f"{100 * limits.stuck_pass_rate_below:g}%")
    assert "50%" in screen.legend
    assert t("dimension.tone", "nl") in screen.by_dimension
    assert screen.export_file_name == f"webcare-webcare-zuid-{NOW:%Y%m%d}.csv"


def test_team_view_refuses_a_trainee_and_another_teams_manager(app_db, scored_history, second_team):
    with session_scope() as session:
        trainee = view.team_list(session=session, actor=user(app_db.trainee))
        other = view.team_list(session=session, actor=user(second_team.manager))
    assert not trainee.refused and list(trainee.teams.values()) == ["Webcare Zuid"]  # their own team, which they may not read
    assert list(other.teams.values()) == ["Webcare Noord"]
    for email in (app_db.trainee, second_team.manager):
        with pytest.raises(PermissionDenied):
            _screen(email)


def test_team_view_a_trainee_without_a_team_is_refused(app_db):
    with session_scope() as session:
        from trainer.services import accounts
        from trainer.services.rights import SYSTEM

        accounts.remove_member(session=session, actor=SYSTEM, team_id=1, user_id=user_id(app_db.trainee), reason="test")
    with session_scope() as session:
        assert view.team_list(session=session, actor=user(app_db.trainee)) == view.TeamList(teams={}, refused=True)
        assert not view.team_list(session=session, actor=user(app_db.admin)).refused


def test_team_view_csv_export_holds_the_teams_replies(app_db, scored_history):
    rows = view.csv_export(actor=user(app_db.manager), team_id=_team_id()).decode("utf-8").splitlines()
    assert len(rows) == 1 + 3  # the header and one row per scored reply
    with pytest.raises(PermissionDenied):
        view.csv_export(actor=user(app_db.trainee), team_id=_team_id())


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (None, None), ("", None), ("12a", None), ("-3", None)])
def test_team_view_linked_ids(value, expected):
    assert view.linked_id(value) == expected


# --- one trainee and one conversation ---------------------------------------------------------

def test_team_view_trainee_screen_lists_conversations_and_what_is_missing(app_db, scored_history):
    screen = _trainee(app_db.manager, app_db.trainee)
    assert screen.name == "Tess Trainee"
    assert [row["#"] for row in screen.history] == list(reversed(scored_history)) == list(screen.attempts)
    assert {row["Afloop"] for row in screen.history} == {"opgelost", "naar privé", "klant verloren"}
    newest = screen.attempts[scored_history[-1]]
    assert newest.startswith(f"#{scored_history[-1]} · ") and newest.endswith(" · klant verloren")
    assert screen.levels == {k: level.name("nl") for k, level in load_policy().levels.items()}
    basic = screen.grants["basic_webcare"]
    assert basic.state == "missing" and not basic.may_grant
    assert basic.message == t("team.not_eligible", "nl", name="Tess Trainee", level="Basis webcare")
    assert "❌ Een geslaagd gesprek via Facebook-reactie" in basic.reasons
    assert screen.certificates == [] and screen.typing_results == []


def test_team_view_the_same_reasons_as_my_progress(app_db, scored_history):
    assert view.reason is progress_view.reason  # one text per unmet requirement, on both screens
    screen = _trainee(app_db.manager, app_db.trainee, language="en")
    assert "❌ 0 of 1 required group drill done." in screen.grants["escalations"].reasons


def test_team_view_refuses_another_teams_trainee_and_conversation(app_db, second_team):
    with pytest.raises(PermissionDenied):
        _trainee(app_db.manager, second_team.trainee)
    with session_scope() as session:
        other_attempt = session.exec(select(Attempt.id).where(Attempt.user_id == user_id(second_team.trainee))).one()
        for attempt_id in (other_attempt, 99_999):  # another team's, and none at all: the same refusal
            with pytest.raises(PermissionDenied):
                view.trainee_of_attempt(session=session, actor=user(app_db.manager), attempt_id=attempt_id)
    with pytest.raises(PermissionDenied):
        _transcript(app_db.manager, other_attempt)


def test_team_view_transcript_gives_scorecards_and_who_may_review(app_db, scored_history):
    found = _transcript(app_db.manager, scored_history[-1])
    assert found.medium.name("nl") == "Facebook-reactie"
    customer, reply = found.entries
    assert customer.message.from_customer and customer.score is None and "Schandalig!" in customer.text
    assert not reply.message.from_customer and reply.message.author == "Tess Trainee"
    scored = reply.score
    assert isinstance(scored.scorecard, Scorecard) and scored.may_review and scored.remarks == []
    assert scored.title == t("team.score_title", "nl", total=f"{scored.scorecard.total:.0f}",
                             verdict=t("score.passed" if scored.scorecard.passed else "score.failed", "nl"))
    assert list(scored.dimensions)[0] == "" and scored.dimensions["privacy"] == t("dimension.privacy", "nl")
    assert not _transcript(app_db.admin, scored_history[-1]).entries[1].score.may_review  # admins review managers only


# --- changes ----------------------------------------------------------------------------------

def _score_id(app_db, attempt_id: int) -> int:
    return _transcript(app_db.manager, attempt_id).entries[1].score.score_id


def test_team_view_save_review_needs_words_and_the_right(app_db, scored_history):
    score_id = _score_id(app_db, scored_history[-1])
    manager = user(app_db.manager)
    assert view.save_review(actor=manager, language="nl", score_id=score_id, comment="  ", override=40.0) == view.Outcome(
        False, t("team.comment_needed", "nl"))
    refused = view.save_review(actor=user(app_db.admin), language="nl", score_id=score_id, comment="Te streng.")
    assert refused == view.Outcome(False, t("team.not_allowed", "nl"))
    too_long = view.save_review(actor=manager, language="nl", score_id=score_id, comment="x" * (limits().comment_chars + 1))
    assert not too_long.saved and too_long.message.startswith("De toelichting is te lang:")
    out_of_range = view.save_review(actor=manager, language="nl", score_id=score_id, comment="Te streng.", override=140.0)
    assert out_of_range == view.Outcome(False, "Een eigen score ligt tussen 0 en 100.")
    no_such = view.save_review(actor=manager, language="en", score_id=score_id, comment="Too strict.", override=40.0,
                               dimension="tone_v9")
    assert no_such == view.Outcome(False, r"This score has no dimension tone\_v9.")
    with session_scope() as session:
        assert not session.exec(select(ScoreOverride)).all()

    saved = view.save_review(actor=manager, language="nl", score_id=score_id, comment="Geen IBAN in het openbaar.",
                             override=40.0, dimension="privacy")
    assert saved == view.Outcome(True, t("team.overridden", "nl"))
    assert view.save_review(actor=manager, language="nl", score_id=score_id, comment="Goed geprobeerd.").message == t(
        "team.reviewed", "nl")
    remarks = _transcript(app_db.manager, scored_history[-1]).entries[1].score.remarks
    assert [r.text for r in remarks] == ["Goed geprobeerd.", "Geen IBAN in het openbaar."]  # comments, then overrides
    assert remarks[1].caption.startswith("Mira Manager paste ") and " naar 40 op " in remarks[1].caption
    with session_scope() as session:
        agreement = view.agreement(session=session, actor=manager, language="nl", team_id=_team_id())
    assert agreement.overrides == 1 and list(agreement.by_dimension) == [t("dimension.privacy", "nl")]
    assert agreement.rows[0]["Onderdeel"] == t("dimension.privacy", "nl")


def test_team_view_grant_refused_lists_what_is_missing(app_db, scored_history):
    refused = view.grant(actor=user(app_db.manager), language="nl", trainee_id=user_id(app_db.trainee),
                         level="basic_webcare", comment="Toch maar.")
    assert not refused.saved
    assert refused.message == t("team.not_eligible", "nl", name="Tess Trainee", level="Basis webcare")
    assert "❌ Een geslaagd gesprek via Facebook-reactie" in refused.details
    assert view.grant(actor=user(app_db.manager), language="nl", trainee_id=user_id(app_db.trainee),
                      level="basic_webcare", comment=" ").message == t("team.comment_needed", "nl")
    with session_scope() as session:
        assert not session.exec(select(Certification)).all()


def test_team_view_grant_pdf_and_revoke(app_db, eligible_history):
    manager, trainee_id = user(app_db.manager), user_id(app_db.trainee)
    ready = _trainee(app_db.manager, app_db.trainee).grants["basic_webcare"]
    assert ready.state == "eligible" and ready.may_grant and ready.note is None
    admin_sees = _trainee(app_db.admin, app_db.trainee).grants["basic_webcare"]
    assert not admin_sees.may_grant and admin_sees.note == t("team.only_managers_grant", "nl")

    granted = view.grant(actor=manager, language="nl", trainee_id=trainee_id, level="basic_webcare",
                         comment="Drie nette gesprekken.")
    assert granted.saved and granted.message.startswith("Certificaat Basis webcare toegekend. Verificatiecode: WT-")
    screen = _trainee(app_db.manager, app_db.trainee)
    [card] = screen.certificates
    assert card.line.startswith("Basis webcare: geldig · behaald ") and card.may_revoke
    assert card.pdf_file_name.startswith("certificaat-WT-") and card.comment == "Drie nette gesprekken."
    assert screen.grants["basic_webcare"].state == "held"
    assert view.certificate_pdf(actor=manager, language="nl", certification_id=card.id).startswith(b"%PDF")

    assert view.revoke(actor=manager, language="nl", certification_id=card.id, reason="").message == t(
        "team.comment_needed", "nl")
    assert view.revoke(actor=manager, language="nl", certification_id=card.id, reason="Per abuis.") == view.Outcome(
        True, t("team.revoked", "nl"))
    [card] = _trainee(app_db.manager, app_db.trainee).certificates
    assert card.line.startswith("Basis webcare: ingetrokken") and card.revoke_reason == "Per abuis." and not card.may_revoke


def test_team_view_transcript_marks_each_customer_message_with_its_stored_mood(app_db, scored_history):
    from scoring.sentiment import mood_label, mood_of
    from trainer.db.models import Turn
    from trainer.services.drills import desk

    with session_scope() as session:
        turns = session.exec(select(Turn).where(Turn.attempt_id == scored_history[-1]).order_by(Turn.id)).all()
        stored = {turn.speaker: turn.mood for turn in turns}
        every = session.exec(select(Turn).where(Turn.attempt_id.in_(scored_history))).all()
    assert all((turn.mood is not None) == (turn.speaker == "customer") for turn in every)  # every customer turn, only those
    customer_text = next(turn.text for turn in turns if turn.speaker == "customer")
    assert stored["customer"] == mood_of(customer_text, "nl") < 0 and stored["trainee"] is None
    customer, reply = _transcript(app_db.manager, scored_history[-1]).entries
    assert mood_label(stored["customer"], "nl") == "negative"
    assert customer.mood == f"🔴 Stemming klant: negatief ({desk.mood(stored['customer'], 'nl')})" and reply.mood is None
    assert view.mood_marker(None, "nl") is None  # a turn stored before moods were kept
    assert view.mood_marker(0.6, "en") == "🟢 Customer's mood: positive (+0.60)"
