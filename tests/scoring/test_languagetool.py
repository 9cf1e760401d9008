"""The LanguageTool server lifecycle, for real: reuse, configured URL, restart after death, stop."""

from __future__ import annotations

import os
import signal
import time

import pytest

from scoring.languagetool import GrammarChecker, LanguageToolSettings, LocalServer, OffReason, rules_fingerprint
from scoring.languagetool_rules import probe_example


def test_languagetool_configured_url_is_used_without_starting_anything(grammar_checker, tmp_path):
    running = LocalServer(LanguageToolSettings()).url
    settings = LanguageToolSettings(url=running, home=tmp_path / "no-jars-here")
    checker = GrammarChecker(settings)
    result = checker.check("Hij vind het niet leuk.", "nl")
    assert result.checked
    assert any(m.replacements and m.replacements[0] == "Hij vindt" for m in result.matches)
    assert checker.source() == running
    assert not (tmp_path / "no-jars-here").exists(), "a configured server must not make us start our own"


def test_languagetool_unreachable_url_gives_a_reason_not_a_clean_result(tmp_path):
    checker = GrammarChecker(LanguageToolSettings(url="http://127.0.0.1:9", home=tmp_path))
    result = checker.check("Hij vind het niet leuk.", "nl")
    assert result.checked is False
    assert result.matches == ()
    assert result.reason == OffReason.of("server_silent", url="http://127.0.0.1:9")
    assert str(result.reason) == "the LanguageTool server at http://127.0.0.1:9 does not answer"


def test_languagetool_switched_off_says_so(tmp_path):
    result = GrammarChecker(LanguageToolSettings(enabled=False, home=tmp_path)).check("Test.", "nl")
    assert not result.checked and result.reason.code == "disabled" and "switched off" in str(result.reason)


def test_languagetool_no_jars_no_download_says_how_to_fix(tmp_path):
    checker = GrammarChecker(LanguageToolSettings(home=tmp_path, allow_download=False, port=1))
    result = checker.check("Test.", "nl")
    assert not result.checked and result.reason.code == "no_server" and "make languagetool" in str(result.reason)


def timed_check(checker: GrammarChecker) -> tuple[float, object]:
    started = time.monotonic()
    result = checker.check("Hij vind het niet leuk.", "nl")
    return time.monotonic() - started, result


def test_languagetool_server_start_and_restart_keep_no_reply_waiting(grammar_checker, free_port):
    """Our own server is started and restarted in the background: meanwhile a check waits at most
    `start_wait` and is scored "not checked", never as a clean text."""
    # A second server on its own port, so the shared one of the test session is not disturbed.
    base = LanguageToolSettings()
    settings = base.model_copy(update={"port": free_port, "breaker_cooldown": 0, "start_wait": 1.0})
    checker = GrammarChecker(settings)
    server = LocalServer(settings)
    try:
        waited, starting = timed_check(checker)
        assert waited < 2.0 and not starting.checked, "the first reply must not wait for the JVM to start"
        assert starting.reason == OffReason.of("starting", seconds=1.0)
        assert str(starting.reason) == "LanguageTool is starting: not ready within 1 s"
        assert checker.wait_until_ready() == server.url
        assert checker.check("Hij vind het niet leuk.", "nl").checked
        first_pid = server.pid()
        assert first_pid is not None and server.running()

        os.killpg(first_pid, signal.SIGKILL)
        for _ in range(50):
            if not server.running():
                break
            time.sleep(0.1)
        assert not server.running()

        # The reply sent while it is down is scored at once without spelling; the server comes
        # back by itself, started in the background, and the replies sent during the restart
        # wait at most `start_wait`.
        down = checker.check("Hij vind het niet leuk.", "nl")
        assert not down.checked and down.reason == OffReason.of("unreachable")
        waited, restarting = timed_check(checker)
        assert waited < 2.0 and not restarting.checked and restarting.reason.code == "starting"
        assert checker.wait_until_ready() == server.url
        again = checker.check("Hij vind het niet leuk.", "nl")
        assert again.checked, again.reason
        assert server.pid() not in (None, first_pid), "a new server process should have been started"
    finally:
        assert server.stop() is True
    assert not server.running()
    assert server.pid() is None


def test_languagetool_two_starts_share_one_server(grammar_checker):
    server = LocalServer(LanguageToolSettings())
    pid = server.pid()
    assert server.ensure() == server.url
    assert server.pid() == pid


def test_languagetool_server_runs_our_current_rules(grammar_checker):
    """The server we start has content/languagetool on its classpath and remembers which
    rules it started with; a changed rules file would make `ensure` restart it."""
    server = LocalServer(LanguageToolSettings())
    assert server.rules_file.read_text() == rules_fingerprint()
    assert not server._runs_other_rules()
    check = grammar_checker.check(probe_example().text, "nl")
    assert check.without_our_rules is None
    assert any(m.rule.startswith("WEBCARE_") for m in check.matches)


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
