"""Fitting the anomaly model on a quote history, and measuring it on planted truth.

``fit_anomalies`` is what training calls: features of every quote, a fitted
``QuoteAnomalyModel``. ``evaluate_anomalies`` is what ``quotebot evaluate``
reports when the store knows which quotes are anomalies (the demo data
plants them): the model is fitted on the earliest ``train_share`` of the
quotes and ranks the later ones, which it never saw; each ranking's top k is
compared with the planted anomalies among those later quotes, where k is
their number. With k equal to the number of true anomalies, precision at k
and recall at k are the same number (the share of the planted anomalies in
the top k); both are reported under their usual names. The served ranking
is ``combined``; the robust-z rule is the baseline it must beat, and
``chance`` is what a random order would score (k over the quotes ranked).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from analytics.anomalies.errors import TooFewQuotesError
from analytics.anomalies.features import quote_features
from analytics.anomalies.model import MIN_QUOTES, RANKINGS, QuoteAnomalyModel

logger = logging.getLogger(__name__)

SERVED = "combined"
TRAIN_SHARE = 0.7
DIGITS = 4


def fit_anomalies(
    profiles: pd.DataFrame, *, random_state: int = 0
) -> tuple[QuoteAnomalyModel, pd.DataFrame]:
    """Fit the anomaly model on every quote of ``profiles``.

    Parameters
    ----------
    profiles : DataFrame, shape (n_quotes, >= 9)
        From ``storage.queries.quote_profiles``.

    Returns
    -------
    model : QuoteAnomalyModel
    features : DataFrame, shape (n_quotes, 22)
        From ``quote_features``, indexed by quote id.
    """
    features = quote_features(profiles)
    model = QuoteAnomalyModel(random_state=random_state).fit(features)
    return model, features


def evaluate_anomalies(
    profiles: pd.DataFrame,
    planted: Collection[int],
    *,
    train_share: float = TRAIN_SHARE,
    random_state: int = 0,
) -> dict[str, Any]:
    """Precision and recall at k of every ranking on later quotes.

    Parameters
    ----------
    profiles : DataFrame, shape (n_quotes, >= 9)
        From ``storage.queries.quote_profiles``.
    planted : collection of int
        Ids of the quotes known to be anomalies.
    train_share : float
        Share of the quotes, oldest first, the model is fitted on.

    Returns
    -------
    dict
        ``precision_at_k``, ``recall_at_k`` (of the served ranking), ``k``,
        ``models`` (per ranking in ``RANKINGS``, its ``precision_at_k`` and
        ``recall_at_k``), ``selected`` ("combined"), ``chance`` (k over the
        quotes ranked), ``train_quotes``, ``test_quotes`` and ``cutoff`` (the
        first day of the ranked quotes). The numbers are None when no
        planted anomaly falls among the ranked quotes.
    """
    features = quote_features(profiles)
    cut = int(len(features) * train_share)
    if cut < MIN_QUOTES or len(features) - cut < 1:
        raise TooFewQuotesError(int(np.ceil(MIN_QUOTES / train_share)), len(features))
    train, test = features.iloc[:cut], features.iloc[cut:]

    model = QuoteAnomalyModel(random_state=random_state).fit(train)
    scores = model.score(test)
    planted = set(planted)
    k = int(test.index.isin(list(planted)).sum())
    models = {name: _at_k(scores[name], planted, k) for name in RANKINGS}
    report = {
        **models[SERVED],
        "k": k,
        "models": models,
        "selected": SERVED,
        "chance": _round(k / len(test)),
        "train_quotes": len(train),
        "test_quotes": len(test),
        "cutoff": test["created_at"].min().date().isoformat(),
    }
    logger.info(
        "evaluated quote anomalies on %s later quotes, k=%s: precision %s",
        len(test),
        k,
        report["precision_at_k"],
    )
    return report


def _at_k(score: pd.Series, planted: set, k: int) -> dict[str, float | None]:
    """Precision and recall of the ``k`` highest scores against ``planted`` ids."""
    if k == 0:
        return {"precision_at_k": None, "recall_at_k": None}
    top = score.sort_values(ascending=False, kind="stable").index[:k]
    hits = int(top.isin(list(planted)).sum())
    return {"precision_at_k": _round(hits / k), "recall_at_k": _round(hits / k)}


def _round(value: float) -> float:
    return round(float(value), DIGITS)
