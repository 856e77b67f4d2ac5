"""Synthetic quote profiles: ordinary quotes of a few accounts, and planted odd ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2025-01-01")


def quote_profiles(
    n_customers: int = 30, quotes_each: int = 20, seed: int = 0
) -> pd.DataFrame:
    """Quotes as ``storage.queries.quote_profiles`` returns them, all ordinary.

    Each customer has its own usual size; each of three reps a usual discount
    (5, 10 or 15 %); every line is at list price.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(1, n_customers + 1):
        level = rng.uniform(2_000, 20_000)
        rep = customer % 3 + 1
        days = np.sort(rng.uniform(0, 700, quotes_each))
        for day in days:
            rows.append(
                _quote(rng, customer, rep, START + pd.Timedelta(days=day), level)
            )
    frame = pd.DataFrame(rows).sort_values("created_at", kind="stable")
    frame["quote_id"] = np.arange(1, len(frame) + 1)
    frame["quote_number"] = [f"Q-{i:05d}" for i in frame["quote_id"]]
    return frame.reset_index(drop=True)


def _quote(rng, customer: int, rep: int, created_at, level: float) -> dict:
    lines = int(rng.integers(1, 5))
    quantity = float(rng.integers(5, 40) * lines)
    list_value = level * rng.lognormal(0, 0.25)
    discount = float(rep * 5 + rng.choice([-5, 0, 0, 5]))
    return {
        "customer_id": customer,
        "customer": f"Customer {customer}",
        "rep_id": rep,
        "rep": f"Rep {rep}",
        "created_at": created_at,
        "status": "accepted",
        "subtotal": list_value,
        "discount_pct": discount,
        "total": list_value * (1 - discount / 100),
        "lines": lines,
        "quantity": quantity,
        "line_value": list_value,
        "list_value": list_value,
    }


def plant(frame: pd.DataFrame, quote_id: int, kind: str) -> pd.DataFrame:
    """``frame`` with one quote made odd: ``oversized``, ``deep_discount`` or
    ``below_list_price``."""
    frame = frame.copy()
    row = frame.index[frame["quote_id"] == quote_id][0]
    if kind == "oversized":
        for column in ("subtotal", "total", "quantity", "line_value", "list_value"):
            frame.loc[row, column] *= 8
    elif kind == "deep_discount":
        frame.loc[row, "discount_pct"] = 50.0
        frame.loc[row, "total"] = frame.loc[row, "subtotal"] * 0.5
    else:
        for column in ("subtotal", "total", "line_value"):
            frame.loc[row, column] *= 0.3
    return frame
