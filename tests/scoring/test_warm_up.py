"""Cold start under concurrency: many first replies at once must all be scored correctly."""

import concurrent.futures
import subprocess
import sys
import textwrap


def test_warm_up_many_threads_scoring_first_replies_at_once_in_a_cold_process():
    # A fresh interpreter: nothing built yet, as in a new app process or drill server.
    script = textwrap.dedent('''
        import concurrent.futures
        from scoring import ReplyContext, score_reply
        from scoring.languagetool import GrammarChecker, LanguageToolSettings
        off = GrammarChecker(LanguageToolSettings(enabled=False))
        def one(i):
            lang = "nl" if i % 2 else "en"
            text = ("Hoi, wat is je postcode? ^Lisa" if lang == "nl" else "Hi, what is your postcode? ^Lisa")
            card = score_reply(text, ReplyContext(language=lang, medium="twitter"), checker=off)
            return [f.rule for f in card.findings if f.severity.value == "critical"]
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(one, range(32)))
        assert all(r == ["privacy.asks_in_public"] for r in results), results
        print("ok", len(results))
    ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok 32"
