"""The scoring page, driven by Streamlit's AppTest with the real scorer and LanguageTool."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "trainer" / "app.py")


def test_quick_score_page_scores_a_typed_reply_and_explains_the_dt_error(grammar_checker):
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    at.text_area[1].input("Hoi Sanne, je word morgen gebelt door een collega. ^Lisa")
    at.button[0].click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[0] == "Totaal" and "Spelling" in labels
    texts = " ".join(c.value for c in at.caption)
    assert "'gebelt door' moet 'gebeld door' zijn." in texts
    assert "'je word' moet 'je wordt' zijn." in texts


def test_quick_score_page_in_english_and_empty_reply_is_refused_politely(grammar_checker):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Webcare Trainer"
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "empty" in at.error[0].value
