"""The detectors keep the estimator contract and rank planted odd quotes first."""

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest

from analytics.anomalies import (
    RANKINGS,
    AnomalyError,
    ArtifactError,
    NotFittedError,
    QuoteAnomalyModel,
    TooFewQuotesError,
    quote_features,
)
from analytics.anomalies.forest import IsolationForestDetector
from tests.analytics.anomalies.quote_factories import plant, quote_profiles

PLANTED = {
    500: "oversized",
    520: "deep_discount",
    540: "below_list_price",
    560: "oversized",
    580: "deep_discount",
    590: "below_list_price",
}


@pytest.fixture(scope="module")
def features():
    profiles = quote_profiles(n_customers=30, quotes_each=20, seed=0)
    for quote_id, kind in PLANTED.items():
        profiles = plant(profiles, quote_id, kind)
    return quote_features(profiles)


@pytest.fixture(scope="module")
def fitted(features):
    return QuoteAnomalyModel(n_estimators=100, epochs=30).fit(features)


def test_the_forest_scores_exactly_as_scikit_learn_does():
    X = np.random.default_rng(3).normal(size=(400, 5))

    ours = IsolationForestDetector(n_estimators=50, random_state=2).fit(X).score(X)

    forest = IsolationForest(n_estimators=50, max_samples=256, random_state=2)
    np.testing.assert_allclose(ours, -forest.fit(X).score_samples(X), rtol=1e-12)


def test_a_forest_rebuilt_from_its_state_scores_the_same():
    X = np.random.default_rng(4).normal(size=(300, 4))
    forest = IsolationForestDetector(n_estimators=20).fit(X)

    rebuilt = IsolationForestDetector.from_state(forest.state())

    np.testing.assert_array_equal(rebuilt.score(X), forest.score(X))


@pytest.mark.parametrize("ranking", ["isolation_forest", "combined"])
def test_planted_quotes_rank_at_the_top(fitted, features, ranking):
    scores = fitted.score(features)

    top = scores[ranking].sort_values(ascending=False).index[: len(PLANTED)]
    assert len(set(top) & set(PLANTED)) >= len(PLANTED) - 1


def test_the_autoencoder_ranks_planted_quotes_far_above_chance(fitted, features):
    scores = fitted.score(features)

    top = scores["autoencoder"].sort_values(ascending=False).index[:30]
    assert len(set(top) & set(PLANTED)) >= 3


def test_scores_are_percentiles_and_ranks_not_probabilities(fitted, features):
    scores = fitted.score(features)

    for ranking in (*RANKINGS, "unusual_than"):
        assert scores[ranking].between(0, 1).all()
    assert list(scores["rank"]) == list(range(1, len(features) + 1))
    assert scores["combined"].is_monotonic_decreasing
    assert scores["unusual_than"].iloc[0] > 0.99


def test_the_combined_score_is_the_higher_detector_percentile(fitted, features):
    scores = fitted.score(features)

    expected = scores[["isolation_forest", "autoencoder"]].max(axis=1)
    np.testing.assert_array_equal(scores["combined"], expected)


def test_a_stored_model_scores_as_the_fitted_one(fitted, features):
    fmt, payload = fitted.to_artifact()

    loaded = QuoteAnomalyModel.from_artifact(fmt, payload)

    before, after = fitted.score(features), loaded.score(features)
    for column in ("isolation_forest_raw", "robust_z_raw", "autoencoder_raw"):
        np.testing.assert_allclose(
            after.loc[before.index, column], before[column], rtol=1e-5
        )
    assert set(after.index[:6]) == set(before.index[:6])


def test_an_artifact_of_another_format_is_refused(fitted):
    _, payload = fitted.to_artifact()

    with pytest.raises(ArtifactError, match="format"):
        QuoteAnomalyModel.from_artifact("json", payload)
    with pytest.raises(ArtifactError, match="train again"):
        QuoteAnomalyModel.from_artifact("anomalies-zip", b"not a zip")


def test_scoring_before_fit_is_refused(features):
    with pytest.raises(NotFittedError, match="call fit first"):
        QuoteAnomalyModel().score(features)


def test_too_few_quotes_are_refused_with_how_many_are_needed(features):
    with pytest.raises(TooFewQuotesError, match="at least 50 quotes") as error:
        QuoteAnomalyModel().fit(features.head(20))
    assert isinstance(error.value, AnomalyError)


def test_hyperparameters_are_kept_as_given():
    model = QuoteAnomalyModel(n_estimators=7, epochs=3, random_state=5)

    assert model.get_params()["n_estimators"] == 7
    assert not model.is_fitted()
    assert "n_estimators=7" in repr(model)
