"""Price suggestions: the discount of the best expected margin, learned by quoting.

The suggestion comes from Thompson sampling (``analytics.pricing``) over the
discounts 0 to 30 % in steps of 5, in the customer's market cell: their
segment (from the segments ``quotebot train`` stored) and the product's
category. Each discount's chance of acceptance is learned from decided quotes
(``storage.pricing_state``); its expected margin is that chance times the
price after discount less the unit cost.

Guardrails, fixed here for every team:

- ``MAX_DISCOUNT_PCT``: a rep may suggest at most 20 % off, a manager (or an
  admin) 30 %; deeper discounts need someone above them.
- ``MIN_MARGIN``: no price below the unit cost plus a 15 % gross margin on the
  price (the floor is ``unit_cost / 0.85``).

A product without a unit cost is taken to cost its category's median cost
ratio; in a category with no costs at all the cost is taken as zero, so the
margin is the expected revenue, and the answer says so.

``train_pricing`` recounts the evidence during ``quotebot train``; the offline
comparison of pricing policies is in ``tools.pricing_evaluation``.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Product, Quote
from storage.pricing_state import (
    ALL_SEGMENTS,
    DISCOUNT_LEVELS,
    UNCATEGORISED,
    category_cost_ratios,
    customer_lines,
    decided_quotes,
    load_arms,
    replace_arms,
    segment_of,
)
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError, ToolError
from tools.money import money_formatter
from tools.people import Requester, account_scope
from tools.products import find_product
from tools.results import Chart, Column, ToolResult

logger = logging.getLogger(__name__)

MAX_DISCOUNT_PCT = {"rep": 20.0, "manager": 30.0, "admin": 30.0}
MIN_MARGIN = 0.15
THIN_EVIDENCE = 5
TOP_CATEGORIES = 3
ROLE_NAMES = {"rep": "Reps", "manager": "Managers", "admin": "Admins"}
NOT_TRAINED = (
    "Pricing has not learned from any decided quote yet; run `quotebot train` "
    "to count how quotes at each discount were decided."
)
DISCOUNT_COLUMNS = (
    Column("discount", "Discount"),
    Column("price", "Price"),
    Column("acceptance", "Accepted"),
    Column("evidence", "Evidence"),
    Column("expected_margin", "Expected margin"),
    Column("allowed", "Allowed"),
)
CATEGORY_COLUMNS = (
    Column("category", "Category"),
    Column("suggested", "Suggested discount"),
    Column("best", "Best so far"),
    Column("acceptance", "Accepted at it"),
    Column("expected_margin", "Expected margin, typical quote"),
)


@dataclass(frozen=True)
class _Offer:
    """What one suggestion is about: a cell, a list value and its cost."""

    segment: str
    category: str
    list_value: float
    cost_ratio: float
    cost_known: str  # "product", "category" or "none"


def price_suggestion(
    session: Session,
    requester: Requester,
    customer: str | None = None,
    product: str | None = None,
    quantity: int | None = None,
) -> ToolResult:
    """The discount to offer a customer on a product, and why.

    Use for "what discount should I give Acme on the Analytics Suite?" or
    "best price for 20 Gateway Hubs for Initech". The suggestion maximises
    the expected margin (chance of acceptance times price less cost) learned
    from decided quotes in the customer's segment and the product's category,
    within the asker's discount limit and above the floor price. ``customer``
    and ``product`` are names as typed; without a product, the answer covers
    the categories the customer usually buys. ``quantity`` defaults to the
    customer's usual quantity of the product.
    """
    if not customer:
        raise NotEnoughDataError(
            "Which customer is the price for? Ask for example 'what discount "
            "should I give Acme Corp on the Analytics Suite?'"
        )
    match = find_customer(session, customer)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")
    pricer = _pricer(session)

    if product:
        item = find_product(session, product)
        return _for_product(session, requester, match, item, quantity, pricer)
    return _by_category(session, requester, match, pricer)


def train_pricing(session: Session) -> dict:
    """Recount the pricing arms from every decided quote and store them.

    Run after the segments are stored, so each quote counts in its customer's
    current segment. Returns ``quotes`` counted and ``arms`` stored.
    """
    from analytics.pricing import ThompsonPricer

    quotes = decided_quotes(session)
    pricer = ThompsonPricer(DISCOUNT_LEVELS).fit(quotes)
    arms = replace_arms(session, pricer.arms())
    logger.info("pricing learned from %s decided quotes in %s arms", len(quotes), arms)
    return {"quotes": len(quotes), "arms": arms}


def guardrails_for(requester: Requester):
    """The floor margin and the discount limit of the asker's role."""
    from analytics.pricing import Guardrails

    limit = MAX_DISCOUNT_PCT.get(requester.role, MAX_DISCOUNT_PCT["rep"])
    return Guardrails(max_discount=limit, min_margin=MIN_MARGIN)


def _pricer(session: Session):
    from analytics.pricing import ThompsonPricer

    arms = load_arms(session)
    if arms.empty:
        raise NotEnoughDataError(NOT_TRAINED)
    return ThompsonPricer.from_arms(arms, discounts=DISCOUNT_LEVELS)


def _for_product(session, requester, match, item: Product, quantity, pricer):
    lines = customer_lines(session, match.id)
    quantity = _quantity(quantity, lines, item)
    offer = _product_offer(session, match.id, item, quantity)
    guardrails = guardrails_for(requester)
    suggested, best = _choose(pricer, offer, guardrails, _seed(match.id, item.name))
    money = _money(session, match.id)

    table = _discount_table(pricer, offer, guardrails)
    unit = float(item.list_price) * (1 - suggested / 100)
    floor = guardrails.floor_ratio(offer.cost_ratio) * float(item.list_price)
    return ToolResult(
        intent="price_suggestion",
        summary=_sentence(
            offer, table, suggested, requester, money, f"on {quantity} × {item.name}"
        ),
        columns=DISCOUNT_COLUMNS,
        rows=tuple(_discount_row(row, money) for row in table.itertuples()),
        notes=_notes(offer, item.name, best, suggested, table, money, floor),
        follow_ups=(
            f"what's {match.name} worth?",
            f"what kind of customer is {match.name}?",
        ),
        chart=_margin_bars(table, item.name, quantity),
        data={
            "customer": match.name,
            "product": item.name,
            "quantity": quantity,
            "segment": offer.segment,
            "category": offer.category,
            "suggested_discount_pct": suggested,
            "best_discount_pct": best,
            "max_discount_pct": guardrails.max_discount,
            "unit_price": round(unit, 2),
            "floor_unit_price": round(floor, 2),
            "expected_margin": round(_margin_at(table, suggested), 2),
        },
    )


def _by_category(session, requester, match, pricer) -> ToolResult:
    lines = customer_lines(session, match.id)
    if lines.empty:
        raise NotEnoughDataError(
            f"Which product? {match.name} has no quotes yet to tell what it usually "
            f"buys; ask for example 'what discount for {match.name} on <product>'."
        )
    guardrails = guardrails_for(requester)
    money = _money(session, match.id)
    segment = segment_of(session, match.id)
    costs = category_cost_ratios(session)
    rows, offers = [], []
    for category, typical in _usual_categories(lines).items():
        offer = _Offer(segment, category, typical, *_category_cost(costs, category))
        suggested, best = _choose(pricer, offer, guardrails, _seed(match.id, category))
        table = _discount_table(pricer, offer, guardrails)
        rows.append(_category_row(category, suggested, best, table, money))
        offers.append((offer, table, suggested))

    offer, table, suggested = offers[0]
    summary = _sentence(offer, table, suggested, requester, money, "on a typical quote")
    return ToolResult(
        intent="price_suggestion",
        summary=f"{summary} Name a product for its own price.",
        columns=CATEGORY_COLUMNS,
        rows=tuple(rows),
        notes=(
            f"Margins are for a typical {match.name} quote in each category; "
            f"{match.name} is in the {_segment_label(segment)} segment.",
        ),
        follow_ups=(f"what discount should I give {match.name} on <product>?",),
        data={
            "customer": match.name,
            "segment": segment,
            "categories": [r["category"] for r in rows],
            "suggested_discount_pct": suggested,
            "max_discount_pct": guardrails.max_discount,
        },
    )


def _choose(pricer, offer: _Offer, guardrails, seed: int) -> tuple[float, float]:
    """The Thompson draw and the posterior-mean best, both within the guardrails."""
    from analytics.pricing import NoAllowedDiscountError

    try:
        best = pricer.best(offer.segment, offer.category, offer.cost_ratio, guardrails)
        suggested = pricer.sample(
            offer.segment,
            offer.category,
            offer.cost_ratio,
            guardrails,
            rng=np.random.default_rng(seed),
        )
    except NoAllowedDiscountError as error:
        raise ToolError(str(error)) from error
    return suggested, best


def _discount_table(pricer, offer: _Offer, guardrails) -> pd.DataFrame:
    """Per discount: price, acceptance, evidence, expected margin, and if allowed."""
    posterior = pricer.posterior(offer.segment, offer.category)
    grid = np.asarray(DISCOUNT_LEVELS)
    allowed = guardrails.allowed(grid, offer.cost_ratio)
    over_limit = grid > guardrails.max_discount
    margin = pricer.expected_margin(offer.segment, offer.category, offer.cost_ratio)
    return pd.DataFrame(
        {
            "discount": grid,
            "price": offer.list_value * (1 - grid / 100),
            "mean": posterior["mean"].to_numpy(),
            "pooled": posterior["pooled"].to_numpy(),
            "accepted": posterior["accepted"].to_numpy(),
            "decided": posterior["decided"].to_numpy(),
            "expected_margin": margin * offer.list_value,
            "allowed": np.where(
                allowed,
                "yes",
                np.where(over_limit, "above your limit", "below the floor"),
            ),
        }
    )


def _sentence(offer, table, suggested, requester, money, basis: str) -> str:
    """'Suggest 10% off: in Growing accounts buying Software, quotes at 10% ...'"""
    at = table.set_index("discount").loc[suggested]
    head = "Suggest list price" if suggested == 0 else f"Suggest {suggested:g}% off"
    where = _market_words(offer)
    level = "list" if suggested == 0 else f"{suggested:g}%"
    if at["decided"] >= 1:
        evidence = (
            f"quotes at {level} were accepted {at['accepted']:.0f} of "
            f"{at['decided']:.0f} times ({at['accepted'] / at['decided']:.0%})"
        )
    elif at["pooled"] > 0:
        evidence = (
            f"no quote at {level} is decided yet; similar quotes suggest "
            f"{at['mean']:.0%} acceptance"
        )
    else:
        evidence = f"no quote at {level} is decided yet, so its chance is a guess"
    listed = table.iloc[0]
    if suggested != 0 and listed["decided"] >= 1:
        evidence += f" against {listed['accepted'] / listed['decided']:.0%} at list"
    role = ROLE_NAMES.get(requester.role, "Reps")
    limit = MAX_DISCOUNT_PCT.get(requester.role, MAX_DISCOUNT_PCT["rep"])
    return (
        f"{head}: {where}, {evidence}; expected margin "
        f"{money(at['expected_margin'])} {basis}. {role} may give at most {limit:g}%."
    )


def _notes(offer, name, best, suggested, table, money, floor) -> tuple[str, ...]:
    notes = []
    if best != suggested:
        notes.append(
            f"On the evidence so far {best:g}% off has the highest expected margin "
            f"({money(_margin_at(table, best))}); {suggested:g}% is suggested because "
            "it may still prove better, and trying it is how pricing learns "
            "(Thompson sampling)."
        )
    at = table.set_index("discount").loc[suggested]
    if at["decided"] < THIN_EVIDENCE and at["pooled"] > 0:
        notes.append(
            "Few decided quotes at this level here, so the estimate leans on "
            f"{_borrowed_words(offer.segment)}."
        )
    if offer.cost_known != "none":
        notes.append(
            f"Floor price {money(floor)} a unit: the unit cost plus a "
            f"{MIN_MARGIN:.0%} margin."
        )
    if offer.cost_known == "category":
        notes.append(
            f"{name} has no unit cost recorded; it is taken as {offer.category}'s "
            f"median, {offer.cost_ratio:.0%} of list."
        )
    elif offer.cost_known == "none":
        notes.append(
            f"No unit cost is recorded for {_category_words(offer.category)}, so "
            "there is no floor price and the margin shown is the expected revenue."
        )
    return tuple(notes)


def _product_offer(session, customer_id: int, item: Product, quantity: int) -> _Offer:
    category = item.category or UNCATEGORISED
    list_price = float(item.list_price)
    if item.unit_cost is not None and list_price > 0:
        cost_ratio, known = float(item.unit_cost) / list_price, "product"
    else:
        cost_ratio, known = _category_cost(category_cost_ratios(session), category)
    segment = segment_of(session, customer_id)
    return _Offer(segment, category, list_price * quantity, cost_ratio, known)


def _category_cost(costs: dict[str, float], category: str) -> tuple[float, str]:
    if category in costs:
        return costs[category], "category"
    return 0.0, "none"


def _quantity(quantity, lines: pd.DataFrame, item: Product) -> int:
    if quantity:
        return max(1, int(quantity))
    own = lines.loc[lines["product_id"] == item.id, "quantity"]
    return max(1, int(round(own.median()))) if len(own) else 1


def _usual_categories(lines: pd.DataFrame) -> pd.Series:
    """The customer's top categories by list value, each with its median quote."""
    per_quote = lines.groupby(["category", "quote_id"])["list_value"].sum()
    by_category = per_quote.groupby(level="category")
    order = by_category.sum().sort_values(ascending=False).index[:TOP_CATEGORIES]
    return by_category.median().loc[order]


def _discount_row(row, money) -> dict:
    evidence = (
        f"{row.accepted:.0f} of {row.decided:.0f} accepted"
        if row.decided
        else "none yet"
    )
    return {
        "discount": f"{row.discount:g}%",
        "price": money(row.price),
        "acceptance": f"{row.mean:.0%}",
        "evidence": evidence,
        "expected_margin": money(row.expected_margin),
        "allowed": row.allowed,
    }


def _category_row(category, suggested, best, table, money) -> dict:
    at = table.set_index("discount").loc[suggested]
    return {
        "category": category,
        "suggested": f"{suggested:g}%",
        "best": f"{best:g}%",
        "acceptance": f"{at['mean']:.0%}",
        "expected_margin": money(at["expected_margin"]),
    }


def _margin_bars(table: pd.DataFrame, name: str, quantity: int) -> Chart:
    return Chart(
        kind="bars",
        title=f"Expected margin by discount, {quantity} × {name}",
        alt_text=(
            f"Bar chart of the expected margin of {quantity} {name} at each discount "
            "from 0 to 30%."
        ),
        data={
            "labels": [f"{d:g}% off" for d in table["discount"]],
            "values": table["expected_margin"].round(2).tolist(),
            "format": "money",
            "colour": "#2bac76",
        },
    )


def _margin_at(table: pd.DataFrame, discount: float) -> float:
    return float(table.set_index("discount").loc[discount, "expected_margin"])


def _segment_label(segment: str) -> str:
    return "all" if segment == ALL_SEGMENTS else segment


def _market_words(offer: _Offer) -> str:
    """'in Growing accounts buying Software', or 'across accounts buying ...'."""
    buying = f"accounts buying {_category_words(offer.category)}"
    if offer.segment == ALL_SEGMENTS:
        return f"across {buying}"
    return f"in {offer.segment} {buying}"


def _category_words(category: str) -> str:
    return "uncategorised products" if category == UNCATEGORISED else category


def _borrowed_words(segment: str) -> str:
    if segment == ALL_SEGMENTS:
        return "quotes for other categories"
    return f"the {segment} segment's quotes for other categories"


def _seed(customer_id: int, about: str) -> int:
    """The same question on the same day gets the same draw."""
    key = f"{customer_id}|{about}|{dt.date.today().isoformat()}"
    return zlib.crc32(key.encode())


def _money(session: Session, customer_id: int):
    currency = session.scalar(
        select(Quote.currency)
        .where(Quote.customer_id == customer_id)
        .order_by(Quote.created_at.desc())
        .limit(1)
    )
    return money_formatter(currency or "USD")
