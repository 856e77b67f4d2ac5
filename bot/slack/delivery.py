"""Every reply leaves the bot through here: answers, charts, progress and errors.

Each function fits its blocks or view inside Slack's limits
(``bot.render.limits``) before sending, so no reply is ever rejected for its
size. A chart goes up as a PNG file in the thread, with alt text, and its
numbers go in the message as a text table for search and screen readers.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.blocks import fallback_text, to_blocks
from bot.render.charts import render_chart
from bot.render.kit import context, section
from bot.render.limits import (
    FILE_ALT_TEXT_MAX,
    MESSAGE_TEXT_MAX,
    SECTION_TEXT_MAX,
    cut_text,
    fit_message,
    fit_view,
)
from bot.render.tables import chart_table
from tools.results import Chart, ToolResult

logger = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side while answering that. "
    "It has been logged; please try again in a minute."
)
PROGRESS = ":hourglass_flowing_sand: Working on it…"
"""The acknowledgement a question gets in its thread while the answer is made."""
TABLE_TITLE_MAX = 200
"""A chart's title above its table is cut here, leaving the section to the rows."""


def post_result(
    client: WebClient, channel: str, thread_ts: str | None, result: ToolResult
) -> str:
    """Post the answer in the thread, then its chart as a PNG file beside it.

    Returns the answer message's ``ts``.
    """
    response = client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, **answer_message(result)
    )
    _upload_chart(client, channel, thread_ts, result)
    return response["ts"]


def post_progress(
    client: WebClient, channel: str, thread_ts: str | None, text: str = PROGRESS
) -> str:
    """Acknowledge a question in its thread at once; returns the ``ts`` to replace."""
    return post_blocks(client, channel, thread_ts, text, [context(text)])


def replace_with_result(
    client: WebClient,
    channel: str,
    ts: str,
    thread_ts: str | None,
    result: ToolResult,
) -> None:
    """Turn the progress message ``ts`` into the answer; the chart follows it.

    Should Slack refuse the answer, the progress message becomes ``SORRY``
    rather than stay "working" forever.
    """
    try:
        client.chat_update(channel=channel, ts=ts, **answer_message(result))
    except SlackApiError:
        logger.exception("replacing the progress message with the answer failed")
        update_blocks(client, channel, ts, SORRY, [section(SORRY)])
        return
    _upload_chart(client, channel, thread_ts, result)


def post_blocks(
    client: WebClient,
    channel: str,
    thread_ts: str | None,
    text: str,
    blocks: list[dict],
) -> str:
    """Post a message of ready-made blocks; returns its ``ts``."""
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=_fit_text(text),
        blocks=fit_message(blocks),
    )
    return response["ts"]


def update_blocks(
    client: WebClient, channel: str, ts: str, text: str, blocks: list[dict]
) -> None:
    """Replace a message the bot posted."""
    client.chat_update(
        channel=channel, ts=ts, text=_fit_text(text), blocks=fit_message(blocks)
    )


def post_ephemeral(
    client: WebClient, channel: str, user: str, text: str, thread_ts: str | None = None
) -> None:
    """A sentence only ``user`` sees, for refusals and errors."""
    client.chat_postEphemeral(
        channel=channel, user=user, text=_fit_text(text), thread_ts=thread_ts
    )


def open_view(client: WebClient, trigger_id: str, view: dict) -> dict:
    """Open a modal; returns the view Slack made (with its ``id``)."""
    return client.views_open(trigger_id=trigger_id, view=fit_view(view))["view"]


def update_view(client: WebClient, view_id: str, view: dict) -> None:
    client.views_update(view_id=view_id, view=fit_view(view))


def publish_home(client: WebClient, user_id: str, view: dict) -> None:
    """Publish ``user_id``'s App Home tab."""
    client.views_publish(user_id=user_id, view=fit_view(view))


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
        alt_txt=cut_text(alt_text, FILE_ALT_TEXT_MAX) if alt_text else None,
    )


def answer_message(result: ToolResult) -> dict:
    """The ``text`` and ``blocks`` of an answer, its chart's table under the summary.

    The playground shows answers with it too, so both read the same.
    """
    blocks = to_blocks(result)
    if result.chart is not None:
        table = _chart_table_block(result.chart)
        if table is not None:
            blocks.insert(1, table)
    return {"text": _fit_text(fallback_text(result)), "blocks": fit_message(blocks)}


def _chart_table_block(chart: Chart) -> dict | None:
    title = f"_{cut_text(chart.title, TABLE_TITLE_MAX)}_\n"
    table = chart_table(chart, SECTION_TEXT_MAX - len(title))
    return None if table is None else section(title + table)


def _upload_chart(
    client: WebClient, channel: str, thread_ts: str | None, result: ToolResult
) -> None:
    """Upload the chart; should that fail, the answer's table still holds its data."""
    if result.chart is None:
        return
    try:
        upload_file(
            client,
            channel,
            thread_ts,
            render_chart(result.chart),
            f"{result.intent}.png",
            result.chart.title,
            result.chart.alt_text,
        )
    except Exception:
        logger.exception("uploading the %s chart failed", result.intent)


def _fit_text(text: str) -> str:
    return cut_text(text, MESSAGE_TEXT_MAX)
