"""Customer segments that make sense for a business of any size.

Build behavioural features with ``segment_features`` (value, frequency,
order size, tenure, acceptance and recency of every buying customer), fit a
``CustomerSegmenter`` on them, and read the segments from its ``names_``,
``descriptions_`` and ``profiles_``; ``describe_customer`` says where one
customer stands. No threshold is in dollars: features are scaled relative to
the base and segments are named by where their median customer stands in it.
``evaluate_segments`` reports the chosen k, its silhouette, Davies-Bouldin
index and bootstrap stability against the fixed four segments of the
original guide.

Modules: ``features`` (quotes to features), ``scaling`` (features to K-means
coordinates), ``model`` (the segmenter), ``naming`` (names and sentences),
``profile`` (segment table, one customer), ``evaluate``, ``errors``.
"""

from analytics.segments.errors import (
    ArtifactError,
    NotFittedError,
    SegmentError,
    TooFewCustomersError,
    UnknownCustomerError,
)
from analytics.segments.evaluate import evaluate_segments, fit_segments
from analytics.segments.features import FEATURES, segment_features
from analytics.segments.model import CustomerSegmenter, choose_k
from analytics.segments.naming import ARCHETYPES, name_segments, relative_positions
from analytics.segments.profile import (
    CustomerSegment,
    describe_customer,
    segment_profiles,
)

__all__ = [
    "ARCHETYPES",
    "FEATURES",
    "ArtifactError",
    "CustomerSegment",
    "CustomerSegmenter",
    "NotFittedError",
    "SegmentError",
    "TooFewCustomersError",
    "UnknownCustomerError",
    "choose_k",
    "describe_customer",
    "evaluate_segments",
    "fit_segments",
    "name_segments",
    "relative_positions",
    "segment_features",
    "segment_profiles",
]
