"""Product recommendations and bought-together rules from accepted quotes.

``ItemBasedRecommender`` suggests products a customer does not buy yet from
the products they do, each with its reason in numbers;
``PopularityRecommender`` is its baseline. ``PairRules`` mines A -> B rules
(support, confidence, lift) over quotes as baskets. ``evaluate_recommendations``
measures the recommenders on a temporal holdout of new purchases.

Modules: ``purchases`` (lines to the customer-by-product matrix),
``weighting`` (implicit-feedback weights), ``base``, ``item_cf``,
``popularity``, ``rules``, ``evaluate``, ``errors``.
"""

from analytics.recommend.errors import (
    ArtifactError,
    NoPurchasesError,
    NotFittedError,
    RecommendError,
    TooLittleHistoryError,
)
from analytics.recommend.evaluate import (
    candidate_models,
    evaluate_recommendations,
    holdout_sets,
    ranking_metrics,
)
from analytics.recommend.item_cf import ItemBasedRecommender
from analytics.recommend.popularity import PopularityRecommender
from analytics.recommend.purchases import Purchases, purchase_matrix
from analytics.recommend.rules import RULE_COLUMNS, PairRules
from analytics.recommend.weighting import WEIGHTINGS, weight_purchases

__all__ = [
    "RULE_COLUMNS",
    "WEIGHTINGS",
    "ArtifactError",
    "ItemBasedRecommender",
    "NoPurchasesError",
    "NotFittedError",
    "PairRules",
    "PopularityRecommender",
    "Purchases",
    "RecommendError",
    "TooLittleHistoryError",
    "candidate_models",
    "evaluate_recommendations",
    "holdout_sets",
    "purchase_matrix",
    "ranking_metrics",
    "weight_purchases",
]
