"""The segmenter keeps the estimator contract: k, scores, stability, artifacts."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.segments import (
    ArtifactError,
    CustomerSegmenter,
    NotFittedError,
    SegmentError,
    TooFewCustomersError,
    choose_k,
)
from tests.analytics.segments.segment_factories import blob_features

THREE = ["loyal", "lapsed", "new"]
FIVE = ["loyal", "lapsed", "new", "price", "big_ticket"]


@pytest.fixture(scope="module")
def blobs():
    return blob_features(FIVE, per_profile=30, seed=0)


@pytest.fixture(scope="module")
def fitted(blobs):
    features, _ = blobs
    return CustomerSegmenter().fit(features)


@pytest.mark.parametrize("profiles", [THREE, FIVE], ids=["three", "five"])
def test_auto_k_finds_the_number_of_well_separated_groups(profiles):
    features, planted = blob_features(profiles, seed=1)

    model = CustomerSegmenter().fit(features)

    assert model.k_ == len(profiles)
    assert adjusted_rand_score(planted, model.labels_) == 1.0


def test_every_k_of_the_range_is_scored(fitted):
    assert sorted(fitted.scores_) == list(range(2, 9))
    for scores in fitted.scores_.values():
        assert set(scores) == {"silhouette", "davies_bouldin"}
        assert -1 <= scores["silhouette"] <= 1
        assert scores["davies_bouldin"] > 0


def test_a_fixed_k_fits_that_many_segments_and_scores_only_it(blobs):
    features, _ = blobs

    model = CustomerSegmenter(k=4).fit(features)

    assert model.k_ == 4
    assert list(model.scores_) == [4]
    assert model.centers_.shape == (4, 6)
    assert len(set(model.labels_)) == 4


def test_fit_returns_the_segmenter_itself(blobs):
    features, _ = blobs
    model = CustomerSegmenter(k=3)

    assert model.fit(features) is model


def test_predict_puts_training_customers_in_their_fitted_segments(blobs, fitted):
    features, _ = blobs

    np.testing.assert_array_equal(fitted.predict(features), fitted.labels_)


def test_segments_are_numbered_from_the_most_valuable(fitted):
    value = fitted.centers_[:, 0]

    assert list(value) == sorted(value, reverse=True)
    assert fitted.profiles_["median_value"].is_monotonic_decreasing


def test_the_same_seed_gives_the_same_segments(blobs, fitted):
    features, _ = blobs

    again = CustomerSegmenter().fit(features)

    np.testing.assert_array_equal(again.labels_, fitted.labels_)
    assert again.names_ == fitted.names_


def test_stability_is_near_one_on_clean_groups(blobs, fitted):
    features, _ = blobs

    assert fitted.stability_ari(features, seeds=range(5)) > 0.99
    assert fitted.stability_ari(features, seeds=[3, 4], bootstrap=False) > 0.99


@pytest.mark.parametrize(
    "call",
    [
        lambda model, features: model.predict(features),
        lambda model, features: model.transform(features),
        lambda model, features: model.stability_ari(features),
        lambda model, features: model.to_artifact(),
    ],
    ids=["predict", "transform", "stability_ari", "to_artifact"],
)
def test_an_unfitted_segmenter_refuses_to_run(blobs, call):
    features, _ = blobs

    with pytest.raises(NotFittedError, match="call fit first"):
        call(CustomerSegmenter(), features)


def test_too_few_customers_says_how_many_are_needed(blobs):
    features, _ = blobs

    with pytest.raises(TooFewCustomersError, match="at least 10 customers") as error:
        CustomerSegmenter().fit(features.head(7))

    assert "got 7" in str(error.value)
    assert (error.value.needed, error.value.got) == (10, 7)


def test_a_fixed_k_needs_five_customers_a_segment(blobs):
    features, _ = blobs

    with pytest.raises(TooFewCustomersError, match="at least 30 customers"):
        CustomerSegmenter(k=6).fit(features.head(29))


def test_a_small_base_lowers_the_largest_k_tried(blobs):
    features, _ = blobs

    model = CustomerSegmenter().fit(features.iloc[::7])

    assert max(model.scores_) == len(features.iloc[::7]) // 5


@pytest.mark.parametrize(
    "params",
    [{"k": 1}, {"k": "four"}, {"k": True}, {"k_range": (5, 2)}, {"k_range": (1, 4)}],
)
def test_a_k_that_cannot_be_fitted_is_refused_naming_the_parameter(blobs, params):
    features, _ = blobs
    parameter = next(iter(params))

    with pytest.raises(SegmentError, match=f"The '{parameter}' parameter"):
        CustomerSegmenter(**params).fit(features)


def test_features_without_every_column_are_refused(blobs):
    features, _ = blobs

    with pytest.raises(SegmentError, match="lacks the columns recency"):
        CustomerSegmenter().fit(features.drop(columns="recency"))


def test_negative_or_missing_features_are_refused(blobs):
    features, _ = blobs
    broken = features.copy()
    broken.iloc[0, 0] = np.nan

    with pytest.raises(SegmentError, match="finite and non-negative"):
        CustomerSegmenter().fit(broken)


def test_the_artifact_is_json_and_predicts_the_same_segments(blobs, fitted):
    features, _ = blobs

    fmt, payload = fitted.to_artifact()
    loaded = CustomerSegmenter.from_artifact(fmt, payload)

    assert fmt == "json"
    assert json.loads(payload)["state"]["k"] == fitted.k_
    np.testing.assert_array_equal(loaded.predict(features), fitted.labels_)
    assert loaded.names_ == fitted.names_
    assert loaded.descriptions_ == fitted.descriptions_
    assert loaded.scores_ == fitted.scores_
    assert loaded.get_params() == fitted.get_params()
    pd.testing.assert_frame_equal(loaded.profiles_, fitted.profiles_)


def test_an_artifact_of_another_format_is_refused(fitted):
    _, payload = fitted.to_artifact()

    with pytest.raises(ArtifactError, match="format 'json'; got 'pickle'"):
        CustomerSegmenter.from_artifact("pickle", payload)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\x80\x04not json", "not valid JSON"),
        (b'{"model": "prophet", "version": 1}', "holds no customer segmenter"),
        (b'{"model": "customer_segmenter", "version": 99}', "version 99"),
        (b'{"model": "customer_segmenter", "version": 1, "params": {}}', "incomplete"),
    ],
    ids=["not_json", "other_model", "other_version", "incomplete"],
)
def test_an_unreadable_artifact_is_refused_with_what_to_do(payload, message):
    with pytest.raises(ArtifactError, match=message):
        CustomerSegmenter.from_artifact("json", payload)


def test_an_artifact_with_centres_of_the_wrong_shape_is_refused(fitted):
    _, payload = fitted.to_artifact()
    envelope = json.loads(payload)
    envelope["state"]["centers"] = envelope["state"]["centers"][:-1]

    with pytest.raises(ArtifactError, match="centres of shape"):
        CustomerSegmenter.from_artifact("json", json.dumps(envelope).encode())


def test_get_params_returns_the_hyperparameters():
    model = CustomerSegmenter(k=4, k_range=(3, 6), random_state=7, n_init=5)

    assert model.get_params() == {
        "k": 4,
        "k_range": (3, 6),
        "random_state": 7,
        "n_init": 5,
    }
    assert repr(model).startswith("CustomerSegmenter(k=4, k_range=(3, 6)")


def test_choose_k_takes_the_best_silhouette():
    scores = {
        2: {"silhouette": 0.30, "davies_bouldin": 0.9},
        3: {"silhouette": 0.50, "davies_bouldin": 1.1},
        4: {"silhouette": 0.40, "davies_bouldin": 0.7},
    }

    assert choose_k(scores) == 3


def test_choose_k_breaks_a_near_tie_by_the_lower_davies_bouldin_index():
    scores = {
        3: {"silhouette": 0.500, "davies_bouldin": 1.1},
        4: {"silhouette": 0.498, "davies_bouldin": 0.8},
        5: {"silhouette": 0.400, "davies_bouldin": 0.5},
    }

    assert choose_k(scores) == 4
