"""The announce page in AppTest: choose an exercise, write the announcement, see its scorecard,
get the brief an hour later, write the update, see both beside the model answers."""

from scenarios.announcements import exercises
from tests.trainer_ui.conftest import logged_in_app


def button(at, label):
    return next(b for b in at.button if b.label == label)


def post_box(at):
    return next(a for a in at.text_area if a.label.startswith("Jouw bericht op"))


def test_announce_page_post_then_update_with_scorecards(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/announce.py")
    assert at.title[0].value == "Aankondigen"
    exercise = exercises("nl")[0]
    at.radio[0].set_value(exercise.id).run()
    medium = exercise.media[0]
    at.selectbox[0].set_value(medium).run()
    button(at, "Start de oefening").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == exercise.title
    assert at.subheader[0].value == "De aankondiging"
    assert any("Volgende update" in m.value for m in at.markdown)
    post_box(at).input("Sorry voor het ongemak.")
    button(at, "Plaats het bericht").click().run()
    assert not at.exception, at.exception
    assert any(m.label == "Totaal" for m in at.metric)
    shown = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "Om 15.00 uur meer nieuws" in shown  # the next-update advice
    assert at.subheader[-1].value == "Een uur later: de update"
    post_box(at).input(exercise.update.model_answers[medium])
    button(at, "Plaats het bericht").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Niet beide berichten waren voldoende")
    assert [e.label for e in at.expander][-2:] == [e.label for e in at.expander][-2:]
    assert sum(1 for e in at.expander if e.label.startswith(("De aankondiging: score", "Een uur later: de update: score"))) == 2
    button(at, "Nog een oefening").click().run()
    assert at.title[0].value == "Aankondigen"


def test_announce_page_refuses_an_empty_post_and_speaks_english(app_db):
    at = logged_in_app(app_db.trainee, "pages/announce.py")
    button(at, "Start de oefening").click().run()
    button(at, "Plaats het bericht").click().run()
    assert at.error[0].value == "Je bericht is nog leeg."
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception, at.exception
    assert any(b.label == "Publish the post" for b in at.button)
