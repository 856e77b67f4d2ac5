"""How fast the Slack surfaces answer, through the real server and the emulator.

Builds a demo store, starts the ``emulate`` Slack Web API emulator and
``quotebot serve`` exactly as the end-to-end tests do, then sends signed
requests as Slack would and times:

- the HTTP acknowledgement of a mention, a slash command and a button press
  (Slack gives up after 3 seconds);
- from a mention to the progress line in its thread, and to the answer that
  replaces it ("what's my churn risk list", as a rep);
- from ``/churn`` to its answer in the channel;
- how many replies one event gets when Slack delivers it twice at once.

The first mention, which waits for the intent classifier to warm up, is
reported on its own. Run with ``python -m bench.bench_slack [--runs N]``;
it needs the emulator (``npm ci --prefix tests/e2e/emulator``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from slack_sdk import WebClient

from bench.stores import demo_store
from bench.timing import p50_p95, runs_argument, timed_with_result
from bot.slack.delivery import PROGRESS
from tests.e2e.conftest import (
    BOT_TOKEN,
    EMULATOR,
    EMULATOR_DIR,
    SEED,
    SIGNING_SECRET,
    emulating,
    free_port,
    serving,
    user_client,
)
from tests.e2e.slack_wire import (
    app_mention,
    signed_form_headers,
    signed_headers,
    slash_command,
)

QUESTION = "<@U0QUOTEBOT> what's my churn risk list"
REP = "alex.rivera"
WAIT = 60.0


class Rig:
    """The emulator and the server, and how to talk to them as Slack."""

    def __init__(self, emulator_url: str, server_url: str) -> None:
        self.server_url = server_url
        self.bot = WebClient(token=BOT_TOKEN, base_url=emulator_url)
        self.person = user_client(emulator_url, REP)
        user = self.bot.users_lookupByEmail(email=f"{REP}@example.com")
        self.user_id = user["user"]["id"]
        channels = self.bot.conversations_list()["channels"]
        self.channel = next(c["id"] for c in channels if c["name"] == "sales")

    def mention(self) -> tuple[str, str]:
        """Post the question as the rep; the event body and the message's ts."""
        ts = self.person.chat_postMessage(channel=self.channel, text=QUESTION)["ts"]
        return app_mention(self.user_id, self.channel, QUESTION, ts), ts

    def deliver_event(self, body: str) -> float:
        """Seconds until the server acknowledged the signed event."""
        return self._acked(body, signed_headers(SIGNING_SECRET, body))

    def deliver_command(self, command: str) -> float:
        """Seconds until the server acknowledged the rep's slash command."""
        body = slash_command(command, "", self.user_id, self.channel, "bench.trigger")
        return self._acked(body, signed_form_headers(SIGNING_SECRET, body))

    def _acked(self, body: str, headers: dict) -> float:
        url = f"{self.server_url}/slack/events"
        response, seconds = timed_with_result(
            lambda: httpx.post(url, content=body, headers=headers)
        )
        response.raise_for_status()
        return seconds

    def replies(self, ts: str) -> list[dict]:
        messages = self.bot.conversations_replies(channel=self.channel, ts=ts)
        return [m for m in messages["messages"] if m["ts"] != ts]

    def latest_ts(self) -> str:
        history = self.bot.conversations_history(channel=self.channel, limit=1)
        return history["messages"][0]["ts"]


def until(found, started: float) -> float:
    """Seconds from ``started`` until ``found()`` is true (polling every 20 ms)."""
    deadline = time.monotonic() + WAIT
    while not found():
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing arrived within {WAIT:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def time_mention(rig: Rig) -> tuple[float, float, float]:
    """Ack, progress line and answer of one mention, in seconds."""
    body, ts = rig.mention()
    started = time.perf_counter()
    ack = rig.deliver_event(body)
    progress = until(lambda: rig.replies(ts), started)
    answered = until(
        lambda: any(m.get("text") != PROGRESS for m in rig.replies(ts)), started
    )
    return ack, progress, answered


def time_command(rig: Rig) -> tuple[float, float]:
    """Ack and answer of one ``/churn``, in seconds."""
    before = rig.latest_ts()
    started = time.perf_counter()
    ack = rig.deliver_command("/churn")
    answered = until(lambda: rig.latest_ts() != before, started)
    return ack, answered


def replies_to_a_doubled_event(rig: Rig) -> int:
    """Deliver one event twice at the same moment; count the answers."""
    body, ts = rig.mention()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(rig.deliver_event, [body, body]))
    until(lambda: rig.replies(ts), time.perf_counter())
    time.sleep(3.0)  # room for a second answer, were there one
    return len(rig.replies(ts))


def report(label: str, seconds: list[float]) -> None:
    print(f"{label:32} {p50_p95(seconds, 6)}   ({len(seconds)} runs)")


def main() -> None:
    runs = runs_argument(__doc__.splitlines()[0])
    if not EMULATOR.exists():
        sys.exit(f"the emulator is missing: npm ci --prefix {EMULATOR_DIR}")

    with tempfile.TemporaryDirectory() as folder:
        store, logs = demo_store(folder), Path(folder)
        with emulating(free_port(), SEED, _log_dir(logs / "emulator")) as api_url:
            env = {
                "DATABASE_URL": store,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": api_url,
                "SCHEDULER_ENABLED": "false",
            }
            with serving(free_port(), env, _log_dir(logs / "server")) as server_url:
                _measure(Rig(api_url, server_url), runs)


def _measure(rig: Rig, runs: int) -> None:
    ack, progress, answered = time_mention(rig)
    print(
        f"first mention                    ack {ack * 1000:.0f} ms, progress "
        f"{progress * 1000:.0f} ms, answer {answered * 1000:.0f} ms"
    )
    mentions = [time_mention(rig) for _ in range(runs)]
    report("mention: ack", [m[0] for m in mentions])
    report("mention: progress line", [m[1] for m in mentions])
    report("mention: answer", [m[2] for m in mentions])
    commands = [time_command(rig) for _ in range(runs)]
    report("/churn: ack", [c[0] for c in commands])
    report("/churn: answer", [c[1] for c in commands])
    print(f"event delivered twice at once    {replies_to_a_doubled_event(rig)} reply")


def _log_dir(path: Path) -> Path:
    path.mkdir()
    return path


if __name__ == "__main__":
    main()
