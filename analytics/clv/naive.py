"""The baseline: a customer's next window is worth what their last one was.

``NaiveCLV`` predicts the revenue of the ``horizon_days`` after a cutoff as
the revenue of the ``horizon_days`` before it. Every CLV model must beat it.
"""

from __future__ import annotations

from typing import Any, Self

import pandas as pd

from analytics.clv.base import CLVEstimator
from analytics.clv.orders import as_day, before, check_orders
from analytics.clv.summary import past_value


class NaiveCLV(CLVEstimator):
    """Same as last period: revenue of the ``horizon_days`` before the cutoff.

    Parameters
    ----------
    horizon_days : int

    Attributes
    ----------
    as_of_ : Timestamp
        The cutoff it was fitted for; it learns nothing else.
    n_customers_ : int
        Customers with an order before ``as_of_``.
    """

    name = "naive"
    label = "Naive (same as last period)"
    fitted_attribute = "as_of_"

    def __init__(self, horizon_days: int = 90) -> None:
        self.horizon_days = horizon_days

    def fit(self, orders: pd.DataFrame, as_of) -> Self:
        """Record the cutoff; the baseline has nothing to learn.

        Returns
        -------
        self
        """
        as_of = as_day(as_of)
        history = before(check_orders(orders), as_of)

        self.as_of_ = as_of
        self.n_customers_ = int(history["customer_id"].nunique())
        return self

    def predict(self, orders: pd.DataFrame, as_of) -> pd.Series:
        """Revenue of each customer in ``[as_of - horizon_days, as_of)``.

        Parameters
        ----------
        orders : DataFrame, shape (n_orders, 3)
        as_of : date-like

        Returns
        -------
        Series, shape (n_customers,)
            Indexed by the ``customer_id`` of every customer with an order
            before ``as_of``.
        """
        self._check_fitted()

        revenue = past_value(orders, as_of, self.horizon_days)
        return revenue.rename("expected_value")

    def _state(self) -> dict[str, Any]:
        return {"as_of": self.as_of_.isoformat(), "n_customers": self.n_customers_}

    def _restore(self, state: dict[str, Any]) -> None:
        self.as_of_ = pd.Timestamp(state["as_of"])
        self.n_customers_ = int(state["n_customers"])
