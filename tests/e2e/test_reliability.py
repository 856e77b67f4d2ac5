"""Every reply arrives once, in its thread, in a shape Slack accepts.

Requests go to the real server over signed HTTP; what the bot posted is read
back from the emulator.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.slack.delivery import PROGRESS
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.slack_wire import signed_headers
from tests.e2e.test_slack_answers import all_text, bot_replies, deliver, mention

pytestmark = pytest.mark.e2e

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def settled_replies(bot_client, channel: str, ts: str, count: int) -> list[dict]:
    """The thread's replies once ``count`` answers are in, and a second later."""
    replies = bot_replies(bot_client, channel, ts)
    deadline = time.monotonic() + 60
    while len(replies) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        replies = bot_replies(bot_client, channel, ts, wait=0)
    time.sleep(1.0)
    return bot_replies(bot_client, channel, ts, wait=0)


def ask(server_url, emulator_url, bot_client, name, question, count=1):
    """``name`` mentions the bot once; the thread's ``count`` replies and its ts."""
    body, channel, ts = mention(emulator_url, bot_client, name, question)
    deliver(server_url, body)
    return settled_replies(bot_client, channel, ts, count), ts


def test_an_event_and_its_retry_arriving_together_are_answered_once(
    server_url, emulator_url, bot_client
):
    body, channel, ts = mention(
        emulator_url, bot_client, "alex.rivera", "<@U0QUOTEBOT> churn risk list"
    )

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(deliver, server_url, body)
        retry = pool.submit(deliver, server_url, body, RETRY)
        statuses = (first.result().status_code, retry.result().status_code)

    assert statuses == (200, 200)
    replies = settled_replies(bot_client, channel, ts, 1)
    assert len(replies) == 1
    assert "Alex Slipping Ltd" in all_text(replies[0])


def test_a_retry_after_the_answer_is_posted_adds_nothing(
    server_url, emulator_url, bot_client
):
    body, channel, ts = mention(
        emulator_url, bot_client, "priya.nair", "<@U0QUOTEBOT> churn risk list"
    )
    deliver(server_url, body)
    bot_replies(bot_client, channel, ts)

    retries = [
        deliver(server_url, body, RETRY | {"X-Slack-Retry-Num": n}) for n in "12"
    ]

    assert [r.status_code for r in retries] == [200, 200]
    assert len(settled_replies(bot_client, channel, ts, 1)) == 1


def test_the_progress_line_is_replaced_by_the_answer_in_the_same_message(
    server_url, emulator_url, bot_client
):
    question = "<@U0QUOTEBOT> what's my churn risk"

    [reply], ts = ask(server_url, emulator_url, bot_client, "alex.rivera", question)

    assert reply["thread_ts"] == ts
    assert "edited" in reply
    assert PROGRESS not in all_text(reply)
    assert "Alex Slipping Ltd" in all_text(reply)


def test_a_refusal_replaces_the_progress_line_with_one_sentence(
    server_url, emulator_url, bot_client
):
    question = "<@U0QUOTEBOT> churn risk list"

    [reply], _ = ask(server_url, emulator_url, bot_client, "casey.stranger", question)

    assert "edited" in reply
    assert "not set up as a sales rep" in reply["text"]


def test_a_chart_comes_as_a_png_with_its_data_as_a_table_beside_it(
    server_url, emulator_url, bot_client
):
    question = "<@U0QUOTEBOT> forecast next month"

    (answer, upload), ts = ask(
        server_url, emulator_url, bot_client, "dana.whitfield", question, count=2
    )

    assert "```\nweek" in all_text(answer)
    [chart] = upload["files"]
    assert chart["name"].endswith(".png")
    assert upload["thread_ts"] == ts


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: signed_headers("the-wrong-secret", body) | RETRY,
        lambda body: signed_headers(
            SIGNING_SECRET, body, timestamp=int(time.time()) - 301
        ),
    ],
    ids=["retry-with-wrong-secret", "just-over-five-minutes-old"],
)
def test_badly_signed_deliveries_are_refused_even_as_retries(
    server_url, emulator_url, bot_client, headers
):
    body, channel, ts = mention(
        emulator_url, bot_client, "alex.rivera", "<@U0QUOTEBOT> churn risk list"
    )

    response = httpx.post(
        f"{server_url}/slack/events", content=body, headers=headers(body)
    )

    assert response.status_code == 401
    time.sleep(1.0)
    assert bot_replies(bot_client, channel, ts, wait=0) == []
