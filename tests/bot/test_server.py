import datetime as dt

from fastapi.testclient import TestClient

from bot.server import create_server
from bot.settings import Settings
from storage.db import session_scope
from tests.factories import make_customer, make_orders, make_rep


def local_server(url: str) -> TestClient:
    settings = Settings(
        _env_file=None,
        database_url=url,
        slack_bot_token=None,
        slack_signing_secret=None,
        slack_app_token=None,
    )
    return TestClient(create_server(settings))


def test_healthz_reports_ok_with_slack_off(sqlite_url):
    response = local_server(sqlite_url).get("/healthz")

    assert response.json() == {"status": "ok", "slack": False}


def test_without_slack_there_is_no_events_endpoint(sqlite_url):
    assert local_server(sqlite_url).post("/slack/events", content="{}").status_code in (
        404,
        405,
    )


def test_the_playground_answers_with_blocks(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        customer = make_customer(session, "Acme Corp", alex)
        make_orders(session, customer, dt.date(2026, 1, 1), 7, 5)
        make_orders(
            session, make_customer(session, "Busy Ltd", alex), dt.date(2026, 3, 1), 7, 5
        )
    client = local_server(sqlite_url)

    response = client.post(
        "/playground/ask",
        json={"text": "what's my churn risk list", "user": "alex.rivera@example.com"},
    )

    assert response.status_code == 200
    assert "Acme Corp" in response.json()["text"]
    assert response.json()["blocks"][0]["type"] == "section"
    assert "<title>Quote Builder Pro playground</title>" in client.get("/").text


def test_the_playground_refuses_an_unknown_user(sqlite_url):
    response = local_server(sqlite_url).post(
        "/playground/ask", json={"text": "help", "user": "nobody@example.com"}
    )

    assert response.status_code == 403
    assert "not set up as a sales rep" in response.json()["detail"]
