"""The HTTP server: Slack events, a health check and the local playground."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from bot.settings import Settings
from storage.db import get_engine, session_scope

logger = logging.getLogger(__name__)

PLAYGROUND_PAGE = Path(__file__).with_name("static") / "playground.html"


class PlaygroundQuestion(BaseModel):
    text: str
    user: str


def create_server(settings: Settings) -> FastAPI:
    """The FastAPI app; Slack routes exist only when Slack is configured."""
    server = FastAPI(title="Quote Builder Pro", docs_url=None, redoc_url=None)
    database_url = settings.database_url

    @server.get("/healthz")
    def healthz() -> dict:
        with get_engine(database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "slack": settings.slack_enabled}

    @server.get("/", response_class=HTMLResponse)
    def playground() -> str:
        return PLAYGROUND_PAGE.read_text(encoding="utf-8")

    @server.post("/playground/ask")
    def playground_ask(question: PlaygroundQuestion) -> dict:
        return _playground_answer(database_url, question)

    if settings.slack_enabled:
        _mount_slack(server, settings)
    return server


def _mount_slack(server: FastAPI, settings: Settings) -> None:
    from slack_bolt.adapter.starlette.handler import (
        to_bolt_request,
        to_starlette_response,
    )

    from bot.slack.app import create_app

    settings.require_http_mode()
    bolt_app = create_app(settings)

    @server.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)


def _playground_answer(database_url: str, question: PlaygroundQuestion) -> dict:
    from bot.answer import answer
    from bot.render import to_blocks, to_text
    from tools.errors import ToolError
    from tools.people import requester_by_email

    try:
        with session_scope(database_url) as session:
            requester = requester_by_email(session, question.user)
            result = answer(session, requester, question.text, surface="playground")
    except ToolError as error:
        raise HTTPException(status_code=403, detail=str(error)) from error
    blocks = to_blocks(result)
    if result.chart is not None:
        blocks.append(_inline_image(result.chart))
    return {"text": to_text(result), "blocks": blocks}


def _inline_image(chart) -> dict:
    """An image block carrying the chart itself, for the playground only."""
    import base64

    from bot.render.charts import render_chart

    png = base64.b64encode(render_chart(chart)).decode("ascii")
    return {
        "type": "image",
        "image_url": f"data:image/png;base64,{png}",
        "alt_text": chart.alt_text,
        "title": {"type": "plain_text", "text": chart.title},
    }


def run_server(settings: Settings, host: str, port: int) -> None:
    """Serve until stopped."""
    import uvicorn

    from bot.nlu.classifier import warm_up_in_background

    server = create_server(settings)
    warm_up_in_background()
    uvicorn.run(server, host=host, port=port, log_config=None)
