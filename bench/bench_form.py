"""How fast the quote form answers while someone types, and reads a submission.

Slack waits 3 seconds for an options answer and a view submission's ack, and
a person typing notices far less. On a demo store this times:

- the customer search for a rep and for the manager, by a name's start and by
  a misspelling (which falls back to fuzzy matching over the allowed names);
- the product search by name and by SKU;
- checking a submitted form (``read_form``), which runs inside the ack;
- reading a ``/quote`` text into what the form opens with.

Run with ``python -m bench.bench_form [--runs N]``.
"""

from __future__ import annotations

from functools import partial

from bench.stores import temporary_demo_store
from bench.timing import repeated, runs_argument, spread
from bot.render.quote_form import CUSTOMER, PRODUCT, QUANTITY
from bot.slack.commands import understand_quote
from bot.slack.quote_form_input import read_form
from bot.slack.quote_modal import customer_options, product_options
from storage.db import session_scope
from tools.people import requester_by_email

PEOPLE = {"rep": "alex.rivera@example.com", "manager": "dana.whitfield@example.com"}
QUOTE_TEXT = "10 Gateway Hubs and 2 Analytics Suite, 5% off"


def form_values() -> dict:
    def picked(value):
        return {"selected_option": {"value": value}}

    return {
        "customer": {CUSTOMER: picked("1")},
        "line_1_product": {PRODUCT: picked("HW-GWH-001")},
        "line_1_quantity": {QUANTITY: {"value": "10"}},
    }


def main() -> None:
    runs = runs_argument(__doc__.splitlines()[0], default=50)

    with temporary_demo_store() as url, session_scope(url) as session:
        time_customer_search(session, runs)
        time_product_search(session, runs)
        time_reading(session, runs)


def time_customer_search(session, runs: int) -> None:
    """By a name's start and by a misspelling, for a rep and for the manager."""
    for role, email in PEOPLE.items():
        person = requester_by_email(session, email)
        for typed in ("ac", "inetch"):
            search = partial(customer_options, session, person, typed)
            label = f"{role} search '{typed}' ({len(search())})"
            spread(label, repeated(search, runs))


def time_product_search(session, runs: int) -> None:
    for typed in ("hub", "hw-gw"):
        search = partial(product_options, session, typed)
        label = f"product search '{typed}' ({len(search())})"
        spread(label, repeated(search, runs))


def time_reading(session, runs: int) -> None:
    """Checking a submitted form, and reading a ``/quote`` text."""
    check = partial(read_form, form_values(), "rep")
    spread("read_form", repeated(check, runs))

    rep = requester_by_email(session, PEOPLE["rep"])
    understand = partial(understand_quote, session, rep, QUOTE_TEXT)
    spread("/quote text understood", repeated(understand, runs))


if __name__ == "__main__":
    main()
