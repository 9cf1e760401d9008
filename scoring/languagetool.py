"""LanguageTool: find a server, start and look after our own, and check text through it.

Where the server comes from, in order:
1. `LANGUAGETOOL_URL`: an existing server the organisation runs; we never start or stop it.
2. Jars fetched from Maven Central by `make languagetool` into `LANGUAGETOOL_HOME`: we start
   `org.languagetool.server.HTTPServer` on 127.0.0.1 ourselves, one per machine (a pid file and
   a lock make every process reuse it), health-check it and restart it when it died.
3. Neither, but Java and internet: language-tool-python's own download and server.

We manage the process ourselves because language-tool-python 3.4's own start retries on a new
port while polling the first one, so it never sees its server come up.

When none of this works, `GrammarChecker.check` says so (`checked=False`) instead of pretending
the text is clean.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from scoring.config import messages
from scoring.contentfile import content_dir
from scoring.model import Language

log = logging.getLogger(__name__)

LANGUAGE_CODES = {"nl": "nl-NL", "en": "en-GB"}

# Building a language's rule pipeline is what makes a first check slow (~15 s for Dutch).
# Caching pipelines makes later checks ~20 ms; prewarming every language would add ~35 s to
# each start, so we warm only the languages we use.
SERVER_PROPERTIES = """\
pipelineCaching=true
maxPipelinePoolSize=16
pipelineExpireTimeInSeconds=86400
cacheSize=2000
"""


class LanguageToolSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LANGUAGETOOL_", extra="ignore")

    url: str | None = Field(default=None, description="An existing LanguageTool server to use instead of our own.")
    enabled: bool = Field(default=True, description="Set to false to switch grammar checking off.")
    home: Path = Field(
        default=Path.home() / ".cache" / "webcare-trainer" / "languagetool",
        description="Where `make languagetool` puts the jars and where the server keeps its pid and log.",
    )
    version: str = Field(default="6.8", description="LanguageTool version to fetch and run.")
    port: int = Field(default=8081, description="Port of the local server on 127.0.0.1.")
    java: str = Field(default="java", description="The Java 17+ executable.")
    start_timeout: float = Field(default=120.0, description="Seconds to wait for a server to come up.")
    heap: str = Field(default="1g", description="Java heap for the local server.")
    allow_download: bool = Field(
        default=True, description="Let language-tool-python download LanguageTool when no jars are here."
    )
    check_timeout: float = Field(
        default=4.0, gt=0, description="Seconds one check may take before the reply is scored without it."
    )
    breaker_cooldown: float = Field(
        default=15.0, ge=0, description="After a failed check, seconds during which checks are skipped at once."
    )
    start_wait: float = Field(
        default=1.0, ge=0,
        description="Seconds a check waits for a server that is starting or restarting before the reply is scored without it.",
    )

    @property
    def lib_dir(self) -> Path:
        return self.home / self.version / "lib"


def _get(url: str, timeout: float) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback or configured URL
            return response.read()
    except (urllib.error.URLError, OSError, ValueError):
        return None


def server_answers(base_url: str, timeout: float = 1.0) -> bool:
    return _get(base_url.rstrip("/") + "/v2/languages", timeout) is not None


def rules_dir() -> Path:
    """Our own Dutch rules: LanguageTool 6.8 loads `org/languagetool/rules/nl/grammar_custom.xml`
    from any classpath directory next to its built-in rules, so this folder goes on the
    server's classpath."""
    return content_dir() / "languagetool"


def rules_fingerprint() -> str:
    """Which version of our rules a server was started with: a server running older rules
    (or none) is restarted, so editing a rule never leaves tests checking the old one."""
    # The rules' content only, not their folder: two checkouts with the same rules share one
    # server instead of restarting it under each other's running tests.
    digest = hashlib.sha256()
    for path in sorted(rules_dir().rglob("*.xml")):
        digest.update(path.relative_to(rules_dir()).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class LocalServer:
    """Our own LanguageTool server on 127.0.0.1, shared by every process on the machine."""

    def __init__(self, settings: LanguageToolSettings):
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.port}"
        state = settings.home / "run"
        self.pid_file = state / f"server-{settings.port}.pid"
        self.log_file = state / f"server-{settings.port}.log"
        self.lock_file = state / f"server-{settings.port}.lock"
        self.config_file = state / "server.properties"
        self.rules_file = state / f"server-{settings.port}.rules"

    def jars_present(self) -> bool:
        lib = self.settings.lib_dir
        return lib.is_dir() and any(lib.glob("languagetool-server-*.jar"))

    def java_present(self) -> bool:
        return shutil.which(self.settings.java) is not None

    def running(self) -> bool:
        return server_answers(self.url)

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    @contextmanager
    def _machine_lock(self) -> Iterator[None]:
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def ensure(self) -> str:
        """Return the URL of a healthy server, starting one if none answers. Raises
        `LanguageToolUnavailable` with the reason when it cannot."""
        if self.running() and not self._runs_other_rules():
            return self.url
        if not self.jars_present():
            raise LanguageToolUnavailable(OffReason.of("no_jars", lib=str(self.settings.lib_dir)))
        if not self.java_present():
            raise LanguageToolUnavailable(OffReason.of("no_java", java=self.settings.java))
        with self._machine_lock():
            if self.running() and not self._runs_other_rules():  # another process started it meanwhile
                return self.url
            self._stop_stale()
            self._spawn()
        self.warm_up()
        return self.url

    def _runs_other_rules(self) -> bool:
        """Whether the server we started runs rules other than ours (older, or none at all).
        A server someone else started (no pid file of ours) is left alone."""
        if self.pid() is None:
            return False
        try:
            started_with = self.rules_file.read_text().strip()
        except OSError:
            started_with = ""
        return started_with != rules_fingerprint()

    def _spawn(self) -> None:
        self.config_file.write_text(SERVER_PROPERTIES)
        classpath = os.pathsep.join([str(rules_dir()), f"{self.settings.lib_dir}{os.sep}*"])
        command = [
            self.settings.java, f"-Xmx{self.settings.heap}", "-cp", classpath,
            "org.languagetool.server.HTTPServer",
            "--port", str(self.settings.port), "--config", str(self.config_file),
        ]
        with open(self.log_file, "ab") as log_handle:
            # A session of its own: the server outlives the process that started it, so the
            # next `make test` or app start reuses it instead of paying the start-up again.
            process = subprocess.Popen(
                command, stdout=log_handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(process.pid))
        self.rules_file.write_text(rules_fingerprint())
        deadline = time.monotonic() + self.settings.start_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = self.log_file.read_text(errors="replace")[-400:]
                raise LanguageToolUnavailable(OffReason.of("exited_at_start", tail=tail.strip()))
            if self.running():
                log.info("LanguageTool server %s up (pid %s)", self.url, process.pid)
                return
            time.sleep(0.25)
        process.terminate()
        raise LanguageToolUnavailable(OffReason.of("start_timeout", seconds=round(self.settings.start_timeout)))

    def warm_up(self) -> None:
        """Build the nl and en pipelines now so a trainee's first reply is not the slow one."""
        for code in LANGUAGE_CODES.values():
            data = urllib.parse.urlencode({"language": code, "text": "Dit is een test."}).encode()
            try:
                urllib.request.urlopen(self.url + "/v2/check", data=data, timeout=self.settings.start_timeout).read()
            except (urllib.error.URLError, OSError):
                return

    def _stop_stale(self) -> None:
        pid = self.pid()
        if pid is not None:
            self._terminate(pid)

    def stop(self) -> bool:
        """Stop the server this machine started. Returns whether one was running."""
        with self._machine_lock():
            pid = self.pid()
            if pid is None:
                return False
            self._terminate(pid)
            self.pid_file.unlink(missing_ok=True)
            return True

    @staticmethod
    def _terminate(pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            return
        for _ in range(40):
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.1)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


# Why grammar checking is off, by code: the English for logs and the command line. What a user
# reads is `off_text(reason, language)`: content/messages/<lang>/languagetool.yaml
# `languagetool.off.<code>`, in the user's language, without the log's technical detail.
_ENGLISH = {
    "no_jars": "no LanguageTool jars in {lib} (run `make languagetool`)",
    "no_java": "Java ('{java}') is not installed",
    "exited_at_start": "LanguageTool server exited at start: {tail}",
    "start_timeout": "LanguageTool server did not answer within {seconds} s",
    "disabled": "grammar checking is switched off (LANGUAGETOOL_ENABLED=false)",
    "server_silent": "the LanguageTool server at {url} does not answer",
    "no_server": "no LanguageTool server: set LANGUAGETOOL_URL, or run `make languagetool` (needs Java 17)",
    "starting": "LanguageTool is starting: not ready within {seconds} s",
    "check_timeout": "LanguageTool did not answer within {seconds} s",
    "unreachable": "LanguageTool cannot be reached",
    "failed": "LanguageTool failed: {detail}",
}
OFF_CODES = tuple(_ENGLISH)


@dataclass(frozen=True)
class OffReason:
    """Why a text was not checked (or checking is off): a `code` (one of OFF_CODES) and the
    parameters its text may name. `str()` is the English, for logs and the command line;
    screens and the scorecard show `off_text(reason, language)`."""

    code: str
    params: tuple[tuple[str, str | float], ...] = ()

    @classmethod
    def of(cls, code: str, **params: str | float) -> "OffReason":
        if code not in _ENGLISH:
            raise ValueError(f"unknown LanguageTool off-reason code {code!r}")
        return cls(code, tuple(sorted(params.items())))

    def __str__(self) -> str:
        return _ENGLISH[self.code].format(**{name: _shown(value) for name, value in self.params})


def off_text(reason: OffReason, language: Language) -> str:
    """`reason` in `language`, for a trainee or a trainer: no log tail, no exception text."""
    template = messages(language).rules[f"languagetool.off.{reason.code}"].message
    return template.format(**{name: _shown(value, language) for name, value in reason.params})


def _shown(value: str | float, language: Language = "en") -> str:
    """1.5 s in English, 1,5 s in Dutch; any other parameter as it is."""
    if isinstance(value, (int, float)):
        shown = f"{value:g}"
        return shown.replace(".", ",") if language == "nl" else shown
    return value


def did_not_answer(deadline: float) -> OffReason:
    return OffReason.of("check_timeout", seconds=deadline)


class LanguageToolUnavailable(RuntimeError):
    """No LanguageTool server can be reached; `reason` says why (`str()` in English)."""

    def __init__(self, reason: OffReason) -> None:
        self.reason = reason
        super().__init__(str(reason))


class LanguageToolStarting(LanguageToolUnavailable):
    """The server is being started or restarted and was not ready within `start_wait`: nothing is
    wrong with it, so this does not open the circuit breaker."""


@dataclass
class _Resolution:
    """One search for the server (and start of our own, when it is down), run in the background
    so that no check waits for it longer than `start_wait`."""

    done: threading.Event = field(default_factory=threading.Event)
    url: str | None = None
    error: OffReason | None = None


@dataclass(frozen=True)
class GrammarMatch:
    rule: str
    category: str
    offset: int
    length: int
    message: str
    replacements: tuple[str, ...]
    is_spelling: bool


@dataclass(frozen=True)
class GrammarCheck:
    checked: bool
    matches: tuple[GrammarMatch, ...] = ()
    reason: OffReason | None = None
    # Checked by a server without our own rules (content/languagetool/): the URL, so the
    # scorecard can say which checks are off instead of implying a full check.
    without_our_rules: str | None = None


class CircuitBreaker:
    """Stops sending checks to a LanguageTool that is failing, and lets one through now and then
    to see whether it is back.

    Closed: every check goes out. After a failure it opens for `cooldown` seconds, during which
    checks are answered "not checked" at once instead of each waiting out the deadline. Then one
    check is let through (half-open): success closes it, failure opens it again."""

    def __init__(self, cooldown: float, clock=time.monotonic):
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._probing = False
        self.reason: OffReason | None = None

    def allow(self) -> bool:
        with self._lock:
            if self.reason is None:
                return True
            if self._probing or self._clock() < self._open_until:
                return False
            self._probing = True  # this caller is the probe; the others stay "not checked"
            return True

    def succeeded(self) -> None:
        with self._lock:
            self.reason, self._probing = None, False

    def failed(self, reason: OffReason) -> None:
        with self._lock:
            self.reason, self._probing = reason, False
            self._open_until = self._clock() + self.cooldown

    def released(self) -> None:
        """The check let through learnt nothing (the server is still starting): the next one may
        probe again, and the breaker stays as it was."""
        with self._lock:
            self._probing = False

    def seconds_left(self) -> float:
        return max(0.0, self._open_until - self._clock())


# language-tool-python's Match corrects offsets for characters outside the BMP through class-level
# state shared by every check; building matches is the only part that needs serialising (the
# network call does not).
_match_lock = threading.Lock()


@dataclass
class GrammarChecker:
    """Checks text against whichever server `_resolve` found, each check within a deadline.

    Safe to share between threads and Streamlit sessions: checks run concurrently; only turning
    the server's answer into matches is serialised. A failing server trips a circuit breaker, so
    while it is down replies are scored at once with spelling "not checked"; it recovers by itself
    (and our own local server is restarted in the background). Finding or starting the server
    runs in the background too: while it is starting or restarting, a check waits for it at
    most `start_wait` seconds and is then "not checked", without tripping the breaker.
    """

    settings: LanguageToolSettings = field(default_factory=LanguageToolSettings)
    # Rule ids the server must not apply, e.g. our own rules to measure LanguageTool alone.
    disabled_rules: frozenset[str] = frozenset()
    _tools: dict = field(default_factory=dict, init=False, repr=False)
    _url: str | None = field(default=None, init=False)
    _local: LocalServer | None = field(default=None, init=False, repr=False)
    _breaker: CircuitBreaker = field(init=False, repr=False)
    # The search for the server under way or last finished; guarded by _state_lock.
    _resolution: _Resolution | None = field(default=None, init=False, repr=False)
    _state_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    # Per server URL: whether our own rules answer there (probed once, with one of their examples).
    _our_rules: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._breaker = CircuitBreaker(self.settings.breaker_cooldown)

    def source(self) -> str:
        """Where checks go, for the command line and logs: a URL, 'download', or 'off: <why>'
        (in English; a screen asks `off_reason()` and words it with `off_text`)."""
        found = self._where()
        return f"off: {found}" if isinstance(found, OffReason) else found

    def off_reason(self) -> OffReason | None:
        """Why checks are off right now, or None when they go to a server."""
        found = self._where()
        return found if isinstance(found, OffReason) else None

    def _where(self) -> str | OffReason:
        if self._breaker.reason:
            return self._breaker.reason
        try:
            return self._resolve()
        except LanguageToolUnavailable as exc:
            return exc.reason

    def _resolve(self) -> str:
        """The server's URL. Finding it may mean starting our own server (tens of seconds): that
        runs in the background, and a check waits for it at most `start_wait` seconds."""
        url = self._url
        if url:
            return url
        resolution = self._current_resolution()
        if not resolution.done.wait(self.settings.start_wait):
            raise LanguageToolStarting(OffReason.of("starting", seconds=self.settings.start_wait))
        if resolution.error is not None:
            raise LanguageToolUnavailable(resolution.error)
        return resolution.url  # type: ignore[return-value]

    def _current_resolution(self, *, again: bool = False) -> _Resolution:
        """The search under way, or a new one when none is (or `again`: the server was lost)."""
        with self._state_lock:
            current = self._resolution
            if again and (current is None or current.done.is_set()):
                self._url, current = None, None
            if current is None or (current.done.is_set() and current.error is not None):
                current = self._resolution = _Resolution()
                threading.Thread(target=self._run_resolution, args=(current,), name="languagetool-start",
                                 daemon=True).start()
            return current

    def _run_resolution(self, resolution: _Resolution) -> None:
        try:
            resolution.url = self._find_server()
            if resolution.url != "download":
                self._url = resolution.url
        except LanguageToolUnavailable as exc:
            resolution.error = exc.reason
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, checks must not wait on it
            log.exception("finding LanguageTool failed")
            resolution.error = OffReason.of("failed", detail=str(exc))
        finally:  # an unavailable server is no log line: the scorecard and the sidebar say why
            resolution.done.set()

    def _find_server(self) -> str:
        if not self.settings.enabled:
            raise LanguageToolUnavailable(OffReason.of("disabled"))
        if self.settings.url:
            if not server_answers(self.settings.url, timeout=min(3.0, self.settings.check_timeout)):
                raise LanguageToolUnavailable(OffReason.of("server_silent", url=self.settings.url))
            return self.settings.url
        self._local = LocalServer(self.settings)
        if self._local.jars_present():
            return self._local.ensure()
        if self.settings.allow_download and self._local.java_present():
            return "download"
        raise LanguageToolUnavailable(OffReason.of("no_server"))

    def _downloaded_tool(self, code: str):
        """language-tool-python's own server, for machines with Java but none of ours."""
        import language_tool_python

        tool = self._tools.get(code)
        if tool is None:
            tool = self._tools[code] = language_tool_python.LanguageTool(code)
            tool.disabled_rules.update(self.disabled_rules)
        return tool

    def check(self, text: str, language: str) -> GrammarCheck:
        if not self._breaker.allow():
            return GrammarCheck(checked=False, reason=self._breaker.reason)
        try:
            target = self._resolve()
            code = LANGUAGE_CODES[language]
            matches = self._matches(target, code, text)
            missing = None if self._has_our_rules(target, language) else target
        except LanguageToolStarting as exc:  # not a failure: the next check may find it up
            self._breaker.released()
            return GrammarCheck(checked=False, reason=exc.reason)
        except LanguageToolUnavailable as exc:
            return self._failed(exc.reason)
        except Exception as exc:  # noqa: BLE001 - requests and the library raise several kinds
            log.warning("LanguageTool check failed: %s", exc)
            return self._failed(_plain_reason(exc, self.settings.check_timeout))
        self._breaker.succeeded()
        return GrammarCheck(checked=True, matches=tuple(_convert(m) for m in matches), without_our_rules=missing)

    def _matches(self, target: str, code: str, text: str) -> list:
        if target == "download":
            with _match_lock:
                return self._downloaded_tool(code).check(text)
        return self._query(target, code, text)

    def _has_our_rules(self, target: str, language: str) -> bool:
        """Our rules are Dutch: for nl, check once per server that one of their examples is
        flagged by them (a server someone else runs, or one started before the rules existed,
        has none). Rules switched off on purpose (`disabled_rules`) count as present."""
        from scoring.languagetool_rules import RULE_PREFIX, probe_example

        if language != "nl" or self.disabled_rules:
            return True
        if target not in self._our_rules:
            found = self._matches(target, LANGUAGE_CODES["nl"], probe_example().text)
            self._our_rules[target] = any(m.rule_id.startswith(RULE_PREFIX) for m in found)
        return self._our_rules[target]

    def _query(self, base_url: str, code: str, text: str) -> list:
        import language_tool_python

        data = {"language": code, "text": text}
        if self.disabled_rules:
            data["disabledRules"] = ",".join(sorted(self.disabled_rules))
        answer = _check_over_http(base_url, data, self.settings.check_timeout)
        with _match_lock:
            return [language_tool_python.Match(match, text) for match in answer]

    def _failed(self, reason: OffReason) -> GrammarCheck:
        self._breaker.failed(reason)
        if self._local is not None and not self.settings.url and self._local.jars_present():
            self._restart_local_in_background()
        return GrammarCheck(checked=False, reason=reason)

    def _restart_local_in_background(self) -> None:
        """Our own server may have died: start it again without keeping a trainee waiting
        (checks meanwhile wait at most `start_wait`)."""
        self._current_resolution(again=True)

    def wait_until_ready(self, timeout: float | None = None) -> str:
        """Wait (up to `timeout`, else `start_timeout`) for the server to be found or started;
        for the command line and benches, which would rather wait than score without it.
        Returns the server's URL, 'download', or 'off: <why>'."""
        if not self._url:
            self._current_resolution().done.wait(self.settings.start_timeout if timeout is None else timeout)
        try:
            return self._resolve()
        except LanguageToolUnavailable as exc:
            return f"off: {exc}"

    def close(self) -> None:
        self._tools.clear()


def _plain_reason(exc: Exception, deadline: float) -> OffReason:
    if isinstance(exc, TimeoutError):
        return did_not_answer(deadline)
    if isinstance(exc, (ConnectionError, http.client.HTTPException, OSError)):
        return OffReason.of("unreachable")
    return OffReason.of("failed", detail=str(exc))


class LanguageToolFailed(RuntimeError):
    """The server answered, but not with a check result."""


_sent_hook = threading.local()


@contextmanager
def signalling_sent(sent: threading.Event) -> Iterator[None]:
    """Checks run inside this block set `sent` as soon as their request has left, and it is set
    when the block ends whatever happened. The pipeline waits for it before its own CPU-bound
    work takes the GIL, so the request travels while the dimensions run."""
    _sent_hook.event = sent
    try:
        yield
    finally:
        _sent_hook.event = None
        sent.set()


def _request_sent() -> None:
    event = getattr(_sent_hook, "event", None)
    if event is not None:
        event.set()


def _check_over_http(base_url: str, data: dict, deadline: float) -> list:
    """POST /v2/check on a connection of its own; the matches of LanguageTool's answer.

    Plain http.client: its request leaves after ~0.1 ms of Python (see `signalling_sent`). No
    keep-alive: LanguageTool's server answers a reused connection ~40 ms late (measured here:
    1-3 ms per check on fresh connections, 44 ms on a kept one)."""
    parts = urllib.parse.urlsplit(base_url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=min(2.0, deadline))
    try:
        connection.connect()
        connection.sock.settimeout(deadline)
        connection.request("POST", parts.path.rstrip("/") + "/v2/check", body=urllib.parse.urlencode(data),
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
        _request_sent()
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise LanguageToolFailed(f"HTTP {response.status}: {payload[:200].decode(errors='replace')}")
    return json.loads(payload)["matches"]


def _convert(match) -> GrammarMatch:
    category = getattr(match, "category", "") or ""
    rule_issue = getattr(match, "rule_issue_type", "") or getattr(match, "ruleIssueType", "") or ""
    return GrammarMatch(
        rule=match.rule_id,
        category=category,
        offset=match.offset,
        length=match.error_length,
        message=match.message,
        replacements=tuple(match.replacements[:5]),
        is_spelling=category == "TYPOS" or rule_issue == "misspelling",
    )


_default: GrammarChecker | None = None
_default_lock = threading.Lock()


def default_checker() -> GrammarChecker:
    """One checker per process, created on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = GrammarChecker()
        return _default
