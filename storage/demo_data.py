"""Realistic synthetic sales history with known ground truth, for demos and tests.

``generate_demo_data`` fills an empty, migrated store with three years of a
B2B software and hardware seller's history: the team in ``DEMO_REPS`` (Dana
Whitfield manages Alex Rivera, Priya Nair, Sam Okafor and Jordan Kim), about
300 accounts (among them Acme Corp, Globex Corporation, Initech, Northwind
Traders and Umbrella Industries), 40 products, about ten thousand quotes with
their items, and rep notes. Everything is drawn from
``numpy.random.default_rng(seed)``, so a (seed, today) pair always gives the
same store. The parts live in ``storage.demo``, one concept per module.

What the data hides, and the ``demo_ground_truth`` rows that reveal it
(``kind``, ``entity_id``: keys of ``value``):

``generator``, ``"params"``
    seed, today, history_start, n_customers, seasonality (trend_per_year,
    q4_peak, q4_peak_day, summer_dip, summer_dip_day, kappa, weekday_weights),
    churn_share, pre_churn_window_days, pre_churn_rate_floor,
    pre_churn_logit_penalty, anomaly_share, draft_window_days, valid_days,
    note_tone_mix.
``segment``, segment name (enterprise, mid_market, smb, occasional)
    share, quotes_per_month, mean_lines_per_quote, size_scale,
    discount_levels, discount_probabilities, acceptance (formula, price_ratio,
    alpha, beta: ``logit P(accept) = alpha - beta * total / list value``),
    median_decision_days, notes_per_month, category_weights, product_boosts;
    and as generated: customers, quotes, median_quote_subtotal,
    acceptance_rate (accepted over accepted, rejected and expired).
``customer``, customer id
    name, segment, churned (churn_date on or before today), churn_date (ISO
    or null; may lie up to 90 days ahead for accounts heading out), at_risk
    (churned in the last 120 days or due in the next 90), start_date, new
    (started in the last 180 days), growing, growth_rate (per year),
    size_factor, owner_email.
``bundle``, bundle name
    anchor (sku, name), skus, names, companions (sku, name, rate: planted
    P(companion | anchor), and support, confidence, lift as generated).
``anomaly``, quote id
    kind (oversized, deep_discount, below_list_price), factor (multiple of
    the customer's median list value; discount percent; price as a fraction
    of list), quote_number, customer_id.
``note``, note id
    tone (positive, neutral, negative), state (healthy, new, growing,
    pre_churn, lost), customer_id.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.demo import truth, writer
from storage.demo.accounts import NAMED_ACCOUNTS, Account, build_accounts
from storage.demo.anomalies import plant_anomalies
from storage.demo.notes import build_notes
from storage.demo.outcomes import assign_numbers, decide_outcomes, price_quotes
from storage.demo.people import (
    DEMO_MANAGER_EMAIL,
    DEMO_REPS,
    MAX_GENERATED_NAMES,
    DemoRep,
)
from storage.demo.quotes import DemoQuote, build_quotes, quotes_by_account
from storage.demo.seasonality import History, Seasonality
from storage.errors import StorageError
from storage.models import Customer, GroundTruth, Product, Quote

logger = logging.getLogger(__name__)

DEFAULT_CUSTOMERS = 300
MIN_CUSTOMERS = 20
MAX_CUSTOMERS = len(NAMED_ACCOUNTS) + MAX_GENERATED_NAMES

__all__ = [
    "DEFAULT_CUSTOMERS",
    "DEMO_MANAGER_EMAIL",
    "DEMO_REPS",
    "NAMED_ACCOUNTS",
    "DemoRep",
    "DemoSummary",
    "generate_demo_data",
]


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the generator wrote."""

    reps: int
    customers: int
    products: int
    quotes: int
    quote_items: int
    notes: int
    anomalies: int

    def __str__(self) -> str:
        return (
            f"{self.reps} reps, {self.customers:,} customers, "
            f"{self.products} products, {self.quotes:,} quotes "
            f"({self.quote_items:,} items), {self.notes:,} notes, "
            f"{self.anomalies} planted anomalies"
        )


def generate_demo_data(
    session: Session,
    *,
    seed: int = 7,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    n_customers: int = DEFAULT_CUSTOMERS,
) -> DemoSummary:
    """Fill an empty store with three years of synthetic history before ``today``.

    Parameters
    ----------
    session : Session
        A session on a migrated store with no customers, products, quotes or
        ground truth yet. Nothing is committed here; the caller's
        ``session_scope`` commits or rolls back.
    seed : int
        Seed of the one random generator; the same seed and ``today`` give
        the same rows.
    today : date, optional
        The day the history ends (exclusive); the current UTC date by default.
    progress : callable, optional
        Called with the name of each phase as it starts ("people",
        "products", "customers", "quotes", "notes", "ground truth").
    n_customers : int
        Number of accounts, from 20 to 485; fewer make faster tests.

    Returns
    -------
    DemoSummary
        The number of rows written to each table.

    Raises
    ------
    StorageError
        If the store already holds customers, products, quotes or ground truth.
    """
    _check_arguments(n_customers)
    _refuse_filled_store(session)
    today = today or dt.datetime.now(dt.UTC).date()
    report = progress or _silent
    rng = np.random.default_rng(seed)
    history = History.before(today)
    seasonality = Seasonality()

    report("people")
    rep_ids = writer.write_team(session, history.start - dt.timedelta(days=900))

    report("products")
    product_ids = writer.write_products(session)

    report("customers")
    accounts = build_accounts(rng, history, n_customers)
    customer_ids = writer.write_customers(session, accounts, rep_ids)

    report("quotes")
    quotes, anomalies, last_numbers = _make_quotes(rng, accounts, history, seasonality)
    quote_ids, items = writer.write_quotes(
        session, quotes, customer_ids, rep_ids, product_ids
    )
    writer.write_counters(session, last_numbers)

    report("notes")
    grouped = quotes_by_account(quotes, len(accounts))
    notes = build_notes(rng, accounts, quotes, grouped, history)
    note_ids = writer.write_notes(session, notes, customer_ids, rep_ids, quote_ids)

    report("ground truth")
    facts = [
        truth.generator_fact(seed, history, n_customers, seasonality),
        *truth.segment_facts(accounts, quotes),
        *truth.customer_facts(accounts, customer_ids, today),
        *truth.bundle_facts(quotes),
        *truth.anomaly_facts(quotes, anomalies, quote_ids, customer_ids),
        *truth.note_facts(notes, note_ids, customer_ids),
    ]
    writer.write_ground_truth(session, facts)

    summary = DemoSummary(
        reps=len(DEMO_REPS),
        customers=len(customer_ids),
        products=len(product_ids),
        quotes=len(quote_ids),
        quote_items=items,
        notes=len(note_ids),
        anomalies=len(anomalies),
    )
    logger.info("generated demo data (seed %s, today %s): %s", seed, today, summary)
    return summary


def _make_quotes(
    rng: np.random.Generator,
    accounts: list[Account],
    history: History,
    seasonality: Seasonality,
) -> tuple[list[DemoQuote], list[int], dict[int, int]]:
    """The quotes, priced, decided and numbered; the indexes of the anomalies;
    and the last quote number used in each year.
    """
    quotes = build_quotes(rng, accounts, history, seasonality)
    anomalies = plant_anomalies(rng, quotes, len(accounts), history.end)
    price_quotes(quotes)
    decide_outcomes(rng, quotes, accounts, history.end)
    return quotes, anomalies, assign_numbers(quotes)


def _check_arguments(n_customers: int) -> None:
    if not MIN_CUSTOMERS <= n_customers <= MAX_CUSTOMERS:
        raise ValueError(
            "The 'n_customers' parameter of generate_demo_data must be between "
            f"{MIN_CUSTOMERS} and {MAX_CUSTOMERS}. Got {n_customers} instead."
        )


def _refuse_filled_store(session: Session) -> None:
    """Demo data goes only into an empty store; say what is in the way."""
    tables = (
        ("quotes", Quote),
        ("customers", Customer),
        ("products", Product),
        ("ground-truth rows", GroundTruth),
    )
    found = [
        f"{count:,} {label}"
        for label, model in tables
        if (count := session.scalar(select(func.count()).select_from(model)))
    ]
    if found:
        raise StorageError(
            f"The store already has {_and_list(found)}; demo data goes only "
            "into an empty store. Use a new DATABASE_URL or delete quotebot.db."
        )


def _and_list(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _silent(_phase: str) -> None:
    """The progress callback when the caller wants none."""
