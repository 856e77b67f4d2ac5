"""Gradient-boosted trees over every churn feature, with per-account reasons.

An ``xgboost.XGBClassifier`` of shallow trees (depth 3 by default) on the
raw features; trees need no scaling. Given a validation cutoff, training
stops once its log loss has not improved for ``early_stopping_rounds`` trees
and the trees after the best one are dropped. Training is on the CPU with
``n_jobs`` threads and a fixed ``random_state``, so a refit gives the same
trees; a few seconds for ten thousand rows.

``contributions`` gives each feature's push on each account's log-odds of
churn (TreeSHAP, ``pred_contribs=True``); ``analytics.churn.explain`` turns
the largest pushes up into reasons. The artifact is a zip: ``booster.json``
(XGBoost's own JSON model) and the churn envelope.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analytics.churn.base import ChurnModel

logger = logging.getLogger(__name__)

BOOSTER_FILE = "booster.json"


class XGBoostChurnModel(ChurnModel):
    """Shallow boosted trees on the churn features.

    Parameters
    ----------
    n_estimators, max_depth, learning_rate, subsample, colsample_bytree,
    min_child_weight, reg_lambda
        As for ``xgboost.XGBClassifier``.
    early_stopping_rounds : int
        Trees without a better validation log loss before training stops;
        used only when ``fit`` is given a validation cutoff.
    n_jobs : int
        CPU threads.
    random_state : int
        Seed of the row and column sampling.

    Attributes
    ----------
    booster_ : xgboost.Booster
        The fitted trees (up to the best one when stopped early).
    n_trees_ : int
        Number of trees kept.
    """

    name = "xgboost"
    label = "XGBoost"
    artifact_format = "xgboost-zip"
    model_files = (BOOSTER_FILE,)

    def __init__(
        self,
        n_estimators: int = 400,
        max_depth: int = 3,
        learning_rate: float = 0.05,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        min_child_weight: float = 5.0,
        reg_lambda: float = 1.0,
        early_stopping_rounds: int = 30,
        n_jobs: int = 2,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.early_stopping_rounds = early_stopping_rounds
        self.n_jobs = n_jobs
        self.random_state = random_state

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Each feature's push on each row's log-odds of churn.

        Returns
        -------
        DataFrame, shape (n_rows, len(features))
            Indexed like ``X``; positive values raise the risk. With the
            model's base value they sum to the raw log-odds.
        """
        self._check_fitted()
        matrix = self._matrix(X)
        pushes = self.booster_.predict(self._dmatrix(matrix), pred_contribs=True)
        return pd.DataFrame(pushes[:, :-1], index=X.index, columns=list(self.features))

    def _fit(self, X, y, validation) -> None:
        xgboost = _xgboost()
        stopping = self.early_stopping_rounds if validation is not None else None
        classifier = xgboost.XGBClassifier(
            **self._booster_options(),
            objective="binary:logistic",
            eval_metric="logloss",
            tree_method="hist",
            early_stopping_rounds=stopping,
        )
        eval_set = (
            None
            if validation is None
            else [(self._frame(validation[0]), validation[1])]
        )

        classifier.fit(self._frame(X), y, eval_set=eval_set, verbose=False)

        booster = classifier.get_booster()
        if stopping is not None:
            booster = booster[: classifier.best_iteration + 1]
        self.booster_ = booster
        self.n_trees_ = booster.num_boosted_rounds()
        logger.debug("kept %s trees of the xgboost churn model", self.n_trees_)

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        return self.booster_.predict(self._dmatrix(X))

    def _booster_options(self) -> dict[str, object]:
        return {
            name: getattr(self, name)
            for name in self.hyperparameters()
            if name != "early_stopping_rounds"
        }

    def _frame(self, X: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(X, columns=list(self.features))

    def _dmatrix(self, X: np.ndarray):
        return _xgboost().DMatrix(
            X, feature_names=list(self.features), nthread=self.n_jobs
        )

    def _state(self) -> dict[str, object]:
        return {"n_trees": self.n_trees_}

    def _restore(self, state: dict[str, object]) -> None:
        self.n_trees_ = int(state["n_trees"])

    def _files(self) -> dict[str, bytes]:
        return {BOOSTER_FILE: bytes(self.booster_.save_raw("json"))}

    def _restore_files(self, files: dict[str, bytes]) -> None:
        booster = _xgboost().Booster()
        booster.load_model(bytearray(files[BOOSTER_FILE]))
        booster.set_param({"nthread": self.n_jobs})
        self.booster_ = booster


def _xgboost():
    """XGBoost, imported on first use."""
    import xgboost

    return xgboost
