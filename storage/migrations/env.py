"""Alembic environment: migrates the engine ``storage.db.upgrade`` hands in."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base

config = context.config


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
        )
        context.run_migrations()


run_migrations()
