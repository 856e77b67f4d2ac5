"""Reading a submitted quote form: its lines and discount, or a sentence per field."""

from __future__ import annotations

import pytest

from bot.slack.quote_form_input import read_form
from tests.bot.slack.form_values import form_values


def test_a_complete_form_reads_as_lines_and_a_discount():
    values = form_values("3", [("GATEWAY-HUB", "10"), ("SUITE", "2")], "5.5")

    form, errors = read_form(values, "rep")

    assert errors == {}
    assert form.customer_id == 3
    assert form.items == (("GATEWAY-HUB", 10), ("SUITE", 2))
    assert form.discount_pct == 5.5


@pytest.mark.parametrize(
    ("values", "block_id", "words"),
    [
        (form_values(None, [("HUB", "1")]), "customer", "Choose a customer"),
        (form_values("3", []), "line_1_product", "at least one product"),
        (form_values("3", [("HUB", None)]), "line_1_quantity", "whole number"),
        (form_values("3", [("HUB", "0")]), "line_1_quantity", "whole number"),
        (form_values("3", [("HUB", "2.5")]), "line_1_quantity", "whole number"),
        (form_values("3", [(None, "4")]), "line_1_product", "Choose a product"),
        (
            form_values("3", [("HUB", "1"), ("HUB", "2")]),
            "line_2_product",
            "already on line 1",
        ),
        (form_values("3", [("HUB", "1")], "120"), "discount", "between 0 and 100"),
        (form_values("3", [("HUB", "1")], "-1"), "discount", "between 0 and 100"),
        (form_values("3", [("HUB", "1")], "25"), "discount", "at most 20%"),
    ],
    ids=[
        "no-customer",
        "no-product",
        "no-quantity",
        "zero",
        "fraction",
        "quantity-without-product",
        "repeated-product",
        "discount-over-100",
        "negative-discount",
        "over-the-reps-limit",
    ],
)
def test_a_wrong_form_gets_one_sentence_under_the_field_at_fault(
    values, block_id, words
):
    _, errors = read_form(values, "rep")

    assert list(errors) == [block_id]
    assert words in errors[block_id]


def test_a_manager_may_give_a_deeper_discount_than_a_rep():
    values = form_values("3", [("HUB", "1")], "25")

    assert read_form(values, "manager")[1] == {}


def test_the_edit_form_needs_no_customer_and_an_empty_discount_means_none():
    values = form_values(lines=[("HUB", "3")], with_customer=False)

    form, errors = read_form(values, "rep")

    assert errors == {}
    assert form.discount_pct == 0.0
