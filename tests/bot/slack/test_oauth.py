from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient

from bot.server import create_server
from bot.settings import Settings
from bot.slack.oauth import (
    BOT_SCOPES,
    WorkspaceNotInstalledError,
    authorize_url,
    bot_client,
    installation_store,
)

MANIFEST = Path(__file__).parents[3] / "slack_manifest.yaml"
HTTPS = "https://testserver"
"""The state cookie is Secure, so the browser sends it back over HTTPS only."""
REDIRECT_URI = "https://quotebot.example.com/slack/oauth_redirect"
ACCESS = {
    "ok": True,
    "access_token": "xoxb-installed-in-acme",
    "token_type": "bot",
    "scope": "chat:write,commands",
    "bot_user_id": "U0QUOTEBOT",
    "app_id": "A0QUOTEBOT",
    "team": {"name": "Acme Sales", "id": "T0ACME"},
    "enterprise": None,
    "authed_user": {"id": "U0INSTALLER"},
}


def oauth_settings(url: str, api_url: str = "https://slack.com/api/") -> Settings:
    return Settings(
        _env_file=None,
        database_url=url,
        slack_client_id="1111.2222",
        slack_client_secret="test-client-secret",
        slack_signing_secret="signing-secret",
        slack_redirect_uri=REDIRECT_URI,
        slack_api_url=api_url,
        slack_bot_token=None,
        scheduler_enabled=False,
    )


def test_the_install_scopes_are_the_manifests_bot_scopes():
    manifest = yaml.safe_load(MANIFEST.read_text())

    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
        ("http://127.0.0.1:4010/api/", "http://127.0.0.1:4010/oauth/v2/authorize"),
    ],
)
def test_the_authorize_page_sits_beside_the_web_api(api_url, expected):
    assert authorize_url(api_url) == expected


def test_install_redirects_to_slacks_authorize_page_with_a_stored_state(sqlite_url):
    server = TestClient(create_server(oauth_settings(sqlite_url)))

    response = server.get("/slack/install", follow_redirects=False)

    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert response.status_code == 302
    assert f"{location.netloc}{location.path}" == "slack.com/oauth/v2/authorize"
    assert query["client_id"] == ["1111.2222"]
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert set(query["scope"][0].split(",")) == set(BOT_SCOPES)
    assert query["state"]


def test_the_redirect_stores_the_workspaces_installation(sqlite_url, fake_slack):
    settings = oauth_settings(sqlite_url, fake_slack.url)
    server = TestClient(create_server(settings), base_url=HTTPS)
    install = server.get("/slack/install", follow_redirects=False)
    state = parse_qs(urlsplit(install.headers["location"]).query)["state"][0]
    fake_slack.answer_next("oauth.v2.access", 200, ACCESS)

    done = server.get(f"/slack/oauth_redirect?code=granted&state={state}")

    assert done.status_code == 200
    (exchange,) = fake_slack.called("oauth.v2.access")
    assert exchange["code"] == "granted"
    bot = installation_store(settings).find_bot(enterprise_id=None, team_id="T0ACME")
    assert bot.bot_token == "xoxb-installed-in-acme"
    assert bot_client(settings, "T0ACME").token == "xoxb-installed-in-acme"


def test_a_redirect_with_a_forged_state_stores_nothing(sqlite_url, fake_slack):
    settings = oauth_settings(sqlite_url, fake_slack.url)
    server = TestClient(create_server(settings), base_url=HTTPS)
    server.get("/slack/install", follow_redirects=False)

    refused = server.get("/slack/oauth_redirect?code=granted&state=forged")

    assert refused.status_code >= 400
    assert fake_slack.called("oauth.v2.access") == []
    assert (
        installation_store(settings).find_bot(enterprise_id=None, team_id="T0ACME")
        is None
    )


def test_a_workspace_without_an_installation_is_named_in_the_error(sqlite_url):
    with pytest.raises(WorkspaceNotInstalledError, match="not installed in .*T0NONE"):
        bot_client(oauth_settings(sqlite_url), "T0NONE")


def test_without_oauth_every_workspace_uses_the_bot_token(sqlite_url):
    settings = Settings(
        _env_file=None, database_url=sqlite_url, slack_bot_token="xoxb-single"
    )

    assert bot_client(settings, "T0ANY").token == "xoxb-single"


def test_without_oauth_there_are_no_install_routes(sqlite_url, fake_slack):
    settings = Settings(
        _env_file=None,
        database_url=sqlite_url,
        slack_api_url=fake_slack.url,
        slack_bot_token="xoxb-single",
        slack_signing_secret="signing-secret",
        scheduler_enabled=False,
    )

    server = TestClient(create_server(settings))

    assert server.get("/slack/install").status_code == 404
