import numpy as np
import pytest

from analytics.recommend import (
    ArtifactError,
    ItemBasedRecommender,
    NoPurchasesError,
    NotFittedError,
    PopularityRecommender,
    weight_purchases,
)
from analytics.recommend.purchases import purchase_matrix
from tests.analytics.recommend.recommend_factories import lines_of, two_tastes

BASKETS = [
    (1, [1, 2, 3]),
    (2, [1, 2]),
    (3, [1, 2, 4]),
    (4, [1, 4]),
    (5, [5, 6]),
    (6, [5, 6, 4]),
    (7, [1]),
]


@pytest.mark.parametrize("weighting", ["binary", "tfidf", "bm25"])
def test_recommends_what_customers_with_the_same_products_buy(weighting):
    model = ItemBasedRecommender(weighting=weighting, shrinkage=0).fit(
        lines_of(BASKETS)
    )

    suggested = model.recommend([1], top_n=2)

    assert suggested["product_id"].iloc[0] == 2
    assert 1 not in suggested["product_id"].tolist()


def test_each_suggestion_gives_its_reason_in_customer_counts():
    model = ItemBasedRecommender(shrinkage=0).fit(lines_of(BASKETS))

    first = model.recommend([1], top_n=1).iloc[0]

    assert first["because_product_id"] == 1
    assert first["co_buyers"] == 3
    assert first["because_buyers"] == 5


def test_suggestions_follow_taste_and_skip_products_already_bought():
    model = ItemBasedRecommender().fit(two_tastes())

    suggested = set(model.recommend([1, 2, 3, 25], top_n=10)["product_id"])

    assert suggested == set(range(4, 13)) | {26}


def test_a_customer_whose_products_have_no_neighbours_gets_no_suggestion():
    model = ItemBasedRecommender().fit(lines_of([(1, [1]), (2, [2])]))

    assert model.recommend([1]).empty
    assert model.recommend([99]).empty


def test_shrinkage_lowers_pairs_few_customers_share():
    lines = two_tastes()
    plain = ItemBasedRecommender(shrinkage=0).fit(lines).similarity_
    shrunk = ItemBasedRecommender(shrinkage=50).fit(lines).similarity_

    assert shrunk.sum() < plain.sum()


def test_each_product_keeps_at_most_its_neighbours():
    model = ItemBasedRecommender(neighbours=3).fit(two_tastes())

    assert np.diff(model.similarity_.indptr).max() == 3
    assert model.similarity_.diagonal().sum() == 0


def test_recommending_before_fitting_is_refused():
    with pytest.raises(NotFittedError, match="call fit"):
        ItemBasedRecommender().recommend([1])
    with pytest.raises(NotFittedError):
        PopularityRecommender().top_items(None, 5)


def test_no_purchases_is_refused_with_a_reason():
    with pytest.raises(NoPurchasesError, match="no accepted quote lines"):
        ItemBasedRecommender().fit(lines_of([]).reindex(columns=LINE_COLUMNS))


LINE_COLUMNS = ["quote_id", "customer_id", "product_id", "created_at"]


def test_an_unknown_weighting_is_refused_naming_the_choices():
    counts = purchase_matrix(lines_of(BASKETS)).counts

    with pytest.raises(ValueError, match="binary, tfidf, bm25"):
        weight_purchases(counts, "log")


def test_bm25_saturates_repeat_purchases():
    counts = purchase_matrix(lines_of([(1, [1]), (1, [1]), (1, [1]), (2, [1])]))
    weights = weight_purchases(counts.counts, "bm25").toarray()[:, 0]

    assert weights[0] < 3 * weights[1]
    assert weights[0] > weights[1]


def test_a_stored_model_recommends_the_same_as_the_fitted_one():
    model = ItemBasedRecommender(weighting="tfidf", neighbours=4).fit(two_tastes())

    fmt, payload = model.to_artifact()
    loaded = ItemBasedRecommender.from_artifact(fmt, payload)

    assert fmt == "npz"
    assert loaded.get_params() == model.get_params()
    assert loaded.recommend([13, 14]).equals(model.recommend([13, 14]))


def test_an_artifact_of_another_format_is_refused():
    with pytest.raises(ArtifactError, match="quotebot train"):
        ItemBasedRecommender.from_artifact("json", b"{}")


def test_popularity_recommends_the_most_bought_products_not_owned():
    model = PopularityRecommender().fit(lines_of(BASKETS))

    suggested = model.recommend([1], top_n=2)

    assert suggested["product_id"].tolist() == [2, 4]
    assert suggested["buyers"].tolist() == [3, 3]
    assert (suggested["customers"] == 7).all()


def test_popularity_from_another_models_counts_ranks_the_same():
    lines = lines_of(BASKETS)
    item_based = ItemBasedRecommender().fit(lines)

    borrowed = PopularityRecommender.from_counts(
        item_based.product_ids_, item_based.buyers_, item_based.n_customers_
    )

    assert borrowed.recommend([1]).equals(
        PopularityRecommender().fit(lines).recommend([1])
    )
