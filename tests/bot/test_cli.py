import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings, get_settings
from storage.db import session_scope
from tests.factories import make_customer, make_orders, make_rep

TODAY = dt.date(2026, 6, 30)
runner = CliRunner()


@pytest.fixture
def book(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        make_orders(session, make_customer(session, "Acme Corp", alex), TODAY, 7, 6)
        slipping = make_customer(session, "Globex Corporation", alex)
        make_orders(session, slipping, TODAY - dt.timedelta(days=45), 10, 6)
        theirs = make_customer(session, "Initech", priya)
        make_orders(session, theirs, TODAY - dt.timedelta(days=45), 10, 6)
    return sqlite_url


def test_db_upgrade_creates_the_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"

    result = runner.invoke(app, ["db", "upgrade", "--db", url])

    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_ask_lists_only_the_reps_accounts_with_reasons(book):
    result = runner.invoke(
        app,
        [
            "ask",
            "what's my churn risk list",
            "--user",
            "alex.rivera@example.com",
            "--db",
            book,
        ],
    )

    assert result.exit_code == 0, result.output
    assert "Globex Corporation" in result.output
    assert "usually orders every 10 days" in result.output
    assert "Initech" not in result.output


def test_ask_json_carries_the_rows(book):
    result = runner.invoke(
        app,
        [
            "ask",
            "churn risk list",
            "--user",
            "alex.rivera@example.com",
            "--db",
            book,
            "--json",
        ],
    )

    answer = json.loads(result.stdout)
    assert answer["intent"] == "churn_risk_list"
    assert [row["customer"] for row in answer["rows"]] == ["Globex Corporation"]


def test_ask_as_an_unknown_user_explains_how_to_get_access(book):
    result = runner.invoke(
        app, ["ask", "churn risk list", "--user", "nobody@example.com", "--db", book]
    )

    assert result.exit_code == 1
    assert "not set up as a sales rep" in result.output


def test_nlu_json_has_the_designed_keys():
    result = runner.invoke(app, ["nlu", "top 5 at risk accounts", "--json"])

    parsed = json.loads(result.stdout)
    assert set(parsed) == {"intent", "confidence", "entities", "alternatives"}
    assert parsed["intent"] == "churn_risk_list"
    assert parsed["entities"] == {"top_n": 5}


def test_ask_for_a_forecast_writes_the_chart_where_the_answer_says(
    book, tmp_path, monkeypatch
):
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "charts"))
    get_settings.cache_clear()

    result = runner.invoke(
        app,
        [
            "ask",
            "forecast revenue for the next 30 days",
            "--user",
            "alex.rivera@example.com",
            "--db",
            book,
        ],
    )

    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    chart_line = next(
        line for line in result.output.splitlines() if line.startswith("Chart: ")
    )
    chart = Path(chart_line.removeprefix("Chart: "))
    assert chart.parent == (tmp_path / "charts").resolve()
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_snapshots_run_due_posts_each_due_report_once(book, monkeypatch):
    from storage.models import ReportSubscription
    from tests.bot.slack.fake_slack import start_fake_slack

    fake = start_fake_slack()
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-cron")
    monkeypatch.setenv("SLACK_API_URL", fake.url)
    get_settings.cache_clear()
    with session_scope(book) as session:
        session.add(
            ReportSubscription(
                creator_rep_id=1,
                channel_id="C0SALES",
                report="churn_risk_list",
                frequency="daily",
                next_run_at=dt.datetime(2026, 6, 30, 8, 0),
            )
        )
    try:
        first = runner.invoke(app, ["snapshots", "run-due", "--db", book])
        again = runner.invoke(app, ["snapshots", "run-due", "--db", book])
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        get_settings.cache_clear()

    assert first.exit_code == 0, first.output
    assert "Posted 1 scheduled report." in first.output
    assert "Posted 0 scheduled reports." in again.output
    assert [c["channel"] for c in fake.called("chat.postMessage")] == ["C0SALES"]


def test_snapshots_run_due_without_slack_says_what_to_set(book, monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("bot.cli.get_settings", lambda: Settings(_env_file=None))

    result = runner.invoke(app, ["snapshots", "run-due", "--db", book])

    assert result.exit_code == 1
    assert "set SLACK_BOT_TOKEN" in result.output
