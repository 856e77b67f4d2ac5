"""The Bolt app: one store, one Web API client, every surface's listeners.

Listeners ack at once and hand the work to lazy functions (Bolt runs them on
its thread pool), so Slack's 3 seconds hold whatever the model does.
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse

from bot.settings import Settings
from bot.slack import commands, home, messages, quote_cards, quote_modal
from bot.slack.clients import web_client
from bot.slack.failures import on_error, report_lazy_failures
from bot.slack.oauth import bot_token, oauth_settings
from bot.slack.retries import EventLedger
from bot.slack.scheduler import start_scheduler

logger = logging.getLogger(__name__)

SURFACES = (home, messages, commands, quote_modal, quote_cards)
"""Modules with a ``register(app, settings)`` that adds their listeners."""


def create_app(settings: Settings) -> App:
    """A Bolt app wired to the store and to the Web API at ``SLACK_API_URL``."""
    client = web_client(bot_token(settings), settings.slack_api_url)
    secret = settings.slack_signing_secret
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        oauth_settings=oauth_settings(settings) if settings.oauth_enabled else None,
    )
    app.error(on_error)
    ledger = EventLedger(settings.database_url)

    @app.middleware
    def skip_duplicate_events(body, req, next):
        """Act once per Slack event id, whatever Slack retries.

        The id is taken before the listener acks, so a retry that arrives
        while the first delivery is still being answered is ignored too.
        """
        event_id = body.get("event_id")
        if event_id and not ledger.first_delivery(event_id):
            logger.info(
                "ignoring repeated delivery of event %s (retry %s, %s)",
                event_id,
                _header(req, "x-slack-retry-num"),
                _header(req, "x-slack-retry-reason"),
            )
            return BoltResponse(status=200, body="")
        return next()

    for surface in SURFACES:
        surface.register(app, settings)
    report_lazy_failures(app)
    return app


def _header(req, name: str) -> str | None:
    values = req.headers.get(name) or [None]
    return values[0]


def run_socket_mode(settings: Settings) -> None:
    """Serve the same app over a Socket Mode connection (blocks until stopped)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.nlu.classifier import warm_up_in_background

    settings.require_socket_mode()
    warm_up_in_background()
    scheduler = start_scheduler(settings)
    try:
        SocketModeHandler(
            create_app(settings), settings.slack_app_token.get_secret_value()
        ).start()
    finally:
        if scheduler is not None:
            scheduler.stop()
