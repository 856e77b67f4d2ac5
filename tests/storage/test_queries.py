import datetime as dt

from storage.db import session_scope
from storage.queries import book_currency, open_quotes
from tests.factories import make_book, make_customer, make_quote, make_rep

TODAY = dt.date(2026, 6, 30)


def test_open_quotes_are_the_drafts_and_sent_quotes_of_the_reps_newest_first(
    store_url,
):
    with session_scope(store_url) as session:
        accounts = make_book(session, TODAY)
        alex = accounts["Alex Healthy Inc"]
        make_quote(session, alex, TODAY - dt.timedelta(days=2), status="sent")
        make_quote(session, alex, TODAY, status="draft", total="2500.00")
        make_quote(session, accounts["Priya Healthy Inc"], TODAY, status="draft")

        quotes = open_quotes(session, [alex.owner_rep_id])

    assert list(quotes["status"]) == ["draft", "sent"]
    assert list(quotes["total"]) == [2500.0, 1000.0]
    assert set(quotes["customer"]) == {"Alex Healthy Inc"}


def test_the_book_currency_is_the_one_most_quotes_are_in(store_url):
    with session_scope(store_url) as session:
        empty = book_currency(session)
        acme = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        for currency in ("EUR", "EUR", "USD"):
            make_quote(session, acme, TODAY).currency = currency
        session.flush()

        assert (empty, book_currency(session)) == ("USD", "EUR")
