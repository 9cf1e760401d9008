"""The practise page in AppTest: choose, start, answer, see the score, stop."""

from tests.trainer_ui.conftest import logged_in_app


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_practise_page_plays_a_turn_and_shows_the_scorecard(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    assert at.title[0].value == "Oefenen"
    button(at, "Start het gesprek").click().run()
    assert not at.exception, at.exception
    assert any("Jouw antwoord via" in a.label for a in at.text_area)
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("Hoi, wat vervelend! Ik zoek het direct voor je uit. Stuur je ons een DM? ^Lisa")
    button(at, "Verstuur").click().run()
    assert not at.exception, at.exception
    assert at.metric[0].label in ("Totaal", "Klant")
    assert any(m.label == "Totaal" for m in at.metric)
    button(at, "Stop dit gesprek").click().run()
    assert not at.exception


def test_practise_page_refuses_an_empty_reply(app_db):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    button(at, "Verstuur").click().run()
    assert at.error[0].value == "Je antwoord is nog leeg."


def test_practise_page_user_text_is_not_interpreted(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("<script>alert('x')</script> [klik](javascript:alert(1))")
    button(at, "Verstuur").click().run()
    assert not at.exception
    html = " ".join(str(h.proto) for h in at.get("html"))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
