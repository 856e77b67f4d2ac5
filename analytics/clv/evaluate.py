"""How well each CLV model would have valued the customers of a past window.

``evaluate_clv`` cuts the orders at a cutoff: every model is fitted on the
orders before it (the calibration period) and predicts each customer's
revenue in ``[cutoff, cutoff + horizon_days)`` (the holdout), which none of
them has seen. The customers judged are those with an order before the
cutoff; revenue of customers who first buy in the holdout is in no model's
reach and left out. Scores are the mean absolute error and the root mean
squared error of revenue per customer.

The selected model is the one with the lowest MAE; a tie goes to the simpler
model (naive, then BG/NBD, then boosting). MAE rewards predicting the typical
customer well, and for revenue, where most customers buy nothing in a window,
a low MAE can come from predicting little for everyone, so the result also
gives ``holdout_total``: the revenue each model predicts for all the
customers against what they spent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from analytics.clv.errors import TooLittleHistoryError
from analytics.clv.naive import NaiveCLV
from analytics.clv.orders import as_day, before, check_orders
from analytics.clv.probabilistic import ProbabilisticCLV
from analytics.clv.regressor import BehaviouralCLV
from analytics.clv.summary import future_value, rfm_summary

logger = logging.getLogger(__name__)

MODELS = ("naive", "bgnbd", "gbr")
DIGITS = 4


def evaluate_clv(
    orders: pd.DataFrame, horizon_days: int = 90, cutoff=None
) -> dict[str, Any]:
    """Fit every model before ``cutoff`` and score it on the window after.

    Parameters
    ----------
    orders : DataFrame, shape (n_orders, 3)
        Columns ``customer_id, date, amount``.
    horizon_days : int
        Length of the holdout window.
    cutoff : date-like, optional
        First day of the holdout; by default the holdout ends on the day of
        the latest order.

    Returns
    -------
    dict
        ``horizon_days``; ``cutoff`` (ISO date); ``customers`` judged;
        ``models``, mapping ``"gbr"``, ``"bgnbd"`` and ``"naive"`` to their
        ``{"mae", "rmse"}``; ``selected``, the key of the lowest MAE; and
        ``holdout_total``, the revenue of all judged customers, ``"actual"``
        and per model. Floats are rounded to 4 digits.
    """
    orders = check_orders(orders)
    _require_orders(orders)
    cutoff = holdout_cutoff(orders, horizon_days) if cutoff is None else as_day(cutoff)
    _require_holdout(orders, cutoff, horizon_days)

    calibration = before(orders, cutoff)
    actual = future_value(orders, cutoff, horizon_days)
    predicted = {
        name: _timed(name, PREDICTORS[name], calibration, cutoff, horizon_days)
        for name in MODELS
    }

    scores = {name: _scores(actual, predicted[name]) for name in MODELS}
    selected = min(MODELS, key=lambda name: scores[name]["mae"])
    logger.info(
        "evaluated CLV over %s days from %s on %s customers: %s; selected %s",
        horizon_days,
        cutoff.date(),
        len(actual),
        ", ".join(f"{n} MAE {s['mae']:.2f}" for n, s in scores.items()),
        selected,
    )
    return {
        "horizon_days": horizon_days,
        "cutoff": cutoff.date().isoformat(),
        "customers": len(actual),
        "models": {name: scores[name] for name in ("gbr", "bgnbd", "naive")},
        "selected": selected,
        "holdout_total": _totals(actual, predicted),
    }


def holdout_cutoff(orders: pd.DataFrame, horizon_days: int) -> pd.Timestamp:
    """The cutoff whose holdout of ``horizon_days`` ends on the latest order's day."""
    last_day = check_orders(orders)["date"].max().normalize()
    return last_day + pd.Timedelta(days=1 - horizon_days)


def predict_bgnbd(calibration: pd.DataFrame, cutoff, days: int) -> pd.Series:
    """BG/NBD with Gamma-Gamma fitted at ``cutoff``, predicting ``days`` ahead."""
    summary = rfm_summary(calibration, cutoff, "D")
    return ProbabilisticCLV("D").fit(summary).predict(summary, days)


def predict_gbr(calibration: pd.DataFrame, cutoff, days: int) -> pd.Series:
    """Behavioural CLV fitted for ``cutoff``, predicting ``days`` ahead."""
    model = BehaviouralCLV(horizon_days=days).fit(calibration, cutoff)
    return model.predict(calibration, cutoff)


def predict_naive(calibration: pd.DataFrame, cutoff, days: int) -> pd.Series:
    """Revenue of the ``days`` before ``cutoff``."""
    return (
        NaiveCLV(horizon_days=days)
        .fit(calibration, cutoff)
        .predict(calibration, cutoff)
    )


PREDICTORS: dict[str, Callable[[pd.DataFrame, Any, int], pd.Series]] = {
    "naive": predict_naive,
    "bgnbd": predict_bgnbd,
    "gbr": predict_gbr,
}


def _timed(name, predictor, calibration, cutoff, days) -> pd.Series:
    started = time.perf_counter()
    predicted = predictor(calibration, cutoff, days)
    logger.debug("fitted %s in %.2f s", name, time.perf_counter() - started)
    return predicted


def _scores(actual: pd.Series, predicted: pd.Series) -> dict[str, float]:
    errors = predicted.reindex(actual.index).to_numpy() - actual.to_numpy()
    return {
        "mae": round(float(np.mean(np.abs(errors))), DIGITS),
        "rmse": round(float(np.sqrt(np.mean(errors**2))), DIGITS),
    }


def _totals(actual: pd.Series, predicted: dict[str, pd.Series]) -> dict[str, float]:
    totals = {"actual": float(actual.sum())}
    totals |= {name: float(predicted[name].sum()) for name in MODELS}
    return {name: round(value, DIGITS) for name, value in totals.items()}


def _require_holdout(orders: pd.DataFrame, cutoff: pd.Timestamp, days: int) -> None:
    end_of_data = orders["date"].max().normalize() + pd.Timedelta(days=1)
    covered = (end_of_data - cutoff).days
    if covered < days:
        raise TooLittleHistoryError(
            days,
            covered,
            f"days of orders from the cutoff {cutoff.date().isoformat()} on",
            "The CLV evaluation",
            "Use an earlier cutoff or a shorter horizon.",
        )
    if not (orders["date"] < cutoff).any():
        raise TooLittleHistoryError(
            1,
            0,
            f"days of orders before the cutoff {cutoff.date().isoformat()}",
            "The CLV evaluation",
            "Use a later cutoff.",
        )


def _require_orders(orders: pd.DataFrame) -> None:
    if orders.empty:
        raise TooLittleHistoryError(
            1, 0, "orders", "The CLV evaluation", "Import quotes or orders first."
        )
