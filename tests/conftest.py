"""Fixtures shared by every test package: stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from storage.db import get_engine, session_scope, upgrade

POSTGRES_URL_VARIABLE = "TEST_DATABASE_URL"
STRICT_VARIABLE = "QUOTEBOT_STRICT_TESTS"


def strict() -> bool:
    """In CI nothing may be skipped for want of a service: it is an error."""
    return os.environ.get(STRICT_VARIABLE) == "1"


def postgres_test_url() -> str | None:
    """The PostgreSQL URL tests may wipe, or None on a laptop without one."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    if strict():
        pytest.fail(
            f"{STRICT_VARIABLE}=1 but {POSTGRES_URL_VARIABLE} is not set; "
            "CI must run the store tests on PostgreSQL."
        )
    return None


def _fresh_postgres(url: str) -> str:
    with get_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty, migrated SQLite store in a temporary file."""
    url = f"sqlite:///{tmp_path / 'quotebot.db'}"
    upgrade(url)
    return url


@pytest.fixture
def postgres_url() -> str:
    """An empty, migrated PostgreSQL store (skipped where none is configured)."""
    url = postgres_test_url()
    if url is None:
        pytest.skip(f"no PostgreSQL configured; set {POSTGRES_URL_VARIABLE} to run")
    return _fresh_postgres(url)


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request) -> str:
    """An empty, migrated store, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def session_factory(store_url):
    """``session_scope`` bound to the test store."""
    return lambda: session_scope(store_url)
