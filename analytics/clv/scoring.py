"""Batch scores of every customer: the served CLV family, fitted and applied.

``fit_clv`` fits one family for a day ``as_of`` (the first day not seen,
usually the day after the latest order) and ``predict_clv`` scores every
customer with an order before it. The families:

- ``"bgnbd"`` (default): one ``ProbabilisticCLV``; it gives every column,
  for any horizon, from one fit.
- ``"gbr"``: a ``BehaviouralCLV`` per horizon (90 and 365 days); the 365-day
  one needs about 455 days of orders. No probability alive nor expected
  orders (missing values).
- ``"naive"``: the revenue of the last 90 and 365 days; no probability alive
  nor expected orders.

A ``CLVScorer`` is stored as one JSON artifact holding its members'
artifacts, never a pickle.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import pandas as pd

from analytics.clv.base import ARTIFACT_VERSION, CLVEstimator, read_envelope
from analytics.clv.errors import ArtifactError, CLVError
from analytics.clv.naive import NaiveCLV
from analytics.clv.orders import as_day, before, check_orders
from analytics.clv.probabilistic import ProbabilisticCLV
from analytics.clv.regressor import BehaviouralCLV
from analytics.clv.summary import rfm_summary

logger = logging.getLogger(__name__)

FAMILIES = ("bgnbd", "gbr", "naive")
HORIZONS = (90, 365)
SCORE_COLUMNS = (
    "customer_id",
    "value_90d",
    "value_365d",
    "probability_alive",
    "expected_orders_90d",
)
ARTIFACT_FORMAT = "clv-json"
MEMBER_CLASSES = {"bgnbd": ProbabilisticCLV, "gbr": BehaviouralCLV, "naive": NaiveCLV}


@dataclass
class CLVScorer:
    """A fitted CLV family, ready to score customers.

    Attributes
    ----------
    family : str
        ``"bgnbd"``, ``"gbr"`` or ``"naive"``.
    as_of : Timestamp
        The day it was fitted for.
    models : dict of str to CLVEstimator
        ``{"all": ProbabilisticCLV}`` for BG/NBD, else one model per horizon
        keyed ``"90"`` and ``"365"``.
    """

    family: str
    as_of: pd.Timestamp
    models: dict[str, CLVEstimator]

    def predict(self, orders: pd.DataFrame, as_of=None) -> pd.DataFrame:
        """Score every customer with an order before ``as_of``.

        Parameters
        ----------
        orders : DataFrame, shape (n_orders, 3)
            Columns ``customer_id, date, amount``, of every customer.
        as_of : date-like, optional
            The first day not seen; by default the day it was fitted for.

        Returns
        -------
        DataFrame, shape (n_customers, 5)
            Columns ``customer_id, value_90d, value_365d, probability_alive,
            expected_orders_90d``, one row per customer by ``customer_id``.
        """
        as_of = self.as_of if as_of is None else as_day(as_of)
        history = before(check_orders(orders), as_of)

        if self.family == "bgnbd":
            scores = self._probabilistic_scores(history, as_of)
        else:
            scores = self._per_horizon_scores(history, as_of)
        return scores.rename_axis("customer_id").reset_index()[list(SCORE_COLUMNS)]

    def to_artifact(self) -> tuple[str, bytes]:
        """The scorer as ``("clv-json", payload)``, its members' artifacts inside."""
        members = {}
        for key, model in self.models.items():
            fmt, payload = model.to_artifact()
            members[key] = {"format": fmt, "payload": payload.decode()}

        envelope = {
            "version": ARTIFACT_VERSION,
            "model": "clv_scorer",
            "family": self.family,
            "as_of": self.as_of.isoformat(),
            "members": members,
        }
        return ARTIFACT_FORMAT, json.dumps(envelope).encode()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a scorer from what ``to_artifact`` returned."""
        if fmt != ARTIFACT_FORMAT:
            raise ArtifactError(
                f"CLV scorer artifacts have format {ARTIFACT_FORMAT!r}; got {fmt!r}. "
                "Load it with the model that saved it."
            )

        envelope = read_envelope(payload, "CLV scorer")
        family = envelope.get("family")
        if envelope.get("model") != "clv_scorer" or family not in MEMBER_CLASSES:
            raise ArtifactError(
                "this artifact is not a CLV scorer of a known family; re-train it."
            )

        member_class = MEMBER_CLASSES[family]
        models = {
            key: member_class.from_artifact(m["format"], m["payload"].encode())
            for key, m in envelope["members"].items()
        }
        return cls(family, pd.Timestamp(envelope["as_of"]), models)

    def _probabilistic_scores(self, history, as_of) -> pd.DataFrame:
        model = self.models["all"]
        summary = rfm_summary(history, as_of, model.freq)

        return pd.DataFrame(
            {
                "value_90d": model.predict(summary, 90),
                "value_365d": model.predict(summary, 365),
                "probability_alive": model.probability_alive(summary),
                "expected_orders_90d": model.expected_orders(summary, 90),
            }
        )

    def _per_horizon_scores(self, history, as_of) -> pd.DataFrame:
        values = {
            f"value_{days}d": self.models[str(days)].predict(history, as_of)
            for days in HORIZONS
        }

        scores = pd.DataFrame(values)
        scores["probability_alive"] = np.nan
        scores["expected_orders_90d"] = np.nan
        return scores


def fit_clv(orders: pd.DataFrame, as_of, family: str = "bgnbd") -> CLVScorer:
    """Fit the served CLV ``family`` on the orders before ``as_of``.

    Parameters
    ----------
    orders : DataFrame, shape (n_orders, 3)
        Columns ``customer_id, date, amount``, of every customer.
    as_of : date-like
        The first day not seen, usually the day after the latest order.
    family : {"bgnbd", "gbr", "naive"}
        ``evaluate_clv``'s ``selected`` names one.

    Returns
    -------
    CLVScorer
    """
    if family not in FAMILIES:
        raise CLVError(f"family must be one of {', '.join(FAMILIES)}; got {family!r}.")
    as_of = as_day(as_of)
    history = before(check_orders(orders), as_of)
    started = time.perf_counter()

    models = _fit_family(history, as_of, family)

    logger.info(
        "fitted the %s CLV family on %s customers as of %s in %.1f s",
        family,
        history["customer_id"].nunique(),
        as_of.date(),
        time.perf_counter() - started,
    )
    return CLVScorer(family, as_of, models)


def predict_clv(model: CLVScorer, orders: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Score every customer with ``model``; see ``CLVScorer.predict``."""
    return model.predict(orders, as_of)


def _fit_family(history, as_of, family: str) -> dict[str, Any]:
    if family == "bgnbd":
        summary = rfm_summary(history, as_of, "D")
        return {"all": ProbabilisticCLV("D").fit(summary)}

    member_class = MEMBER_CLASSES[family]
    return {
        str(days): member_class(horizon_days=days).fit(history, as_of)
        for days in HORIZONS
    }
