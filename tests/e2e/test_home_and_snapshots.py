"""The Home tab, scheduled reports and OAuth installs, against the emulator.

Scheduled reports run on a server of their own that polls every fraction of
a second; installs run against an emulator of their own whose OAuth app
redirects to that test's server.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml
from slack_sdk import WebClient
from sqlalchemy import text

from storage.db import session_scope, upgrade
from storage.models import ReportSubscription, SalesRep
from tests.e2e.conftest import (
    BOT_TOKEN,
    SEED,
    SIGNING_SECRET,
    TODAY,
    emulating,
    free_port,
    serving,
    user_client,
)
from tests.e2e.slack_wire import (
    app_home_opened,
    app_mention,
    interaction,
    signed_headers,
)
from tests.e2e.workspace import channel_id, eventually, post_form, user_id
from tests.factories import make_book

pytestmark = pytest.mark.e2e

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
STATE_COOKIE = "slack-app-oauth-state"


def deliver(server_url: str, body: str) -> httpx.Response:
    headers = signed_headers(SIGNING_SECRET, body)
    return httpx.post(f"{server_url}/slack/events", content=body, headers=headers)


def home_views(emulator_url: str) -> str:
    """The emulator's inspector page listing published Home views."""
    root = emulator_url.removesuffix("api/")
    return httpx.get(root, params={"tab": "views"}).text


def small_store(path) -> str:
    """Alex and Priya, each with a slipping and a healthy account."""
    url = f"sqlite:///{path / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        make_book(session, TODAY)
    return url


def store_env(store: str, api_url: str, **env: str) -> dict[str, str]:
    """Settings of a server on ``store`` that calls Slack's Web API at ``api_url``."""
    return {
        "DATABASE_URL": store,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        **env,
    }


def test_opening_the_home_tab_publishes_the_reps_home(
    server_url, emulator_url, bot_client
):
    alex = user_id(bot_client, "alex.rivera")

    response = deliver(server_url, app_home_opened(alex, "D0ALEXHOME"))

    assert response.status_code == 200
    page = eventually(lambda: "Alex Slipping Ltd" in home_views(emulator_url))
    assert page, "no Home view listing Alex's at-risk account reached Slack"
    assert "Priya Slipping Ltd" not in home_views(emulator_url)


@pytest.fixture(scope="module")
def scheduling_server(emulator_url, tmp_path_factory):
    """A server whose scheduler polls a store of its own every 0.2 seconds."""
    store = small_store(tmp_path_factory.mktemp("snapshot-store"))
    env = store_env(
        store,
        emulator_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SCHEDULER_INTERVAL_SECONDS="0.2",
    )
    with serving(free_port(), env, tmp_path_factory.mktemp("snapshot-server")):
        yield store


def test_a_due_report_is_posted_into_its_channel_by_the_server(
    scheduling_server, bot_client
):
    sales = channel_id(bot_client, "sales")
    with session_scope(scheduling_server) as session:
        alex = session.query(SalesRep).filter_by(name="Alex Rivera").one()
        session.add(
            ReportSubscription(
                creator_rep_id=alex.id,
                channel_id="#sales",
                report="churn_risk_list",
                frequency="weekly:monday",
                next_run_at=dt.datetime(2026, 6, 29, 8, 0),
            )
        )

    def scheduled_posts():
        messages = bot_client.conversations_history(channel=sales)["messages"]
        return [m for m in messages if "Scheduled by Alex Rivera" in str(m)]

    (posted,) = eventually(scheduled_posts)
    assert "Alex Slipping Ltd" in str(posted["blocks"])
    assert "Priya Slipping Ltd" not in str(posted["blocks"])


@pytest.fixture(scope="module")
def oauth_world(tmp_path_factory):
    """An emulator whose OAuth app redirects to a server installed through it."""
    server_port, emulator_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{server_port}/slack/oauth_redirect"
    seed = yaml.safe_load(SEED.read_text())
    seed["slack"]["oauth_apps"][0]["redirect_uris"] = [redirect]
    seed_file = tmp_path_factory.mktemp("oauth-seed") / "seed.yaml"
    seed_file.write_text(yaml.safe_dump(seed))

    with emulating(
        emulator_port, seed_file, tmp_path_factory.mktemp("oauth-emulator")
    ) as emulator_url:
        store = small_store(tmp_path_factory.mktemp("oauth-store"))
        env = store_env(
            store,
            emulator_url,
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
            SLACK_REDIRECT_URI=redirect,
            SCHEDULER_ENABLED="false",
        )
        log_dir = tmp_path_factory.mktemp("oauth-server")
        with serving(server_port, env, log_dir) as url:
            yield {"emulator": emulator_url, "server": url, "store": store}


def install_as(world: dict, installer: str) -> httpx.Response:
    """Walk the install flow as a person would in a browser; return the last page."""
    install = httpx.get(world["server"] + "/slack/install")
    cookie = install.cookies.get(STATE_COOKIE) or _cookie(install, STATE_COOKIE)
    authorize = install.headers["location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert httpx.get(authorize).status_code == 200

    approved = httpx.post(
        world["emulator"].removesuffix("api/") + "oauth/v2/authorize/callback",
        data={**query, "user_id": installer, "user_scope": ""},
    )
    back = approved.headers["location"]
    return httpx.get(back, headers={"Cookie": f"{STATE_COOKIE}={cookie}"})


def _cookie(response: httpx.Response, name: str) -> str:
    header = response.headers.get("set-cookie", "")
    return re.search(rf"{name}=([^;]+)", header).group(1)


def test_an_install_through_oauth_stores_the_workspace_and_the_bot_answers_there(
    oauth_world,
):
    static = WebClient(token=BOT_TOKEN, base_url=oauth_world["emulator"])
    alex = user_id(static, "alex.rivera")
    team = static.auth_test()["team_id"]

    done = install_as(oauth_world, alex)

    assert done.status_code == 200
    with session_scope(oauth_world["store"]) as session:
        (token,) = session.execute(
            text("SELECT bot_token FROM slack_bots WHERE team_id = :team"),
            {"team": team},
        ).one()
    assert token.startswith("xoxb-") and token != BOT_TOKEN

    sales = channel_id(static, "sales")
    person = user_client(oauth_world["emulator"], "alex")
    question = "<@U0QUOTEBOT> what's my churn risk list"
    ts = person.chat_postMessage(channel=sales, text=question)["ts"]
    body = app_mention(alex, sales, question, ts).replace("T000000001", team)
    assert deliver(oauth_world["server"], body).status_code == 200

    def replies():
        thread = static.conversations_replies(channel=sales, ts=ts)["messages"]
        return [m for m in thread if m["ts"] != ts and "Slipping" in str(m)]

    answered = eventually(replies)
    assert answered and "Alex Slipping Ltd" in str(answered[0])


def test_why_on_the_home_tab_explains_the_account_in_the_reps_dm(
    server_url, bot_client
):
    alex = user_id(bot_client, "alex.rivera")
    button = {"action_id": "churn_explain:0", "value": "Alex Slipping Ltd"}
    body = interaction(
        {
            "type": "block_actions",
            "user": {"id": alex},
            "container": {"type": "view", "view_id": "V0HOME"},
            "view": {"id": "V0HOME", "type": "home"},
            "trigger_id": "1.2.3",
            "actions": [button | {"type": "button", "block_id": "b0"}],
        }
    )
    dm = bot_client.conversations_open(users=alex)["channel"]["id"]

    def explanations():
        messages = bot_client.conversations_history(channel=dm)["messages"]
        return [m for m in messages if "Alex Slipping Ltd" in str(m)]

    before = len(explanations())
    response = post_form(server_url, body)

    assert response.status_code == 200
    arrived = eventually(lambda: len(explanations()) > before)
    assert arrived, "no explanation reached Alex's DM"
