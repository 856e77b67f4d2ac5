"""Gradient boosting on behaviour: revenue of the next window, learned from the past.

``BehaviouralCLV`` learns how the features of ``features.behavioural_features``
at a cutoff map to the revenue of the ``horizon_days`` after it, over several
earlier cutoffs whose windows all end by the day it is fitted for. It is an
XGBoost regressor because XGBoost saves a fitted booster in its own JSON
format: the artifact is that JSON inside the package's envelope, never a
pickle, and loading it gives back the same trees, so predictions are the
same to the last bit. (scikit-learn's boosting models can only be pickled,
and refitting one from a stored recipe would need the exact training frame.)

The objective is Tweedie with power 1.5: the target is revenue, non-negative
with many exact zeros and a long right tail, and the Tweedie loss with a log
link predicts its mean without going negative.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import pandas as pd

from analytics.clv.base import CLVEstimator
from analytics.clv.errors import ArtifactError
from analytics.clv.features import (
    FEATURES,
    behavioural_features,
    training_cutoffs,
    training_frame,
)
from analytics.clv.orders import as_day, before, check_orders

logger = logging.getLogger(__name__)


class BehaviouralCLV(CLVEstimator):
    """Revenue of each customer in the next ``horizon_days``, by XGBoost.

    Parameters
    ----------
    horizon_days : int
        The window predicted, from the cutoff.
    n_cutoffs : int
        How many earlier cutoffs to learn from, at most.
    step_days : int
        Days between those cutoffs.
    min_history_days : int
        Orders a training cutoff needs before it, in days.
    n_estimators, max_depth, learning_rate, subsample, min_child_weight
        Passed to ``xgboost.XGBRegressor``.
    random_state : int

    Attributes
    ----------
    booster_ : xgboost.XGBRegressor
    training_cutoffs_ : list of Timestamp
        The cutoffs learnt from, newest first.
    n_training_rows_ : int
        Customer-cutoff rows learnt from.
    """

    name = "gbr"
    label = "Behavioural CLV (XGBoost)"
    artifact_format = "xgboost-json"
    fitted_attribute = "booster_"

    def __init__(
        self,
        horizon_days: int = 90,
        n_cutoffs: int = 12,
        step_days: int = 30,
        min_history_days: int = 90,
        n_estimators: int = 200,
        max_depth: int = 3,
        learning_rate: float = 0.05,
        subsample: float = 0.8,
        min_child_weight: float = 5.0,
        random_state: int = 0,
    ) -> None:
        self.horizon_days = horizon_days
        self.n_cutoffs = n_cutoffs
        self.step_days = step_days
        self.min_history_days = min_history_days
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.subsample = subsample
        self.min_child_weight = min_child_weight
        self.random_state = random_state

    def fit(self, orders: pd.DataFrame, as_of) -> Self:
        """Learn from the orders before ``as_of``, to predict from ``as_of`` on.

        Parameters
        ----------
        orders : DataFrame, shape (n_orders, 3)
            Columns ``customer_id, date, amount``; orders on or after
            ``as_of`` are dropped before anything is learnt.
        as_of : date-like

        Returns
        -------
        self
        """
        as_of = as_day(as_of)
        history = before(check_orders(orders), as_of)
        cutoffs = training_cutoffs(
            history,
            as_of,
            self.horizon_days,
            self.n_cutoffs,
            self.step_days,
            self.min_history_days,
            self.label,
        )

        X, y = training_frame(history, cutoffs, self.horizon_days)
        booster = self._make_booster()
        booster.fit(X.to_numpy(), y)

        self.booster_ = booster
        self.training_cutoffs_ = cutoffs
        self.n_training_rows_ = len(X)
        logger.debug(
            "fitted %s on %s rows at %s cutoffs", self.name, len(X), len(cutoffs)
        )
        return self

    def predict(self, orders: pd.DataFrame, as_of) -> pd.Series:
        """Expected revenue of each customer in ``[as_of, as_of + horizon_days)``.

        Parameters
        ----------
        orders : DataFrame, shape (n_orders, 3)
            Only orders before ``as_of`` are read.
        as_of : date-like

        Returns
        -------
        Series, shape (n_customers,)
            Indexed by the ``customer_id`` of every customer with an order
            before ``as_of``; never below zero.
        """
        self._check_fitted()

        features = behavioural_features(orders, as_of, self.horizon_days)
        values = self.booster_.predict(features.to_numpy()) if len(features) else []
        series = pd.Series(values, index=features.index, dtype=float)
        return series.clip(lower=0.0).rename("expected_value")

    def _make_booster(self):
        from xgboost import XGBRegressor

        return XGBRegressor(
            objective="reg:tweedie",
            tweedie_variance_power=1.5,
            n_estimators=self.n_estimators,
            max_depth=self.max_depth,
            learning_rate=self.learning_rate,
            subsample=self.subsample,
            min_child_weight=self.min_child_weight,
            tree_method="hist",
            n_jobs=1,
            random_state=self.random_state,
        )

    def _state(self) -> dict[str, Any]:
        raw = self.booster_.get_booster().save_raw(raw_format="json")
        return {
            "booster": bytes(raw).decode(),
            "features": list(FEATURES),
            "training_cutoffs": [c.date().isoformat() for c in self.training_cutoffs_],
            "n_training_rows": self.n_training_rows_,
        }

    def _restore(self, state: dict[str, Any]) -> None:
        if state.get("features") != list(FEATURES):
            raise ArtifactError(
                "the behavioural CLV artifact was trained on other features than "
                "this code computes; re-train the model."
            )

        booster = self._make_booster()
        try:
            booster.load_model(bytearray(state["booster"].encode()))
        except Exception as error:  # xgboost raises its own XGBoostError
            raise ArtifactError(
                f"the stored XGBoost booster cannot be read ({error}); re-train "
                "the model."
            ) from error
        self.booster_ = booster
        self.training_cutoffs_ = [pd.Timestamp(c) for c in state["training_cutoffs"]]
        self.n_training_rows_ = int(state["n_training_rows"])
