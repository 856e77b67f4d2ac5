"""Comparing the churn models on a cutoff none of them saw, and serving the best.

``evaluate_churn`` fits every model on the same rolling training cutoffs,
calibrates each on the validation cutoff and scores it on the later
evaluation cutoff (see ``analytics.churn.cutoffs``), so the numbers are what
the model would have achieved had it been trained then. The model with the
best PR AUC is selected (ties go to the better ROC AUC, then to the earlier
model in ``CHURN_MODELS``, the rules baseline first).

``fit_churn_model`` fits the model to serve on every cutoff up to the latest
labelled one and calibrates it there; ``score_customers`` scores every
current account with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analytics.churn.base import ChurnModel
from analytics.churn.calibration import resolve_calibration
from analytics.churn.cutoffs import ChurnCutoffs, default_cutoffs, serving_cutoffs
from analytics.churn.features import (
    FEATURES,
    LABEL,
    Cutoff,
    as_cutoff,
    check_quotes,
    churn_features,
    last_data_day,
    training_frame,
)
from analytics.churn.metrics import churn_metrics
from analytics.churn.registry import CHURN_MODELS, make_churn_model

logger = logging.getLogger(__name__)

DIGITS = 4


def evaluate_churn(
    quotes: pd.DataFrame,
    window_days: int = 90,
    *,
    n_train: int = 6,
    step_days: int = 30,
    evaluation_cutoff: Cutoff | None = None,
    calibration: str = "platt",
    models: Iterable[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Fit, calibrate and score every churn model on the same cutoffs.

    Parameters
    ----------
    quotes : DataFrame
        The quote history, as ``storage.queries.quote_history`` returns it.
    window_days : int
        Churn means no accepted order in this many days after a cutoff.
    n_train, step_days, evaluation_cutoff
        Where the cutoffs fall; see ``default_cutoffs``.
    calibration : {"platt", "isotonic", "auto"}
        Platt by default: it keeps each model's ranking, where isotonic's flat
        steps tie accounts and cost PR AUC on small validation sets;
        ``"auto"`` is isotonic from 1,000 validation accounts.
    models : iterable of str, optional
        Registry names; default all of ``CHURN_MODELS``.
    **options
        Hyperparameters given to every model whose ``__init__`` takes them.

    Returns
    -------
    dict
        ``window_days``, ``train_cutoffs`` (ISO dates), ``validation_cutoff``,
        ``evaluation_cutoff``, ``customers_evaluated``, ``churn_rate``,
        ``models`` (name to ``roc_auc, pr_auc, brier, ece, lift_top_decile``),
        ``selected`` and ``calibration``; floats rounded to 4 places, None
        where a measure is undefined.

    Raises
    ------
    TooLittleHistoryError
        When the history is too short for the cutoffs.
    """
    cutoffs = default_cutoffs(
        quotes, window_days, n_train, step_days, evaluation_cutoff=evaluation_cutoff
    )
    train, valid = _frames(quotes, cutoffs)
    test = training_frame(quotes, [cutoffs.evaluation], window_days)
    method = resolve_calibration(calibration, len(valid))

    scores = {}
    for name in list(models or CHURN_MODELS):
        model = _fit_calibrated(name, train, valid, method, options)
        scores[name] = _rounded(churn_metrics(test[LABEL], model.predict_proba(test)))

    result = {
        **cutoffs.to_dict(),
        "customers_evaluated": len(test),
        "churn_rate": round(float(test[LABEL].mean()), DIGITS),
        "models": scores,
        "selected": _select(scores),
        "calibration": method,
    }
    _log_evaluation(result)
    return result


def fit_churn_model(
    quotes: pd.DataFrame,
    name: str = "xgboost",
    window_days: int = 90,
    *,
    step_days: int = 30,
    max_train_cutoffs: int | None = None,
    calibration: str = "platt",
    **options: Any,
) -> ChurnModel:
    """The ``name`` model fitted to serve, on every cutoff up to the latest labelled.

    The raw model learns from the training cutoffs of ``serving_cutoffs``
    (``step_days`` apart, at most ``max_train_cutoffs`` of them, the latest
    kept) and is calibrated on the latest labelled cutoff, ``window_days``
    before the last data day.

    Returns
    -------
    ChurnModel
        Fitted and calibrated.
    """
    cutoffs = serving_cutoffs(
        quotes, window_days, step_days, max_train=max_train_cutoffs
    )
    train, valid = _frames(quotes, cutoffs)
    method = resolve_calibration(calibration, len(valid))
    return _fit_calibrated(name, train, valid, method, options)


def score_customers(
    model: ChurnModel, quotes: pd.DataFrame, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Every current account's probability of churn as of the end of ``as_of``.

    Parameters
    ----------
    model : ChurnModel
        Fitted, and calibrated to serve (as ``fit_churn_model`` returns it).
    quotes : DataFrame
        The quote history.
    as_of : date, optional
        The day scored; quotes created on it count. Default the last data day.

    Returns
    -------
    DataFrame, shape (n_accounts, 4 + len(FEATURES))
        ``customer_id, customer, owner, probability`` and the ``FEATURES``,
        riskiest first. Lapsed accounts are left out (see
        ``analytics.churn.features``).
    """
    quotes = check_quotes(quotes)
    day = last_data_day(quotes) if as_of is None else as_cutoff(as_of).normalize()
    features = churn_features(quotes, day + pd.Timedelta(days=1))

    scored = features.assign(probability=model.predict_proba(features))
    names = _account_names(quotes).reindex(scored.index)
    frame = names.join(scored).reset_index()
    columns = ["customer_id", "customer", "owner", "probability", *FEATURES]
    frame = frame.sort_values("probability", ascending=False, kind="stable")
    return frame[columns].reset_index(drop=True)


def _frames(quotes: pd.DataFrame, cutoffs: ChurnCutoffs):
    train = training_frame(quotes, cutoffs.train, cutoffs.window_days)
    valid = training_frame(quotes, [cutoffs.validation], cutoffs.window_days)
    logger.debug(
        "churn training rows %s over %s cutoffs, validation rows %s",
        len(train),
        len(cutoffs.train),
        len(valid),
    )
    return train, valid


def _fit_calibrated(
    name: str,
    train: pd.DataFrame,
    valid: pd.DataFrame,
    method: str,
    options: dict[str, Any],
) -> ChurnModel:
    model = make_churn_model(name, **options)
    started = time.perf_counter()

    model.fit(train, train[LABEL], validation=(valid, valid[LABEL]))
    model.calibrate(valid, valid[LABEL], method)

    logger.info(
        "fitted the %s churn model on %s rows and calibrated it (%s) on %s in %.1f s",
        name,
        len(train),
        method,
        len(valid),
        time.perf_counter() - started,
    )
    return model


def _select(scores: dict[str, dict[str, float | None]]) -> str:
    def key(name: str) -> tuple[float, float]:
        pr, roc = scores[name]["pr_auc"], scores[name]["roc_auc"]
        return (-1.0 if pr is None else pr, -1.0 if roc is None else roc)

    return max(scores, key=key)


def _rounded(metrics: dict[str, float | None]) -> dict[str, float | None]:
    return {k: None if v is None else round(v, DIGITS) for k, v in metrics.items()}


def _account_names(quotes: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in ("customer", "owner") if c in quotes]
    names = quotes.groupby("customer_id")[columns].last()
    return names.reindex(columns=["customer", "owner"])


def _log_evaluation(result: dict[str, Any]) -> None:
    selected = result["selected"]
    logger.info(
        "evaluated %s churn models on %s accounts at %s: %s selected, PR AUC %s, "
        "ROC AUC %s",
        len(result["models"]),
        result["customers_evaluated"],
        result["evaluation_cutoff"],
        selected,
        result["models"][selected]["pr_auc"],
        result["models"][selected]["roc_auc"],
    )
