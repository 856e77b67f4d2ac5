"""The HTTP server: Slack events, a health check and the local playground."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from bot.playground import mount_playground
from bot.settings import Settings
from storage.db import get_engine

logger = logging.getLogger(__name__)


def create_server(settings: Settings) -> FastAPI:
    """The FastAPI app: Slack routes when Slack is configured, else the playground.

    The playground asks as whoever is picked, with no sign-in, so it is never
    served beside a real Slack workspace.
    """
    server = FastAPI(title="Quote Builder Pro", docs_url=None, redoc_url=None)
    database_url = settings.database_url

    @server.get("/healthz")
    def healthz() -> dict:
        with get_engine(database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "slack": settings.slack_enabled}

    if settings.slack_enabled:
        _mount_slack(server, settings)
    else:
        mount_playground(server, database_url)
    return server


def _mount_slack(server: FastAPI, settings: Settings) -> None:
    from slack_bolt.adapter.starlette.handler import (
        to_bolt_request,
        to_starlette_response,
    )

    from bot.slack.app import create_app

    settings.require_http_mode()
    bolt_app = create_app(settings)
    if settings.oauth_enabled:
        from bot.slack.oauth import mount_install_routes

        mount_install_routes(server, bolt_app)

    @server.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)


def run_server(settings: Settings, host: str, port: int) -> None:
    """Serve until stopped."""
    import uvicorn

    from bot.nlu.classifier import warm_up_in_background

    server = create_server(settings)
    warm_up_in_background()
    scheduler = _start_scheduler(settings)
    try:
        uvicorn.run(server, host=host, port=port, log_config=None)
    finally:
        if scheduler is not None:
            scheduler.stop()


def _start_scheduler(settings: Settings):
    """Scheduled reports go out from the server when Slack is configured."""
    if not settings.slack_enabled:
        return None
    from bot.slack.scheduler import start_scheduler

    return start_scheduler(settings)
