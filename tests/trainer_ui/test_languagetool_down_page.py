"""Issue 11 #2 on the page: a LanguageTool that hangs keeps no trainee waiting, and the app says
so: the reply is scored at once without spelling (shown as "—", with the reason), and the
sidebar says checking is off and why, in the page's language only (issue 13)."""

from __future__ import annotations

import time

from scoring.languagetool import GrammarChecker, LanguageToolSettings
from tests.scoring.test_languagetool_deadline import HungLanguageTool
from tests.trainer_ui.conftest import logged_in_app

REPLY = "Hoi, wat vervelend! Stuur je ons een DM met je boekingscode? Dan zoek ik het uit. ^Sam"


def test_languagetool_down_page_scores_at_once_and_says_spelling_was_not_checked(app_db, monkeypatch, tmp_path):
    from trainer import resources

    hung = HungLanguageTool()
    try:
        checker = GrammarChecker(LanguageToolSettings(url=hung.url, home=tmp_path, check_timeout=1.0,
                                                      breaker_cooldown=60))
        monkeypatch.setattr(resources, "grammar_checker", lambda: checker)
        at = logged_in_app(app_db.trainee, "pages/practise.py")
        next(b for b in at.button if b.label == "Start het gesprek").click().run()
        next(a for a in at.text_area if "Jouw antwoord via" in a.label).input(REPLY)
        started = time.monotonic()
        next(b for b in at.button if b.label == "Verstuur").click().run()
        assert time.monotonic() - started < 10, "the reply waited on LanguageTool"
        assert not at.exception, at.exception
        assert next(m.value for m in at.metric if m.label == "Spelling") == "—"
        assert any(c.value.replace("\\:", ":").startswith("Spelling: Spelling en grammatica niet gecontroleerd: "
                                                           "LanguageTool antwoordde niet binnen 1 s.")
                   for c in at.caption)
        assert any(e.value == "Spelling- en grammaticacontrole staat uit: LanguageTool antwoordde niet binnen 1 s"
                   for e in at.sidebar.error)
        shown = " ".join(element.value for element in [*at.caption, *at.sidebar.error, *at.markdown])
        for english in ("cannot be reached", "does not answer", "did not answer", "not ready", "LanguageTool failed"):
            assert english not in shown, f"English reason on the Dutch page: {english!r}"
        assert any(m.label == "Totaal" for m in at.metric)
    finally:
        hung.close()
