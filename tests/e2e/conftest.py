"""The Slack Web API emulator and the server, each in its own process.

The server runs exactly as in production (``quotebot serve``) with its Web
API base URL pointed at the emulator; tests speak to it only through signed
HTTP requests and read its replies back from the emulator.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from slack_sdk import WebClient

from storage.db import session_scope, upgrade
from tests.conftest import STRICT_VARIABLE, strict
from tests.factories import make_book, make_product, make_team

EMULATOR_DIR = Path(__file__).with_name("emulator")
EMULATOR = EMULATOR_DIR / "node_modules" / ".bin" / "emulate"
SEED = EMULATOR_DIR / "slack_seed.yaml"
BOT_TOKEN = "xoxb-test-quotebot"
SIGNING_SECRET = "e2e-signing-secret"
TODAY = dt.date(2026, 6, 30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} was not ready after {timeout} seconds")


@contextmanager
def running(command: list[str], log_dir: Path, **options) -> Iterator[None]:
    """Run ``command`` in the background, its output in ``log_dir``, until exit."""
    with (log_dir / "output.log").open("w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, **options
        )
        try:
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def emulating(port: int, seed: Path, log_dir: Path) -> Iterator[str]:
    """The emulator on ``port``, seeded from ``seed``; its API URL once it answers."""
    command = [str(EMULATOR), "start", "-s", "slack", "-p", str(port)]
    url = f"http://127.0.0.1:{port}/api/"
    auth = {"Authorization": f"Bearer {BOT_TOKEN}"}
    with running([*command, "--seed", str(seed)], log_dir, cwd=EMULATOR_DIR):
        wait_until(
            lambda: httpx.post(url + "auth.test", headers=auth).status_code == 200,
            "emulator",
        )
        yield url


@contextmanager
def serving(port: int, env: dict[str, str], log_dir: Path) -> Iterator[str]:
    """``quotebot serve`` on ``port`` with ``env`` set; its URL once it is healthy."""
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(command, log_dir, env=dict(os.environ, **env)):
        wait_until(lambda: httpx.get(url + "/healthz").status_code == 200, "server", 60)
        yield url


@pytest.fixture(scope="session")
def emulator_url(tmp_path_factory):
    if not EMULATOR.exists():
        message = (
            f"the Slack emulator is not installed; run `npm ci --prefix {EMULATOR_DIR}`"
        )
        if strict():
            pytest.fail(f"{STRICT_VARIABLE}=1: {message}")
        pytest.skip(message)
    with emulating(free_port(), SEED, tmp_path_factory.mktemp("emulator")) as url:
        yield url


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> str:
    """Dana manages Alex and Priya, who each own a slipping and a healthy account.

    Two products (SKUs ``GATEWAY-HUB`` and ``ANALYTICS-SUITE``) can be quoted.
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        make_book(session, TODAY, make_team(session))
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software")
    return url


@pytest.fixture(scope="session")
def server_url(emulator_url, store, tmp_path_factory):
    env = {
        "DATABASE_URL": store,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": emulator_url,
    }
    with serving(free_port(), env, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def bot_client(emulator_url) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=emulator_url)


def user_client(emulator_url: str, name: str) -> WebClient:
    return WebClient(token=f"xoxp-test-{name}", base_url=emulator_url)
