"""Every reply leaves the bot through here: answers, charts and errors."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.render.blocks import fallback_text, to_blocks
from bot.render.charts import render_chart
from tools.results import ToolResult

SORRY = (
    "Sorry, something went wrong on my side while answering that. "
    "It has been logged; please try again in a minute."
)


def post_result(
    client: WebClient, channel: str, thread_ts: str | None, result: ToolResult
) -> str:
    """Post the answer in the thread, then its chart as a PNG file beside it.

    Returns the answer message's ``ts``.
    """
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=fallback_text(result),
        blocks=to_blocks(result),
    )
    if result.chart is not None:
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=render_chart(result.chart),
            filename=f"{result.intent}.png",
            title=result.chart.title,
            alt_txt=result.chart.alt_text,
        )
    return response["ts"]


def post_blocks(
    client: WebClient,
    channel: str,
    thread_ts: str | None,
    text: str,
    blocks: list[dict],
) -> str:
    """Post a message of ready-made blocks; returns its ``ts``."""
    response = client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=text, blocks=blocks
    )
    return response["ts"]


def update_blocks(
    client: WebClient, channel: str, ts: str, text: str, blocks: list[dict]
) -> None:
    """Replace a message the bot posted."""
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def post_ephemeral(
    client: WebClient, channel: str, user: str, text: str, thread_ts: str | None = None
) -> None:
    """A sentence only ``user`` sees, for refusals and errors."""
    client.chat_postEphemeral(
        channel=channel, user=user, text=text, thread_ts=thread_ts
    )


def open_view(client: WebClient, trigger_id: str, view: dict) -> dict:
    """Open a modal; returns the view Slack made (with its ``id``)."""
    return client.views_open(trigger_id=trigger_id, view=view)["view"]


def update_view(client: WebClient, view_id: str, view: dict) -> None:
    client.views_update(view_id=view_id, view=view)


def publish_home(client: WebClient, user_id: str, view: dict) -> None:
    """Publish ``user_id``'s App Home tab."""
    client.views_publish(user_id=user_id, view=view)


def upload_file(
    client: WebClient,
    channel: str,
    thread_ts: str | None,
    content: bytes,
    filename: str,
    title: str,
    alt_text: str | None = None,
) -> None:
    """Upload a file (chart PNG, quote PDF) into the thread."""
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        content=content,
        filename=filename,
        title=title,
        alt_txt=alt_text,
    )
