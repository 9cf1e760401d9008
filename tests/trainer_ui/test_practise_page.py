"""The practise page in AppTest: choose, start, answer, see the score, stop."""

import re

import scenarios
from tests.trainer_ui.conftest import logged_in_app
from trainer.services import practice


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
    assert any(w.value.startswith("Stoppen met dit gesprek?") for w in at.warning)
    button(at, "Ja, stop het gesprek").click().run()
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


def thread_html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_practise_page_email_thread_shows_the_subject_once_and_every_message_with_its_time(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    at.selectbox[0].select("email").run()
    button(at, "Start het gesprek").click().run()
    assert not at.exception, at.exception
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("Beste klant,\n\nDank voor uw e-mail. Wat vervelend dat dit is gebeurd. Ik zoek het direct voor u uit "
                "en laat u vandaag nog weten wat we kunnen doen.\n\nMet vriendelijke groet,\nLisa")
    button(at, "Verstuur").click().run()
    assert not at.exception, at.exception
    page = thread_html(at)
    messages = page.count('class="wt-email"')
    assert messages >= 2  # the customer's mail and the reply, at least
    assert page.count("Onderwerp:") == 1
    heads = re.findall(r'class="wt-email-head">(.*?)</div>', page)
    assert len(heads) == messages
    assert all(re.search(r"Van: .*\d\d:\d\d", head) for head in heads), heads


def test_practise_page_scorecard_puts_the_dimensions_in_rows_of_three_with_their_weights(app_db, grammar_checker):
    """Six scores side by side in the practise page's narrow column cut their labels off
    ("Snel…"); the browser test measures it, this checks the layout that prevents it."""
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("Hoi, wat vervelend! Ik zoek het direct voor je uit. Stuur je ons een DM? ^Lisa")
    button(at, "Verstuur").click().run()
    card = next(e for e in at.expander if e.label == "Beoordeling van je laatste antwoord")
    rows = [block for block in card.children.values() if type(block).__name__ == "Block"]
    shown = [[column.metric[0].label for column in row.children.values() if column.metric] for row in rows]
    assert shown == [["Toon", "Spelling", "Lengte"], ["Snelheid", "Privacy", "Inhoud"]]
    assert all(not column.metric[0].help for row in rows for column in row.children.values())  # no icon eats the width
    weights = next(c.value for c in card.caption if c.value.startswith("Weging:"))
    assert "Snelheid 12" in weights and "Toon " in weights


def test_practise_page_end_screen_explains_the_outcome_beside_the_replay(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    at.radio[0].set_value("nl-vlucht-geannuleerd-schiphol").run()
    button(at, "Start het gesprek").click().run()
    scenario = next(s for s in scenarios.catalogue("nl") if s.id == "nl-vlucht-geannuleerd-schiphol")
    path = next(p for p in scenario.test_paths if p.ends == "escalated")
    for reply in path.replies:
        conversation = practice.PracticeState.model_validate(at.session_state["practice_state"]).restore()
        next(a for a in at.text_area if "Jouw antwoord via" in a.label).input(conversation.fill_template(reply.text))
        button(at, "Verstuur").click().run()
        assert not at.exception, at.exception
    assert at.error[0].value.startswith("Geëscaleerd")
    main, side = _page_columns(at)
    assert "Terugkijken: jouw antwoorden naast het modelantwoord" in [s.value for s in main.subheader]
    shown = [s.value for s in side.subheader]
    assert shown[1:] == ["Afloop", "Gemiddelde score per onderdeel", "Oefen hierna"]  # after the customer's name
    texts = " ".join(m.value for m in side.markdown)
    assert "De klant voelde zich niet gehoord" in texts
    assert re.search(r"Je laagste onderdeel in dit gesprek was \w+ \(gemiddeld \d+\)", texts), texts
    bars = [b.proto.text for b in side.get("progress")]
    assert len(bars) >= 5 and all(re.fullmatch(r"\w+: \d+", text) for text in bars), bars
    assert any(b.label == "Train mijn zwakste punt" for b in side.button)
    assert not side.text_input  # the knowledge panel is for while answering


def _page_columns(at):
    """The practise page's main column and its side column."""
    side = next(c for c in at.columns if any(s.value == "Afloop" for s in c.subheader))
    main = next(c for c in at.columns if any(s.value.startswith("Terugkijken") for s in c.subheader))
    return main, side


def test_practise_page_keeps_a_paste_too_long_for_x_and_marks_it(app_db):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("Wat vervelend dat je vlucht is geannuleerd! " * 8).run()  # 352 characters on X (280)
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    assert len(reply.value) == 352, "a paste that is too long is kept, not cut off"
    assert [e.value for e in at.error] == ["352/280 tekens: 72 te veel. Zo past je antwoord niet op dit kanaal; "
                                           "maak het korter om het te versturen."]
    assert button(at, "Verstuur").disabled
    short = "Wat vervelend dat je vlucht is geannuleerd! Ik zoek het direct voor je uit. ^Lisa"
    reply.input(short).run()
    assert not at.error and not button(at, "Verstuur").disabled
    assert any(c.value == f"{len(short)}/280 tekens" for c in at.caption)


def test_practise_page_stop_asks_first_and_no_carries_on(app_db):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    button(at, "Stop dit gesprek").click().run()
    button(at, "Nee, ga door").click().run()
    assert not at.exception, at.exception
    assert not at.warning and any("Jouw antwoord via" in a.label for a in at.text_area)  # still in the conversation


def test_practise_page_draft_survives_a_visit_to_the_knowledge_base(app_db):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    button(at, "Start het gesprek").click().run()
    draft = "Wat vervelend! Ik zoek even op wat de regels voor omboeken zijn"
    next(a for a in at.text_area if "Jouw antwoord via" in a.label).input(draft).run()
    at.switch_page("pages/knowledge.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/practise.py").run()
    assert not at.exception, at.exception
    assert next(a for a in at.text_area if "Jouw antwoord via" in a.label).value == draft
