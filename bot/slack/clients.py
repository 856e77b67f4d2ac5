"""The one way the bot builds a Slack Web API client.

Every client waits out Slack's rate limits (HTTP 429) for as long as its
``Retry-After`` header asks and tries again, and retries a dropped
connection, so a busy workspace slows replies down instead of losing them.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.settings import SLACK_DEFAULT_API_URL

RATE_LIMIT_RETRIES = 2
CONNECTION_RETRIES = 2


def web_client(
    token: str | None = None, base_url: str = SLACK_DEFAULT_API_URL
) -> WebClient:
    """A ``WebClient`` for ``token`` at ``base_url`` that retries politely."""
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ],
    )
