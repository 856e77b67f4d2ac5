"""Installs in many workspaces through OAuth, one bot token per workspace.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, the Bolt app takes
its bot token per request from slack_sdk's SQLAlchemy installation store on
the app's own database (tables made by migration 0002), and serves
``/slack/install`` and ``/slack/oauth_redirect``. Without them the app runs in
one workspace with ``SLACK_BOT_TOKEN``. ``bot_client`` gives code outside a
request (the scheduler) the right workspace's client either way.
"""

from __future__ import annotations

from urllib.parse import urljoin

from fastapi import FastAPI, Request, Response
from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from starlette.concurrency import run_in_threadpool

from bot.settings import Settings
from bot.slack.clients import web_client
from storage.db import get_engine

BOT_SCOPES = (
    "app_mentions:read",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
    "users:read.email",
)
"""The bot scopes of ``slack_manifest.yaml``, asked for at install."""
STATE_EXPIRY_SECONDS = 600
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class WorkspaceNotInstalledError(Exception):
    """No bot token is known for the workspace a report or reply is meant for."""


def installation_store(settings: Settings) -> SQLAlchemyInstallationStore:
    """The SDK's installation store on the app's database."""
    return SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id, engine=get_engine(settings.database_url)
    )


def oauth_settings(settings: Settings) -> OAuthSettings:
    """Bolt's OAuth flow: scopes, stores, and Slack's authorize page.

    The install path redirects straight to Slack's authorize page; the state
    it carries is kept in the database, so any server process can finish it.
    """
    state_store = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRY_SECONDS,
        engine=get_engine(settings.database_url),
    )
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,
        authorization_url=authorize_url(settings.slack_api_url),
        installation_store=installation_store(settings),
        state_store=state_store,
    )


def authorize_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API: ``<host>/oauth/v2/authorize``."""
    return urljoin(api_url, "/oauth/v2/authorize")


def bot_client(settings: Settings, team_id: str | None) -> WebClient:
    """A Web API client with the bot token of ``team_id``'s workspace.

    Without OAuth every workspace is the one of ``SLACK_BOT_TOKEN``.
    """
    if not settings.oauth_enabled:
        return _client(settings, bot_token(settings))

    bot = installation_store(settings).find_bot(enterprise_id=None, team_id=team_id)
    if bot is None or not bot.bot_token:
        raise WorkspaceNotInstalledError(
            f"The app is not installed in workspace {team_id}; install it at "
            f"{INSTALL_PATH} from that workspace."
        )
    return _client(settings, bot.bot_token)


def bot_token(settings: Settings) -> str | None:
    """``SLACK_BOT_TOKEN``; None under OAuth, where each workspace has its own."""
    token = settings.slack_bot_token
    if settings.oauth_enabled or token is None:
        return None
    return token.get_secret_value()


def _client(settings: Settings, token: str | None) -> WebClient:
    return web_client(token, settings.slack_api_url)


def mount_install_routes(server: FastAPI, bolt_app: App) -> None:
    """``GET /slack/install`` and ``GET /slack/oauth_redirect``, run by Bolt's flow.

    The flow talks to Slack and the database, so it runs on the thread pool.
    """
    from slack_bolt.adapter.starlette.handler import (
        to_bolt_request,
        to_starlette_response,
    )

    flow = bolt_app.oauth_flow

    async def run(handle, request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(handle, bolt_request))

    @server.get(flow.install_path)
    async def slack_install(request: Request) -> Response:
        return await run(flow.handle_installation, request)

    @server.get(flow.redirect_uri_path)
    async def slack_oauth_redirect(request: Request) -> Response:
        return await run(flow.handle_callback, request)
