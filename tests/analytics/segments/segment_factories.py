"""Customer bases for the segments tests: features of planted profiles, quotes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.segments import FEATURES

QUOTE_COLUMNS = [
    "quote_id",
    "customer_id",
    "customer",
    "owner",
    "owner_rep_id",
    "created_at",
    "status",
    "subtotal",
    "discount_pct",
    "total",
    "currency",
]

PROFILES = {
    "loyal": {
        "value": 96_000.0,
        "frequency": 2.0,
        "order_size": 4_000.0,
        "tenure": 900.0,
        "acceptance": 0.7,
        "recency": 5.0,
    },
    "lapsed": {
        "value": 1_800.0,
        "frequency": 0.1,
        "order_size": 1_500.0,
        "tenure": 900.0,
        "acceptance": 0.5,
        "recency": 400.0,
    },
    "new": {
        "value": 18_000.0,
        "frequency": 1.0,
        "order_size": 1_500.0,
        "tenure": 60.0,
        "acceptance": 0.6,
        "recency": 10.0,
    },
    "price": {
        "value": 9_000.0,
        "frequency": 0.5,
        "order_size": 1_500.0,
        "tenure": 500.0,
        "acceptance": 0.15,
        "recency": 40.0,
    },
    "big_ticket": {
        "value": 30_000.0,
        "frequency": 0.1,
        "order_size": 25_000.0,
        "tenure": 800.0,
        "acceptance": 0.6,
        "recency": 150.0,
    },
}
RELATIVE_SPREAD = 0.08


def blob_features(
    profiles: list[str], per_profile: int = 30, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray]:
    """Features of ``per_profile`` customers around each named profile.

    Every feature varies by about 8% around the profile, so the planted
    groups are far apart. Returns the features (columns ``FEATURES``,
    ``orders`` and ``revenue``, indexed by customer ids from 1) and each
    customer's profile number, shape (n_customers,).
    """
    rng = np.random.default_rng(seed)
    centres = pd.DataFrame([PROFILES[name] for name in profiles])[list(FEATURES)]
    planted = np.repeat(np.arange(len(profiles)), per_profile)

    noise = rng.lognormal(0.0, RELATIVE_SPREAD, (len(planted), len(FEATURES)))
    features = centres.iloc[planted].reset_index(drop=True) * noise
    features["acceptance"] = features["acceptance"].clip(upper=1.0)

    orders = np.maximum(1, np.round(features["frequency"] * features["tenure"] / 30))
    features["orders"] = orders.astype(int)
    features["revenue"] = features["order_size"] * features["orders"]
    features.index = pd.RangeIndex(1, len(planted) + 1, name="customer_id")
    return features, planted


def quote_frame(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    """A quote history from ``(customer_id, created_at, status, total)`` rows."""
    frame = pd.DataFrame(rows, columns=["customer_id", "created_at", "status", "total"])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return _with_quote_columns(frame)


def quote_history_frame(
    per_profile: int = 25, as_of: str = "2025-12-31", seed: int = 0
) -> pd.DataFrame:
    """Quotes of customers who buy like the profiles ``loyal``, ``lapsed``,
    ``new`` and ``big_ticket``: their first quote ``tenure`` days before
    ``as_of``, orders every ``1 / frequency`` months until ``recency`` days
    before it, of about ``order_size`` each, a quarter of them rejected.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(as_of)
    names = ["loyal", "lapsed", "new", "big_ticket"]
    frames = [
        _customer_quotes(number, PROFILES[name], end, rng)
        for number, name in enumerate(np.repeat(names, per_profile), start=1)
    ]
    return _with_quote_columns(pd.concat(frames, ignore_index=True))


def _customer_quotes(
    customer_id: int, profile: dict[str, float], end: pd.Timestamp, rng
) -> pd.DataFrame:
    first = end - pd.Timedelta(days=profile["tenure"] * rng.uniform(0.9, 1.1))
    last = end - pd.Timedelta(days=profile["recency"] * rng.uniform(0.8, 1.2))
    gap = pd.Timedelta(days=30.4 / profile["frequency"])
    days = pd.date_range(first, max(first, last), freq=gap)

    sizes = profile["order_size"] * rng.lognormal(0.0, 0.1, len(days))
    status = np.where(rng.uniform(size=len(days)) < 0.25, "rejected", "accepted")
    status[-1] = "accepted"
    return pd.DataFrame(
        {
            "customer_id": customer_id,
            "created_at": days,
            "status": status,
            "total": sizes.round(2),
        }
    )


def _with_quote_columns(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame["quote_id"] = np.arange(1, len(frame) + 1)
    frame["customer"] = "Customer " + frame["customer_id"].astype(str)
    frame["owner"] = "Alex Rivera"
    frame["owner_rep_id"] = 1
    frame["subtotal"] = frame["total"]
    frame["discount_pct"] = 0.0
    frame["currency"] = "USD"
    return frame[QUOTE_COLUMNS]
