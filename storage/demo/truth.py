"""The ground-truth facts the generator planted, as (kind, entity_id, value) rows.

See ``storage.demo_data`` for the kinds and their value keys. Values are plain
JSON: dates as ISO strings, numbers as Python floats and ints.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from storage.demo.accounts import CHURN_SHARE, Account
from storage.demo.anomalies import ANOMALY_SHARE
from storage.demo.catalog import BUNDLES, PRODUCT_INDEX, PRODUCTS
from storage.demo.notes import TONE_MIX, DemoNote
from storage.demo.outcomes import (
    DRAFT_WINDOW_DAYS,
    PRE_CHURN_LOGIT_PENALTY,
    VALID_DAYS,
)
from storage.demo.quotes import (
    PRE_CHURN_RATE_FLOOR,
    PRE_CHURN_WINDOW_DAYS,
    DemoQuote,
)
from storage.demo.seasonality import History, Seasonality
from storage.demo.segments import SEGMENTS

Fact = tuple[str, str, dict]
DECIDED = ("accepted", "rejected", "expired")


def generator_fact(
    seed: int, history: History, n_customers: int, seasonality: Seasonality
) -> Fact:
    return (
        "generator",
        "params",
        {
            "seed": seed,
            "today": history.end.isoformat(),
            "history_start": history.start.isoformat(),
            "n_customers": n_customers,
            "seasonality": seasonality.truth(),
            "churn_share": CHURN_SHARE,
            "pre_churn_window_days": PRE_CHURN_WINDOW_DAYS,
            "pre_churn_rate_floor": PRE_CHURN_RATE_FLOOR,
            "pre_churn_logit_penalty": PRE_CHURN_LOGIT_PENALTY,
            "anomaly_share": ANOMALY_SHARE,
            "draft_window_days": DRAFT_WINDOW_DAYS,
            "valid_days": VALID_DAYS,
            "note_tone_mix": {k: list(v) for k, v in TONE_MIX.items()},
        },
    )


def segment_facts(accounts: list[Account], quotes: list[DemoQuote]) -> list[Fact]:
    """Each segment's planted parameters, with what the generated quotes show."""
    facts = []
    for segment in SEGMENTS:
        members = {i for i, a in enumerate(accounts) if a.segment is segment}
        own = [q for q in quotes if q.account in members]
        decided = [q for q in own if q.status in DECIDED]
        accepted = sum(q.status == "accepted" for q in decided)
        observed = {
            "customers": len(members),
            "quotes": len(own),
            "median_quote_subtotal": _median([float(q.subtotal) for q in own]),
            "acceptance_rate": round(accepted / len(decided), 4) if decided else None,
        }
        facts.append(("segment", segment.name, {**segment.truth(), **observed}))
    return facts


def customer_facts(
    accounts: list[Account], customer_ids: list[int], today: dt.date
) -> list[Fact]:
    return [
        ("customer", str(customer_id), account.truth(today))
        for customer_id, account in zip(customer_ids, accounts, strict=True)
    ]


def bundle_facts(quotes: list[DemoQuote]) -> list[Fact]:
    """Each planted bundle, with support, confidence and lift seen in the quotes."""
    present = np.zeros((len(quotes), len(PRODUCTS)), dtype=bool)
    for row, quote in enumerate(quotes):
        present[row, [line.product for line in quote.lines]] = True

    facts = []
    for bundle in BUNDLES:
        anchor = PRODUCT_INDEX[bundle.anchor]
        companions = [
            {
                "sku": sku,
                "name": PRODUCTS[PRODUCT_INDEX[sku]].name,
                "rate": rate,
                **_association(present, anchor, PRODUCT_INDEX[sku]),
            }
            for sku, rate in bundle.companions
        ]
        value = {
            "anchor": {"sku": bundle.anchor, "name": PRODUCTS[anchor].name},
            "skus": list(bundle.skus),
            "names": [PRODUCTS[PRODUCT_INDEX[s]].name for s in bundle.skus],
            "companions": companions,
        }
        facts.append(("bundle", bundle.name, value))
    return facts


def _association(present: np.ndarray, a: int, b: int) -> dict:
    """Support of the pair, confidence of a -> b and lift, over all quotes."""
    n = len(present)
    both = int((present[:, a] & present[:, b]).sum())
    count_a, count_b = int(present[:, a].sum()), int(present[:, b].sum())
    if not (count_a and count_b):
        return {"support": 0.0, "confidence": None, "lift": None}
    return {
        "support": round(both / n, 5),
        "confidence": round(both / count_a, 4),
        "lift": round(both * n / (count_a * count_b), 2),
    }


def anomaly_facts(
    quotes: list[DemoQuote],
    anomalies: list[int],
    quote_ids: list[int],
    customer_ids: list[int],
) -> list[Fact]:
    return [
        (
            "anomaly",
            str(quote_ids[i]),
            {
                "kind": quotes[i].anomaly,
                "factor": quotes[i].anomaly_factor,
                "quote_number": quotes[i].number,
                "customer_id": customer_ids[quotes[i].account],
            },
        )
        for i in anomalies
    ]


def note_facts(
    notes: list[DemoNote], note_ids: list[int], customer_ids: list[int]
) -> list[Fact]:
    return [
        (
            "note",
            str(note_id),
            {
                "tone": note.tone,
                "state": note.state,
                "customer_id": customer_ids[note.account],
            },
        )
        for note_id, note in zip(note_ids, notes, strict=True)
    ]


def _median(values: list[float]) -> float | None:
    return round(float(np.median(values)), 2) if values else None
