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

import argparse
import tempfile
from functools import partial

from bench.stores import demo_store
from bench.timing import spread, timed
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory() as folder:
        url = demo_store(folder)
        with session_scope(url) as session:
            for role, email in PEOPLE.items():
                person = requester_by_email(session, email)
                for typed in ("ac", "inetch"):
                    search = partial(customer_options, session, person, typed)
                    found = len(search())
                    label = f"{role} search '{typed}' ({found})"
                    spread(label, [timed(search) for _ in range(runs)])
            for typed in ("hub", "hw-gw"):
                search = partial(product_options, session, typed)
                label = f"product search '{typed}' ({len(search())})"
                spread(label, [timed(search) for _ in range(runs)])
            check = partial(read_form, form_values(), "rep")
            spread("read_form", [timed(check) for _ in range(runs)])
            rep = requester_by_email(session, PEOPLE["rep"])
            understand = partial(understand_quote, session, rep, QUOTE_TEXT)
            spread("/quote text understood", [timed(understand) for _ in range(runs)])


if __name__ == "__main__":
    main()
