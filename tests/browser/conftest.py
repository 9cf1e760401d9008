"""Browser fixtures: one real Streamlit server per test session, on a free port, with its own
fresh SQLite database (migrated with `webcare db upgrade`, filled with the demo team of
`webcare demo seed`, scored offline for speed: tests/browser/seed_app.py),
driven by Debian's Chromium through Playwright. No browser is downloaded.

Screenshots go to a temporary folder; set WEBCARE_SCREENSHOTS=docs/screenshots to refresh the
README's pictures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("WEBCARE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 900}  # the reviewers' laptop
DEMO_PASSWORD = "demo-wachtwoord"  # trainer.services.demo.DEMO_PASSWORD, as the README prints it
START_TIMEOUT = 60
SEED = ("3", "5", "7")  # trainees, weeks, random seed: the first trainee (the star) is certified
# A first run loads the language pipelines and a reply waits for LanguageTool: wait for
# elements that long, never sleep.
expect.set_options(timeout=30_000)


@dataclass
class RunningApp:
    url: str
    database_url: str
    manager: str
    trainees: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # e-mail -> full name
    certified: list[str] = field(default_factory=list)  # full names holding basic webcare
    password: str = DEMO_PASSWORD
    log: Path | None = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_cli(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([str(BIN / "webcare"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"webcare {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def start_streamlit(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "webcare"), "serve", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"streamlit did not answer /_stcore/health within {timeout} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
                    "Run `make browser` (apt-get install chromium fonts-noto-color-emoji).")
    return CHROMIUM


@pytest.fixture(scope="package")
def app(tmp_path_factory, chromium: Path) -> Iterator[RunningApp]:
    """The app as a newcomer runs it, on a fresh database with the demo team (after the
    Chromium check, so a missing browser fails at once)."""
    home = tmp_path_factory.mktemp("browser_app")
    database_url = f"sqlite:///{home / 'webcare.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Certificates print where they are checked: this very app.
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", "PUBLIC_BASE_URL": url}
    run_cli("db", "upgrade", env=env)
    seeded = subprocess.run([sys.executable, "-m", "tests.browser.seed_app", *SEED], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, f"seeding the demo team failed:\n{seeded.stdout}\n{seeded.stderr}"
    accounts = json.loads(seeded.stdout.strip().splitlines()[-1])
    log = home / "streamlit.log"
    process = start_streamlit(port, env, log)
    try:
        wait_healthy(url, process, log)
        yield RunningApp(url=url, database_url=database_url, manager=accounts["manager"],
                         trainees=accounts["trainees"], names=accounts["names"], certified=accounts["certified"],
                         log=log)
    finally:
        stop(process)


@pytest.fixture(scope="package")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_test_failed = report.failed


@pytest.fixture
def page(request, browser: Browser, tmp_path_factory) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="nl-NL")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    if getattr(request.node, "browser_test_failed", False):  # what the browser showed when it failed
        shot = tmp_path_factory.getbasetemp() / f"FAILED-{request.node.name}.png"
        tab.screenshot(path=str(shot))
        print(f"screenshot of the failure: {shot}")
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    chosen = os.environ.get("WEBCARE_SCREENSHOTS")
    folder = (ROOT / chosen) if chosen and not Path(chosen).is_absolute() else Path(chosen) if chosen else \
        tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
