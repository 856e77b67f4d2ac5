"""Customer lifetime value: predicted revenue per customer, judged on the future.

Every model values a customer by what they will spend after a cutoff, and is
scored on revenue that came after the cutoff it was fitted for; nothing is
ever judged on the past it learnt from. Build orders with
``orders_from_quotes``, compare the models with ``evaluate_clv`` and serve
the selected family with ``fit_clv`` and ``predict_clv``.

Modules: ``orders`` (the input), ``summary`` (RFM summaries and future
targets), ``bgnbd`` (the BG/NBD and Gamma-Gamma likelihood models),
``probabilistic`` (their product, ``ProbabilisticCLV``), ``features`` and
``regressor`` (``BehaviouralCLV``, XGBoost on behaviour), ``naive`` (the
baseline), ``evaluate`` (holdout scores), ``scoring`` (batch scores),
``mle`` (the likelihood search), ``base`` (the estimator contract) and
``errors``.
"""

from analytics.clv.bgnbd import BetaGeoModel, GammaGammaModel
from analytics.clv.errors import (
    ArtifactError,
    CLVError,
    ConvergenceError,
    NotFittedError,
    OrdersError,
    TooLittleHistoryError,
)
from analytics.clv.evaluate import evaluate_clv, holdout_cutoff
from analytics.clv.features import behavioural_features
from analytics.clv.naive import NaiveCLV
from analytics.clv.orders import check_orders, orders_from_quotes
from analytics.clv.probabilistic import ProbabilisticCLV
from analytics.clv.regressor import BehaviouralCLV
from analytics.clv.scoring import SCORE_COLUMNS, CLVScorer, fit_clv, predict_clv
from analytics.clv.summary import (
    future_repeat_count,
    future_value,
    past_value,
    rfm_summary,
)

__all__ = [
    "SCORE_COLUMNS",
    "ArtifactError",
    "BehaviouralCLV",
    "BetaGeoModel",
    "CLVError",
    "CLVScorer",
    "ConvergenceError",
    "GammaGammaModel",
    "NaiveCLV",
    "NotFittedError",
    "OrdersError",
    "ProbabilisticCLV",
    "TooLittleHistoryError",
    "behavioural_features",
    "check_orders",
    "evaluate_clv",
    "fit_clv",
    "future_repeat_count",
    "future_value",
    "holdout_cutoff",
    "orders_from_quotes",
    "past_value",
    "predict_clv",
    "rfm_summary",
]
