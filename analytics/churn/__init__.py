"""Churn models whose probabilities can be trusted, and the reasons behind them.

Describe accounts at a cutoff with ``churn_features``, label what they did in
the window after it with ``churn_labels``, and stack rolling cutoffs with
``training_frame``. Three models share one contract (``ChurnModel``): the
transparent ``RulesChurnModel`` baseline (an account's silence against its
own rhythm), ``XGBoostChurnModel`` and ``NeuralNetChurnModel``. Each is
calibrated on a later cutoff than it was trained on, and ``evaluate_churn``
scores all three on a still later cutoff none of them saw and selects the
best by PR AUC; ``fit_churn_model`` and ``score_customers`` serve it, and
``explain_customer`` says in words why an account is at risk.

Modules: ``features`` (features and labels), ``cutoffs`` (where the rolling
cutoffs fall), ``base`` (the contract), ``calibration``, ``rules``,
``xgboost_model``, ``neural_net`` (the models), ``registry`` (models by
name), ``metrics``, ``evaluate``, ``explain``, ``errors``. XGBoost and Keras
are imported only when a model of theirs is fitted or loaded.
"""

from analytics.churn.base import ChurnModel
from analytics.churn.calibration import (
    Calibrator,
    IsotonicCalibrator,
    PlattCalibrator,
)
from analytics.churn.cutoffs import ChurnCutoffs, default_cutoffs, serving_cutoffs
from analytics.churn.errors import (
    ArtifactError,
    ChurnError,
    CutoffError,
    FeatureError,
    NotFittedError,
    TooLittleHistoryError,
    UnknownModelError,
)
from analytics.churn.evaluate import evaluate_churn, fit_churn_model, score_customers
from analytics.churn.explain import (
    Reason,
    describe_reasons,
    explain_customer,
    reason_text,
)
from analytics.churn.features import (
    FEATURES,
    LABEL,
    churn_features,
    churn_labels,
    last_data_day,
    training_frame,
)
from analytics.churn.metrics import (
    brier,
    churn_metrics,
    ece,
    lift_top_decile,
    pr_auc,
    roc_auc,
)
from analytics.churn.neural_net import NeuralNetChurnModel
from analytics.churn.registry import (
    BASELINE,
    CHURN_MODELS,
    load_churn_model,
    make_churn_model,
)
from analytics.churn.rules import RulesChurnModel
from analytics.churn.xgboost_model import XGBoostChurnModel

__all__ = [
    "BASELINE",
    "CHURN_MODELS",
    "FEATURES",
    "LABEL",
    "ArtifactError",
    "Calibrator",
    "ChurnCutoffs",
    "ChurnError",
    "ChurnModel",
    "CutoffError",
    "FeatureError",
    "IsotonicCalibrator",
    "NeuralNetChurnModel",
    "NotFittedError",
    "PlattCalibrator",
    "Reason",
    "RulesChurnModel",
    "TooLittleHistoryError",
    "UnknownModelError",
    "XGBoostChurnModel",
    "brier",
    "churn_features",
    "churn_labels",
    "churn_metrics",
    "default_cutoffs",
    "describe_reasons",
    "ece",
    "evaluate_churn",
    "explain_customer",
    "fit_churn_model",
    "last_data_day",
    "lift_top_decile",
    "load_churn_model",
    "make_churn_model",
    "pr_auc",
    "reason_text",
    "roc_auc",
    "score_customers",
    "serving_cutoffs",
    "training_frame",
]
