import pytest

from analytics.recommend import ArtifactError, NotFittedError, PairRules
from tests.analytics.recommend.recommend_factories import lines_of

# 10 baskets: A=1 in 4, B=2 in 5, both in 3; C=3 with D=4 twice.
BASKETS = [
    (1, [1, 2]),
    (1, [1, 2]),
    (2, [1, 2, 3]),
    (2, [1]),
    (3, [2]),
    (3, [2]),
    (4, [3, 4]),
    (4, [3, 4]),
    (5, [5]),
    (5, [5]),
]


def test_support_confidence_and_lift_follow_their_definitions():
    rules = PairRules(min_count=2).fit(lines_of(BASKETS)).rules_
    a_to_b = rules[(rules["antecedent_id"] == 1) & (rules["consequent_id"] == 2)]
    rule = a_to_b.iloc[0]

    assert rule["count"] == 3
    assert rule["support"] == pytest.approx(3 / 10)
    assert rule["confidence"] == pytest.approx(3 / 4)
    assert rule["lift"] == pytest.approx((3 / 10) / ((4 / 10) * (5 / 10)))
    assert rule["lift"] == pytest.approx(rule["confidence"] / (5 / 10))


def test_both_directions_of_a_pair_are_rules_with_their_own_confidence():
    rules = PairRules(min_count=2).fit(lines_of(BASKETS)).rules_
    b_to_a = rules[(rules["antecedent_id"] == 2) & (rules["consequent_id"] == 1)]

    assert b_to_a.iloc[0]["confidence"] == pytest.approx(3 / 5)


def test_pairs_below_the_minimum_count_are_left_out():
    rules = PairRules(min_count=3).fit(lines_of(BASKETS)).rules_

    pairs = set(zip(rules["antecedent_id"], rules["consequent_id"], strict=True))

    assert pairs == {(1, 2), (2, 1)}


def test_baskets_larger_than_the_cap_are_left_out_and_counted():
    baskets = [*BASKETS, (6, list(range(1, 8))), (6, list(range(1, 8)))]
    model = PairRules(min_count=2, max_basket_size=5).fit(lines_of(baskets))

    assert model.skipped_baskets_ == 2
    assert model.n_baskets_ == 10
    assert model.rules_.equals(PairRules(min_count=2).fit(lines_of(BASKETS)).rules_)


def test_what_goes_with_a_product_is_ordered_by_confidence():
    model = PairRules(min_count=1).fit(lines_of(BASKETS))

    companions = model.for_product(1)

    assert companions["consequent_id"].tolist() == [2]
    assert (companions["lift"] > 1).all()


def test_the_strongest_pairs_list_each_pair_once_by_lift_in_its_likelier_direction():
    model = PairRules(min_count=2, overall_min_support=0).fit(lines_of(BASKETS))

    strongest = model.strongest()

    assert strongest[["antecedent_id", "consequent_id"]].values.tolist() == [
        [4, 3],
        [1, 2],
    ]


def test_rules_cannot_be_listed_before_mining():
    with pytest.raises(NotFittedError, match="bought-together rules"):
        PairRules().strongest()


def test_stored_rules_answer_as_the_mined_ones():
    mined = PairRules(min_count=2, overall_min_support=0).fit(lines_of(BASKETS))

    fmt, payload = mined.to_artifact()
    stored = PairRules.from_artifact(fmt, payload)

    assert fmt == "npz"
    assert stored.get_params() == mined.get_params()
    assert stored.skipped_baskets_ == mined.skipped_baskets_
    assert stored.strongest().equals(mined.strongest())
    assert stored.for_product(1).equals(mined.for_product(1))


def test_rules_of_another_format_are_refused():
    with pytest.raises(ArtifactError, match="quotebot train"):
        PairRules.from_artifact("json", b"{}")
