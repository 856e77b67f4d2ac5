"""Synthetic revenue series for the forecasting tests, each with a fixed seed."""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEKDAY_LEVELS = np.array([100.0, 120.0, 110.0, 105.0, 90.0, 5.0, 0.0])


def daily_series(days: int = 120, start: str = "2024-01-01", seed: int = 0):
    """Revenue with a weekly rhythm (Monday first), a mild trend and noise."""
    index = pd.date_range(start, periods=days, freq="D", name="date")
    rng = np.random.default_rng(seed)
    level = WEEKDAY_LEVELS[index.day_of_week] * (1 + 0.001 * np.arange(days))
    noise = rng.normal(0.0, 8.0, days) * (level > 10)
    return pd.Series(np.clip(level + noise, 0, None), index=index, name="revenue")


def weekly_series(weeks: int = 120, start: str = "2022-01-03", seed: int = 0):
    """Weekly revenue (weeks starting Monday) with a yearly swing and noise."""
    index = pd.date_range(start, periods=weeks, freq="W-MON", name="date")
    rng = np.random.default_rng(seed)
    yearly = 1 + 0.3 * np.sin(2 * np.pi * np.arange(weeks) / 52)
    values = 1000 * yearly + rng.normal(0.0, 50.0, weeks)
    return pd.Series(np.clip(values, 0, None), index=index, name="revenue")
