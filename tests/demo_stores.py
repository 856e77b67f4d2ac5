"""Demo stores for the tests that check models against the planted truth."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from storage.models import GroundTruth


def demo_store(tmp_path_factory, today: dt.date) -> str:
    """The URL of a fresh SQLite store holding the demo data as of ``today``."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        generate_demo_data(session, today=today)
    return url


def planted(session, kind: str) -> dict[int, object]:
    """The facts the generator planted of one kind, by their entity's integer id."""
    rows = session.execute(
        select(GroundTruth.entity_id, GroundTruth.value).where(GroundTruth.kind == kind)
    ).all()
    return {int(entity): value for entity, value in rows}
