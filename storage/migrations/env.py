"""Alembic environment: migrates the engine ``storage.db.upgrade`` hands in."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base

config = context.config

SLACK_SDK_TABLES = {"slack_bots", "slack_installations", "slack_oauth_states"}
"""Defined by slack_sdk's stores, not by ``Base``; migration 0002 creates them."""


def include_object(_object, name, type_, _reflected, _compare_to) -> bool:
    """Leave the Slack SDK's tables out of what autogenerate compares."""
    return not (type_ == "table" and name in SLACK_SDK_TABLES)


def run_migrations() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        context.run_migrations()


run_migrations()
