"""Seeded simulators of the CLV models' own stories, and small order frames."""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_bgnbd(
    r: float,
    alpha: float,
    a: float,
    b: float,
    n: int,
    seed: int,
    ages: tuple[float, float] = (39.0, 78.0),
    horizon: float = 0.0,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers who buy and drop out as BG/NBD says, seen for ``T`` periods.

    Each customer has a Poisson purchase rate drawn from Gamma(r, alpha) and
    a drop-out probability from Beta(a, b); after every repeat purchase they
    leave with that probability. ``T`` is uniform in ``ages``.

    Returns
    -------
    summary : DataFrame, shape (n, 3)
        ``frequency, recency, T``.
    future : ndarray, shape (n,)
        Repeat purchases in the ``horizon`` periods after ``T``.
    """
    rng = np.random.default_rng(seed)
    T = rng.uniform(*ages, n)
    rates = rng.gamma(r, 1 / alpha, n)
    drop = rng.beta(a, b, n)

    rows = [_one_customer(rng, rates[i], drop[i], T[i], horizon) for i in range(n)]
    x, t_x, future = np.array(rows, dtype=float).T
    summary = pd.DataFrame({"frequency": x, "recency": t_x, "T": T})
    return summary, future


def _one_customer(rng, rate: float, drop: float, age: float, horizon: float):
    x, t_x, future, t = 0, 0.0, 0, 0.0
    while True:
        t += rng.exponential(1 / rate)
        if t > age + horizon:
            return x, t_x, future
        if t <= age:
            x, t_x = x + 1, t
        else:
            future += 1
        if rng.random() < drop:
            return x, t_x, future


def simulate_spend(p: float, q: float, v: float, n: int, seed: int) -> pd.DataFrame:
    """Repeat buyers whose purchases are worth Gamma(p, nu), nu ~ Gamma(q, v).

    Returns
    -------
    DataFrame, shape (n, 2)
        ``frequency`` (1 to about 10) and ``monetary_value``, the mean of
        that many purchases.
    """
    rng = np.random.default_rng(seed)
    frequency = 1 + rng.poisson(2.0, n)
    nu = rng.gamma(q, 1 / v, n)

    totals = rng.gamma(p * frequency, 1 / nu)
    return pd.DataFrame({"frequency": frequency, "monetary_value": totals / frequency})


def simulated_orders(n: int = 300, days: int = 540, seed: int = 0) -> pd.DataFrame:
    """Daily orders of ``n`` customers over ``days`` days from 2024-01-01.

    Customers join in the first third, buy at rates of about one order a
    month, drop out after an order with a small probability and spend about
    200 an order, more for some customers than others.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    rows = []
    for customer in range(1, n + 1):
        joined = rng.uniform(0, days / 3)
        rate, drop = rng.gamma(2.0, 1 / 60), rng.beta(1.0, 12.0)
        scale = rng.gamma(4.0, 50.0)
        for day in _order_days(rng, joined, rate, drop, days):
            rows.append((customer, start + pd.Timedelta(days=int(day)), scale))

    frame = pd.DataFrame(rows, columns=["customer_id", "date", "scale"])
    frame["amount"] = rng.gamma(2.0, frame["scale"] / 2.0).round(2)
    return frame.drop(columns="scale")


def _order_days(rng, joined: float, rate: float, drop: float, days: int):
    t, order_days = joined, [joined]
    while rng.random() >= drop:
        t += rng.exponential(1 / rate)
        if t >= days:
            break
        order_days.append(t)
    return order_days


def orders(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    """An orders frame from ``(customer_id, "YYYY-MM-DD", amount)`` rows."""
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
