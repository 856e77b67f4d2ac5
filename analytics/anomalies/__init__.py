"""Unusual quotes: which ones, how unusual, and why, in a rep's words.

Build features with ``quote_features`` (each quote as of its creation: its
size, lines, units, prices and discount, and how they compare with the
customer's, the rep's and list prices), fit a ``QuoteAnomalyModel`` on them
(an Isolation Forest and a Keras autoencoder, ranked together, with the
robust-z baseline beside them), and read each quote's rank and percentile
from ``score``; ``explain_quote`` says why in numbers. ``evaluate_anomalies``
measures every ranking against planted anomalies on quotes the model never
saw. Scores are rankings, never probabilities.

Modules: ``features``, ``forest`` (Isolation Forest as arrays),
``autoencoder``, ``baseline`` (robust z of size), ``model`` (the combined
ranking), ``explain``, ``evaluate``, ``errors``.
"""

from analytics.anomalies.errors import (
    AnomalyError,
    ArtifactError,
    FeatureError,
    NotFittedError,
    TooFewQuotesError,
)
from analytics.anomalies.evaluate import SERVED, evaluate_anomalies, fit_anomalies
from analytics.anomalies.explain import (
    FALLBACK,
    KINDS,
    describe_reasons,
    explain_quote,
    reasons_with_kinds,
)
from analytics.anomalies.features import CONTEXT, FEATURES, quote_features
from analytics.anomalies.model import (
    ARTIFACT_FORMAT,
    DETECTORS,
    MIN_QUOTES,
    RANKINGS,
    QuoteAnomalyModel,
)

__all__ = [
    "ARTIFACT_FORMAT",
    "CONTEXT",
    "DETECTORS",
    "FALLBACK",
    "FEATURES",
    "KINDS",
    "MIN_QUOTES",
    "RANKINGS",
    "SERVED",
    "AnomalyError",
    "ArtifactError",
    "FeatureError",
    "NotFittedError",
    "QuoteAnomalyModel",
    "TooFewQuotesError",
    "describe_reasons",
    "evaluate_anomalies",
    "explain_quote",
    "fit_anomalies",
    "quote_features",
    "reasons_with_kinds",
]
