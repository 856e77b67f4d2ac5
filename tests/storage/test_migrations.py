"""The migrations build what the models and the Slack SDK's stores expect."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import inspect

from storage.db import get_engine, upgrade
from storage.models import Base

SDK_TABLES = {"slack_bots", "slack_installations", "slack_oauth_states"}


def _installation(team_id: str, token: str) -> Installation:
    return Installation(
        app_id="A0QUOTEBOT",
        team_id=team_id,
        team_name="Acme Sales",
        bot_token=token,
        bot_id="B0QUOTEBOT",
        bot_user_id="U0QUOTEBOT",
        bot_scopes="chat:write,commands",
        user_id="U0INSTALLER",
        installed_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp(),
    )


def test_models_match_the_migrated_schema(store_url):
    with get_engine(store_url).connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda _o, name, kind, *_: (
                    not (kind == "table" and name in SDK_TABLES)
                ),
            },
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_migration_creates_the_slack_sdk_tables_and_subscription_team(store_url):
    inspector = inspect(get_engine(store_url))

    assert set(inspector.get_table_names()) >= SDK_TABLES
    columns = {c["name"] for c in inspector.get_columns("report_subscriptions")}
    assert "team_id" in columns


def test_sdk_tables_match_the_sdk_definitions(store_url):
    store = SQLAlchemyInstallationStore(client_id="1111.2222", engine=None)
    inspector = inspect(get_engine(store_url))

    for table in (store.bots, store.installations):
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {column.name for column in table.columns}


def test_installation_store_saves_and_finds_bots_in_migrated_tables(store_url):
    store = SQLAlchemyInstallationStore(
        client_id="1111.2222", engine=get_engine(store_url)
    )

    store.save(_installation("T0ACME", "xoxb-acme"))
    store.save(_installation("T0GLOBEX", "xoxb-globex"))

    assert store.find_bot(enterprise_id=None, team_id="T0ACME").bot_token == "xoxb-acme"
    found = store.find_installation(enterprise_id=None, team_id="T0GLOBEX")
    assert found.bot_token == "xoxb-globex"
    assert found.user_id == "U0INSTALLER"


def test_state_store_issues_and_consumes_a_state_once(store_url):
    store = SQLAlchemyOAuthStateStore(
        expiration_seconds=600, engine=get_engine(store_url)
    )

    state = store.issue()

    assert store.consume(state) is True
    assert store.consume(state) is False


def test_migrations_go_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotebot.db'}"
    upgrade(url)

    _downgrade(url, "0001")
    assert not SDK_TABLES & set(inspect(get_engine(url)).get_table_names())
    upgrade(url)

    assert set(inspect(get_engine(url)).get_table_names()) >= SDK_TABLES


def _downgrade(url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from storage.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = get_engine(url)
    command.downgrade(config, revision)
