import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from storage.db import session_scope
from storage.quote_numbers import format_quote_number, next_quote_number
from tests.factories import make_customer, make_quote, make_rep


def test_quote_numbers_count_up_within_a_year(store_url):
    with session_scope(store_url) as session:
        numbers = [next_quote_number(session, 2026) for _ in range(3)]

    assert numbers == ["Q-2026-0001", "Q-2026-0002", "Q-2026-0003"]


def test_each_year_starts_again_at_one(store_url):
    with session_scope(store_url) as session:
        next_quote_number(session, 2025)
        assert next_quote_number(session, 2026) == "Q-2026-0001"


def test_numbers_already_in_the_store_are_skipped(store_url):
    with session_scope(store_url) as session:
        customer = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        imported = make_quote(session, customer, created_at=dt.date(2026, 1, 5))
        imported.quote_number = format_quote_number(2026, 1)

    with session_scope(store_url) as session:
        assert next_quote_number(session, 2026) == "Q-2026-0002"


@pytest.mark.postgres
def test_concurrent_drafts_never_share_a_number(postgres_url):
    with session_scope(postgres_url) as session:
        customer = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))

    def draft_quotes(_worker: int) -> list[str]:
        numbers = []
        for _ in range(10):
            with session_scope(postgres_url) as session:
                quote = make_quote(session, customer, created_at=dt.date(2026, 3, 1))
                quote.quote_number = next_quote_number(session, 2026)
                numbers.append(quote.quote_number)
        return numbers

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = [n for batch in pool.map(draft_quotes, range(8)) for n in batch]

    assert len(numbers) == 80
    assert len(set(numbers)) == 80
    assert sorted(numbers) == [format_quote_number(2026, i) for i in range(1, 81)]
