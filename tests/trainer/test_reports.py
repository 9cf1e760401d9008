"""The reports view on SQLite and PostgreSQL: response times against the medium's norm, volume,
topics and the customer's mood per ISO week, per trainee and for the team; who may see them."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.models import Attempt, Turn
from trainer.services.rights import PermissionDenied
from trainer.views import reports as view

UTC = timezone.utc
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)  # a Wednesday of ISO week 2026-W50
THIS_WEEK, LAST_WEEK = "2026-W50", "2026-W49"


def practice(session, trainee, *, at: datetime, seconds: float, medium: str = "twitter",
             scenario_type: str = "cancellation") -> None:
    """One attempt with one reply, sent `seconds` after the customer's message was shown at `at`."""
    attempt = Attempt(user_id=trainee.id, scenario_id="s", scenario_version="1", scenario_type=scenario_type,
                      medium=medium, started_at=at)
    session.add(attempt)
    session.flush()
    session.add(Turn(attempt_id=attempt.id, speaker="customer", text="Hallo?", shown_at=at))
    session.add(Turn(attempt_id=attempt.id, speaker="trainee", text="Hoi!", shown_at=at,
                     sent_at=at + timedelta(seconds=seconds)))
    session.commit()


def drill(session, team, manager, conversations: list[tuple[str | None, object, list[tuple[str, float | None]]]],
          *, at: datetime) -> None:
    """A stopped drill of `team` (nobody holds a conversation any more): per conversation its
    label, who answered and its messages in order (("customer", mood) or ("agent", None) for a
    reply by them), a minute apart."""
    run = DrillRun(id=f"run-{team.id}-{at:%Y%m%d%H%M}", template_id="t", language="nl", team_id=team.id,
                   created_by_id=manager.id, started_at=at)
    session.add(run)
    session.flush()
    for arrival, (label, replier, messages) in enumerate(conversations):
        conversation = DrillConversation(
            run_id=run.id, arrival=arrival, scenario_id="s", medium="twitter", seed=1, customer_name="Sanne",
            handle="@sanne", sla_seconds=1800, arrived_at=at, label=label,
            conversation="{}")
        session.add(conversation)
        session.flush()
        for n, (role, mood) in enumerate(messages):
            session.add(DrillMessage(
                run_id=run.id, conversation_id=conversation.id, role=role,
                source="scenario" if role == "customer" else "reply", text="…", medium="twitter",
                at=at + timedelta(minutes=n), user_id=replier.id if role == "agent" else None, mood=mood))
    session.commit()


def section(screen: view.ReportsScreen, title: str) -> view.Section:
    return next(s for s in screen.sections if s.title == title)


def screen_of(session, actor, world, **kwargs) -> view.ReportsScreen:
    return view.reports_screen(session=session, actor=actor, team_id=world.reizen.id, language="nl", now=NOW, **kwargs)


def test_reports_response_times_against_the_norm_per_week_for_the_team_and_a_trainee(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    practice(session, world.tom, at=monday, seconds=60)  # twitter's target_seconds is 120
    practice(session, world.tom, at=monday, seconds=200)
    practice(session, world.tess, at=monday, seconds=90)
    practice(session, world.tess, at=monday - timedelta(weeks=1), seconds=300, medium="email")  # email: 600
    practice(session, world.eva, at=monday, seconds=10)  # another team
    screen = screen_of(session, world.mila, world)
    assert screen.team_name == "Reizen"
    assert screen.who == {view.WHOLE_TEAM: "Hele team", world.tess.id: "Tess Trainee", world.tom.id: "Tom Trainee"}
    found = section(screen, "Reactietijden")
    assert found.columns == ["Week", "Medium", "Antwoorden", "Gem. seconden", "Norm (s)", "Binnen norm (%)"]
    assert [tuple(r.values()) for r in found.rows] == [(LAST_WEEK, "E-mail", 1, 300, 600, 100),
                                                       (THIS_WEEK, "X (Twitter)", 3, 117, 120, 67)]
    assert found.chart.mark == "line" and found.chart.y == "Binnen norm (%)" and found.chart.x_order == screen.weeks
    tom = section(screen_of(session, world.mila, world, trainee_id=world.tom.id), "Reactietijden")
    assert [tuple(r.values()) for r in tom.rows] == [(THIS_WEEK, "X (Twitter)", 2, 130, 120, 50)]


def test_reports_every_trainee_side_by_side(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    practice(session, world.tom, at=monday, seconds=60)
    practice(session, world.tom, at=monday - timedelta(weeks=2), seconds=200)
    drill(session, world.reizen, world.mila, [(None, world.tom, [("customer", -0.8), ("agent", None), ("customer", 0.4)])],
          at=monday)
    found = section(screen_of(session, world.mila, world), "Per trainee")
    assert found.columns == ["Trainee", "Gesprekken", "Antwoorden", "Gem. seconden", "Binnen norm (%)",
                             "Gesprekken met stemming", "Stemming voor", "Stemming na"]
    assert [tuple(r.values()) for r in found.rows] == [("Tess Trainee", 0, 0, None, None, 0, None, None),
                                                       ("Tom Trainee", 2, 2, 130, 50, 1, -0.8, 0.4)]
    assert found.chart.x == "Trainee" and found.chart.x_order == ["Tess Trainee", "Tom Trainee"]
    assert [r["Trainee"] for r in found.chart.rows] == ["Tom Trainee"]  # nobody without replies in the chart


def test_reports_a_missing_figure_shows_as_a_dash_and_stays_empty_in_the_csv(session, world):
    practice(session, world.tom, at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC), seconds=60)
    found = section(screen_of(session, world.mila, world), "Per trainee")
    assert [tuple(r.values()) for r in found.table] == [("Tess Trainee", 0, 0, "–", "–", 0, "–", "–"),
                                                        ("Tom Trainee", 1, 1, "60", "100", 0, "–", "–")]  # a column with a gap is text
    read = list(csv.reader(io.StringIO(found.csv.decode("utf-8"))))
    assert read[1:] == [["Tess Trainee", "0", "0", "", "", "0", "", ""], ["Tom Trainee", "1", "1", "60", "100", "0", "", ""]]
    assert "None" not in found.csv.decode("utf-8")


def test_reports_weeks_are_iso_weeks_in_utc_and_only_the_asked_for_weeks(session, world):
    sunday_night = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    practice(session, world.tom, at=sunday_night, seconds=30)
    practice(session, world.tom, at=sunday_night + timedelta(hours=1), seconds=30)  # Monday 00:30: the next week
    practice(session, world.tom, at=NOW - timedelta(weeks=5), seconds=30)
    screen = screen_of(session, world.mila, world, weeks=2)
    assert screen.weeks == [LAST_WEEK, THIS_WEEK]
    volume = section(screen, "Volume per medium")
    assert [(r["Week"], r["Gesprekken"]) for r in volume.rows] == [(LAST_WEEK, 1), (THIS_WEEK, 1)]
    longer = screen_of(session, world.mila, world, weeks=12)
    assert len(longer.weeks) == 12 and sum(r["Gesprekken"] for r in section(longer, "Volume per medium").rows) == 3


def test_reports_volume_per_medium_and_topics_from_scenario_types_and_drill_labels(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    practice(session, world.tom, at=monday, seconds=60, medium="twitter", scenario_type="angry_customer")
    practice(session, world.tom, at=monday, seconds=60, medium="whatsapp", scenario_type="angry_customer")
    practice(session, world.tess, at=monday, seconds=60, medium="twitter", scenario_type="cancellation")
    drill(session, world.reizen, world.mila, [
        ("omboeken", world.tom, [("customer", -0.5), ("agent", None)]),
        ("omboeken", None, [("customer", -0.5)]),  # nobody answered it: the team's topic only
        (None, world.tess, [("customer", -0.5), ("agent", None)]),  # no label: no topic
    ], at=monday)
    drill(session, world.energie, world.mark, [("storing", world.eva, [("customer", -0.5)])], at=monday)
    screen = screen_of(session, world.mila, world)
    volume = section(screen, "Volume per medium")
    assert [(r["Medium"], r["Gesprekken"]) for r in volume.rows] == [("X (Twitter)", 2), ("WhatsApp", 1)]
    assert volume.chart.mark == "bar"
    topics = section(screen, "Onderwerpen")
    assert sorted((r["Bron"], r["Onderwerp"], r["Aantal"]) for r in topics.rows) == [
        ("label in groepsoefening", "omboeken", 2), ("soort oefengesprek", "Annulering of opzegging", 1),
        ("soort oefengesprek", "Boze klant", 2)]
    tom = section(screen_of(session, world.mila, world, trainee_id=world.tom.id), "Onderwerpen")
    assert sorted((r["Bron"], r["Onderwerp"], r["Aantal"]) for r in tom.rows) == [
        ("label in groepsoefening", "omboeken", 1), ("soort oefengesprek", "Boze klant", 2)]


def test_reports_customer_mood_before_and_after_the_first_reply(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    drill(session, world.reizen, world.mila, [
        (None, world.tom, [("customer", -0.8), ("customer", -0.6), ("agent", None), ("customer", 0.4)]),
        (None, world.tess, [("customer", -0.2), ("agent", None), ("customer", 0.0), ("agent", None), ("customer", 0.6)]),
        (None, world.tess, [("customer", -0.9)]),  # never answered: no before/after
        (None, world.tom, [("customer", -0.4), ("agent", None)]),  # no customer message after the reply
    ], at=monday)
    moods = section(screen_of(session, world.mila, world), "Stemming van de klant")
    assert moods.columns == ["Week", "Gesprekken", "Stemming voor", "Stemming na", "Verschil"]
    assert [tuple(r.values()) for r in moods.rows] == [(THIS_WEEK, 2, -0.45, 0.35, 0.8)]
    assert {r["Moment"] for r in moods.chart.rows} == {"Stemming voor", "Stemming na"}
    tom = section(screen_of(session, world.mila, world, trainee_id=world.tom.id), "Stemming van de klant")
    assert [tuple(r.values()) for r in tom.rows] == [(THIS_WEEK, 1, -0.7, 0.4, 1.1)]
    assert tom.file_name.startswith("webcare-reizen-tom-trainee-") and tom.file_name.endswith("-moods.csv")
    tess = section(screen_of(session, world.mila, world), "Per trainee").rows[0]
    assert (tess["Trainee"], tess["Stemming voor"], tess["Stemming na"]) == ("Tess Trainee", -0.2, 0.3)


def practice_with_moods(session, trainee, turns: list[tuple[str, float | None]], *, at: datetime) -> None:
    """One practice conversation of `trainee`: its turns in order (("customer", mood) or
    ("trainee", None)), a minute apart, as the practise page stores them."""
    attempt = Attempt(user_id=trainee.id, scenario_id="s", scenario_version="1", scenario_type="angry_customer",
                      medium="twitter", started_at=at)
    session.add(attempt)
    session.flush()
    for n, (speaker, mood) in enumerate(turns):
        moment = at + timedelta(minutes=n)
        session.add(Turn(attempt_id=attempt.id, speaker=speaker, text="…", shown_at=moment, created_at=moment,
                         sent_at=moment if speaker == "trainee" else None, mood=mood))
    session.commit()


def test_reports_customer_mood_counts_practice_conversations_beside_drills(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    practice_with_moods(session, world.tom, [("customer", -0.6), ("trainee", None), ("customer", 0.2),
                                             ("trainee", None), ("customer", 0.6)], at=monday)
    practice_with_moods(session, world.tess, [("customer", -0.4), ("trainee", None)], at=monday)  # no answer back
    practice_with_moods(session, world.tess, [("customer", None), ("trainee", None), ("customer", None)],
                        at=monday)  # stored before turns had a mood
    practice_with_moods(session, world.eva, [("customer", -1.0), ("trainee", None), ("customer", 1.0)],
                        at=monday)  # another team
    drill(session, world.reizen, world.mila, [(None, world.tom, [("customer", -0.8), ("agent", None), ("customer", 0.0)])],
          at=monday)
    moods = section(screen_of(session, world.mila, world), "Stemming van de klant")
    assert [tuple(r.values()) for r in moods.rows] == [(THIS_WEEK, 2, -0.7, 0.2, 0.9)]
    tom = section(screen_of(session, world.mila, world), "Per trainee").rows[1]
    assert (tom["Trainee"], tom["Gesprekken met stemming"], tom["Stemming voor"], tom["Stemming na"]) == \
        ("Tom Trainee", 2, -0.7, 0.2)


def test_reports_csv_exports_are_guarded_and_translated(session, world):
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    drill(session, world.reizen, world.mila, [("=HYPERLINK(1)", world.tom, [("customer", -0.5)])], at=monday)
    practice(session, world.tom, at=monday, seconds=60)
    screen = view.reports_screen(session=session, actor=world.mila, team_id=world.reizen.id, language="en", now=NOW)
    topics = next(s for s in screen.sections if s.title == "Topics")
    assert topics.file_name.startswith("webcare-reizen-") and topics.file_name.endswith("-topics.csv")
    read = list(csv.reader(io.StringIO(topics.csv.decode("utf-8"))))
    assert read[0] == ["Week", "Source", "Topic", "Count"]
    assert ["2026-W50", "group drill label", "'=HYPERLINK(1)", "1"] in read


def test_reports_who_may_see_them(session, world, olga):
    practice(session, world.tom, at=NOW - timedelta(hours=1), seconds=60)
    seen = screen_of(session, olga, world)  # an observer of the team, and no trainee in it
    assert seen.team_name == "Reizen" and "Olga Observer" not in seen.who.values()
    assert screen_of(session, world.admin, world).team_name == "Reizen"
    assert view.report_teams(session=session, actor=world.mila).teams == {world.reizen.id: "Reizen"}
    assert view.report_teams(session=session, actor=world.admin).teams.keys() == {world.reizen.id, world.energie.id}
    # Without a team: the first the actor may see.
    assert view.reports_screen(session=session, actor=world.mark, language="nl", now=NOW).team_name == "Energie"


@pytest.mark.parametrize("who", ["tom", "mark", "olga_elsewhere", "another_teams_trainee"])
def test_reports_refused_to_a_trainee_and_to_other_teams(session, world, olga, who):
    actor = {"tom": world.tom, "mark": world.mark, "olga_elsewhere": olga, "another_teams_trainee": world.mila}[who]
    team_id = world.energie.id if who == "olga_elsewhere" else world.reizen.id
    trainee_id = world.eva.id if who == "another_teams_trainee" else None
    with pytest.raises(PermissionDenied):
        view.reports_screen(session=session, actor=actor, team_id=team_id, trainee_id=trainee_id, language="nl", now=NOW)


def test_reports_a_trainee_is_refused_even_without_a_team(session, world):
    assert view.report_teams(session=session, actor=world.tom).refused
    with pytest.raises(PermissionDenied):
        view.reports_screen(session=session, actor=world.tom, language="nl", now=NOW)
    with pytest.raises(PermissionDenied):
        view.reports_screen(session=session, actor=world.tom, team_id=99999, language="nl", now=NOW)
