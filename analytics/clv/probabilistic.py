"""Expected revenue per customer: BG/NBD purchases times Gamma-Gamma spend.

The expected revenue of a customer over the next ``days`` is the number of
purchases BG/NBD expects in that time times the value Gamma-Gamma expects per
purchase. The two are multiplied as if independent, which is the Gamma-Gamma
assumption that spend does not depend on frequency. Nothing is discounted.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pandas as pd

from analytics.clv.base import CLVEstimator
from analytics.clv.bgnbd import BetaGeoModel, GammaGammaModel
from analytics.clv.errors import OrdersError
from analytics.clv.summary import period_days


class ProbabilisticCLV(CLVEstimator):
    """BG/NBD and Gamma-Gamma fitted on one summary; revenue over any horizon.

    Parameters
    ----------
    freq : {"D", "W"}
        The periods of the summaries it is fitted on and predicts for.

    Attributes
    ----------
    purchases_ : BetaGeoModel
    spend_ : GammaGammaModel
    """

    name = "bgnbd"
    label = "BG/NBD with Gamma-Gamma"
    fitted_attribute = "spend_"

    def __init__(self, freq: str = "D") -> None:
        self.freq = freq

    def fit(self, summary: pd.DataFrame) -> Self:
        """Fit both models on ``summary``, as ``rfm_summary(..., freq)`` builds it.

        Parameters
        ----------
        summary : DataFrame, shape (n_customers, 4)
            Columns ``frequency, recency, T, monetary_value``.

        Returns
        -------
        self
        """
        self._check_freq(summary)

        self.purchases_ = BetaGeoModel().fit(summary)
        self.spend_ = GammaGammaModel().fit(summary)
        return self

    def predict(self, summary: pd.DataFrame, days: int) -> pd.Series:
        """Expected revenue of each customer in the ``days`` after the cutoff.

        Parameters
        ----------
        summary : DataFrame, shape (n_customers, 4)
            The customers at the cutoff, as ``rfm_summary`` builds it.
        days : int

        Returns
        -------
        Series, shape (n_customers,)
            Indexed like ``summary``.
        """
        orders = self.expected_orders(summary, days)
        value = self.spend_.expected_average_value(
            summary["frequency"], summary["monetary_value"]
        )
        return (orders * value).rename("expected_value")

    def expected_orders(self, summary: pd.DataFrame, days: int) -> pd.Series:
        """Expected purchases of each customer in the ``days`` after the cutoff.

        Returns
        -------
        Series, shape (n_customers,)
        """
        self._check_fitted()
        self._check_freq(summary)

        t = days / period_days(self.freq)
        counts = self.purchases_.expected_purchases(t, *_history(summary))
        return pd.Series(counts, index=summary.index, name="expected_orders")

    def probability_alive(self, summary: pd.DataFrame) -> pd.Series:
        """Probability that each customer is still active at the cutoff.

        Returns
        -------
        Series, shape (n_customers,)
        """
        self._check_fitted()
        self._check_freq(summary)

        alive = self.purchases_.probability_alive(*_history(summary))
        return pd.Series(alive, index=summary.index, name="probability_alive")

    def _check_freq(self, summary: pd.DataFrame) -> None:
        period_days(self.freq)
        built_with = summary.attrs.get("freq", self.freq)
        if built_with != self.freq:
            raise OrdersError(
                f"the summary is in periods of {built_with!r} but the model in "
                f"{self.freq!r}; build it with rfm_summary(..., freq={self.freq!r})."
            )

    def _state(self) -> dict[str, Any]:
        return {
            "beta_geo": self.purchases_._state(),
            "gamma_gamma": self.spend_._state(),
        }

    def _restore(self, state: dict[str, Any]) -> None:
        self.purchases_ = BetaGeoModel()
        self.purchases_._restore(state["beta_geo"])
        self.spend_ = GammaGammaModel()
        self.spend_._restore(state["gamma_gamma"])


def _history(summary: pd.DataFrame) -> tuple[np.ndarray, ...]:
    return tuple(
        summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")
    )
