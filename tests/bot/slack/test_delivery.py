import json
import logging

import pytest

from bot.render.limits import violations
from bot.slack import delivery
from bot.slack.clients import web_client
from tools.results import Action, Chart, Column, ToolResult

CHANNEL, THREAD = "C0SALES", "1700000000.000100"


@pytest.fixture
def client(fake_slack):
    return web_client("xoxb-test", fake_slack.url)


def churn_list(rows: int, chart: Chart | None = None) -> ToolResult:
    return ToolResult(
        intent="churn_risk_list",
        summary=f"{rows} accounts are slipping.",
        columns=(Column("rank", "#"), Column("customer", "Account")),
        rows=tuple({"rank": i, "customer": f"Account {i}"} for i in range(rows)),
        actions=(Action("Why? " * 30, "churn_explain", "x" * 3000),),
        chart=chart,
    )


def risk_bars(
    count: int, alt_text: str = "Bar chart of the riskiest accounts."
) -> Chart:
    return Chart(
        kind="bars",
        title="Chance of no order in the next 90 days",
        alt_text=alt_text,
        data={
            "labels": [f"Account {i}" for i in range(count)],
            "values": [0.9 - i / (2 * count) for i in range(count)],
            "format": "percent",
        },
    )


def blocks_sent(call: dict) -> list[dict]:
    blocks = call["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def test_a_long_answer_reaches_slack_within_every_block_kit_limit(client, fake_slack):
    delivery.post_result(client, CHANNEL, THREAD, churn_list(300))

    [call] = fake_slack.called("chat.postMessage")
    assert call["thread_ts"] == THREAD
    assert violations(blocks_sent(call)) == []


def test_a_chart_is_uploaded_into_the_thread_as_a_png_with_its_alt_text(
    client, fake_slack
):
    delivery.post_result(client, CHANNEL, THREAD, churn_list(3, risk_bars(3)))

    [upload] = fake_slack.called("files.getUploadURLExternal")
    [shared] = fake_slack.called("files.completeUploadExternal")
    assert upload["filename"] == "churn_risk_list.png"
    assert upload["alt_txt"] == "Bar chart of the riskiest accounts."
    assert (shared["channel_id"], shared["thread_ts"]) == (CHANNEL, THREAD)


def test_the_answer_beside_a_chart_holds_its_data_as_a_text_table(client, fake_slack):
    delivery.post_result(client, CHANNEL, THREAD, churn_list(3, risk_bars(3)))

    [call] = fake_slack.called("chat.postMessage")
    table = blocks_sent(call)[1]["text"]["text"]
    assert table.startswith("_Chance of no order in the next 90 days_\n```")
    assert "Account 0  90%" in table


def test_a_chart_with_many_bars_keeps_its_table_within_a_section(client, fake_slack):
    delivery.post_result(client, CHANNEL, THREAD, churn_list(3, risk_bars(500)))

    [call] = fake_slack.called("chat.postMessage")
    table = blocks_sent(call)[1]["text"]["text"]
    assert "more\n```" in table
    assert violations(blocks_sent(call)) == []


def test_alt_text_longer_than_slack_takes_is_cut(client, fake_slack):
    chart = risk_bars(3, alt_text="A very long description. " * 100)

    delivery.post_result(client, CHANNEL, THREAD, churn_list(3, chart))

    [upload] = fake_slack.called("files.getUploadURLExternal")
    assert len(upload["alt_txt"]) == 1000


def test_a_chart_that_cannot_be_drawn_leaves_the_answer_and_logs_why(
    client, fake_slack, caplog
):
    chart = Chart(kind="pie", title="Share", alt_text="Pie.", data={})

    with caplog.at_level(logging.ERROR):
        delivery.post_result(client, CHANNEL, THREAD, churn_list(3, chart))

    assert len(fake_slack.called("chat.postMessage")) == 1
    assert fake_slack.called("files.getUploadURLExternal") == []
    assert "uploading the churn_risk_list chart failed" in caplog.text
    assert caplog.records[-1].exc_info is not None


def test_progress_is_posted_in_the_thread_and_then_replaced_by_the_answer(
    client, fake_slack
):
    ts = delivery.post_progress(client, CHANNEL, THREAD)
    delivery.replace_with_result(client, CHANNEL, ts, THREAD, churn_list(2))

    [progress] = fake_slack.called("chat.postMessage")
    [update] = fake_slack.called("chat.update")
    assert (progress["thread_ts"], progress["text"]) == (THREAD, delivery.PROGRESS)
    assert (update["ts"], update["text"]) == (ts, "2 accounts are slipping.")


def test_an_answer_slack_refuses_turns_the_progress_message_into_the_apology(
    client, fake_slack
):
    fake_slack.answer_next("chat.update", 200, {"ok": False, "error": "invalid_blocks"})

    delivery.replace_with_result(client, CHANNEL, "1.2", THREAD, churn_list(2))

    assert [call["text"] for call in fake_slack.called("chat.update")] == [
        "2 accounts are slipping.",
        delivery.SORRY,
    ]


def test_views_are_fitted_before_they_are_opened(client, fake_slack):
    view = {
        "type": "modal",
        "title": {
            "type": "plain_text",
            "text": "A title far longer than a modal takes",
        },
        "blocks": [{"type": "divider"}] * 150,
    }

    delivery.open_view(client, "trigger", view)

    [call] = fake_slack.called("views.open")
    sent = json.loads(call["view"]) if isinstance(call["view"], str) else call["view"]
    assert violations(sent) == []
