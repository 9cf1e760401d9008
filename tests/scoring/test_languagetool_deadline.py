"""Fault injection: a LanguageTool that answers its health probe but never a check must not
hold up scoring, and checking switches itself back on once the server answers again."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from scoring import ReplyContext, score_reply, warm_up
from scoring.languagetool import CircuitBreaker, GrammarChecker, LanguageToolSettings, LocalServer, OffReason

DEADLINE = 1.0


class HungLanguageTool:
    """Accepts connections, answers /v2/languages (after `probe_delay` seconds: a server that is
    still starting), and never answers a check (until released)."""

    def __init__(self, probe_delay: float = 0.0) -> None:
        release = self.release = threading.Event()
        self.checks = self.probes = 0
        hung = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the health probe
                hung.probes += 1
                if probe_delay:
                    release.wait(probe_delay)
                body = b'[{"name": "Dutch", "code": "nl", "longCode": "nl-NL"}]'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # a check: hang
                hung.checks += 1
                release.wait(30)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hung() -> Iterator[HungLanguageTool]:
    server = HungLanguageTool()
    yield server
    server.close()


def hung_checker(url: str, tmp_path, cooldown: float = 60.0) -> GrammarChecker:
    return GrammarChecker(LanguageToolSettings(url=url, home=tmp_path, check_timeout=DEADLINE, breaker_cooldown=cooldown))


def test_languagetool_hung_server_scores_within_the_deadline_without_spelling(hung, tmp_path):
    checker = hung_checker(hung.url, tmp_path)
    context = ReplyContext(language="nl", medium="twitter", customer_messages=["Waar blijft mijn pakket?"],
                           seconds_to_reply=60)
    warm_up("nl")  # spaCy's first load is not what is measured here
    started = time.monotonic()
    card = score_reply("Hoi, ik zoek het meteen voor je uit. ^Lisa", context, checker=checker)
    assert time.monotonic() - started < DEADLINE + 2
    assert card.dimensions["spelling"].checked is False
    assert "LanguageTool antwoordde niet binnen 1 s" in card.dimensions["spelling"].note
    assert card.total > 0  # scored on the dimensions that could be checked


def test_languagetool_hung_server_does_not_queue_trainees_behind_each_other(hung, tmp_path):
    """Several trainees at once each wait at most one deadline: no lock around the network call."""
    checker = hung_checker(hung.url, tmp_path, cooldown=0)
    results, waits = [], []

    def one_check() -> None:
        started = time.monotonic()
        results.append(checker.check("Ik heb het gisteren verstuurd.", "nl"))
        waits.append(time.monotonic() - started)

    threads = [threading.Thread(target=one_check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.checked for r in results] == [False] * 4
    # Serialised, the last would have waited four deadlines.
    assert max(waits) < 2 * DEADLINE + 1


def test_languagetool_breaker_answers_at_once_while_open_and_probes_after_cooldown(hung, tmp_path):
    checker = hung_checker(hung.url, tmp_path, cooldown=60)
    assert not checker.check("Eerste.", "nl").checked
    assert hung.checks == 1
    started = time.monotonic()
    skipped = checker.check("Tweede.", "nl")
    assert not skipped.checked and skipped.reason == OffReason.of("check_timeout", seconds=DEADLINE)
    assert hung.checks == 1, "while the breaker is open, no check goes to the server"
    assert time.monotonic() - started < DEADLINE
    assert checker.source().startswith("off: LanguageTool did not answer")


def test_languagetool_checking_recovers_by_itself_when_the_server_answers_again(grammar_checker, hung, tmp_path):
    checker = hung_checker(hung.url, tmp_path, cooldown=0)
    assert not checker.check("Hij vind het niet leuk.", "nl").checked
    # The server comes back (here: the checker is pointed at the real one, as after a restart).
    checker._url = LocalServer(LanguageToolSettings()).url
    back = checker.check("Hij vind het niet leuk.", "nl")
    assert back.checked, back.reason
    assert any(m.replacements and m.replacements[0] == "Hij vindt" for m in back.matches)
    assert checker.source() == checker._url


def test_languagetool_circuit_breaker_states():
    now = [0.0]
    breaker = CircuitBreaker(cooldown=10, clock=lambda: now[0])
    assert breaker.allow()
    breaker.failed(OffReason.of("unreachable"))
    assert not breaker.allow() and breaker.reason == OffReason.of("unreachable") and breaker.seconds_left() == 10
    now[0] = 10.5
    assert breaker.allow(), "after the cooldown one probe goes out"
    assert not breaker.allow(), "only one"
    breaker.failed(OffReason.of("unreachable"))
    assert not breaker.allow()
    now[0] = 21
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.allow() and breaker.allow() and breaker.reason is None


def test_languagetool_a_server_still_starting_holds_a_check_up_at_most_start_wait(tmp_path):
    """A server whose port is open but which does not answer yet (a JVM building its rules) keeps
    no reply waiting longer than `start_wait`, and is no failure: the breaker stays closed."""
    starting = HungLanguageTool(probe_delay=10)
    start_wait = 0.5  # three waits (check, status line, check) stay well inside the probe's 3 s
    try:
        checker = GrammarChecker(LanguageToolSettings(url=starting.url, home=tmp_path, start_wait=start_wait,
                                                      check_timeout=4.0, breaker_cooldown=60))
        for attempt in range(2):
            started = time.monotonic()
            result = checker.check("Hij vind het niet leuk.", "nl")
            assert time.monotonic() - started < start_wait + 0.5
            assert not result.checked and result.reason == OffReason.of("starting", seconds=start_wait)
            if attempt == 0:  # asked while the probe still waits (it gives up after 3 s)
                assert checker.source() == "off: LanguageTool is starting: not ready within 0.5 s"
        assert starting.probes == 1, "the second check waits for the same start instead of probing again"
        assert checker._breaker.reason is None
    finally:
        starting.close()
