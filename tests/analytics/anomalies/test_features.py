"""Quote features are taken as of each quote, from earlier quotes only."""

import numpy as np
import pandas as pd
import pytest

from analytics.anomalies import CONTEXT, FEATURES, FeatureError, quote_features
from tests.analytics.anomalies.quote_factories import plant, quote_profiles


@pytest.fixture(scope="module")
def profiles():
    return quote_profiles(n_customers=6, quotes_each=8, seed=1)


def test_every_quote_gets_every_feature_as_a_finite_number(profiles):
    features = quote_features(profiles)

    assert list(features.columns) == [*FEATURES, *CONTEXT]
    assert len(features) == len(profiles)
    assert np.isfinite(features.loc[:, list(FEATURES)].to_numpy()).all()


def test_a_later_quote_changes_no_earlier_quote_features(profiles):
    last = int(profiles["quote_id"].iloc[-1])
    before = quote_features(profiles)
    after = quote_features(plant(profiles, last, "oversized"))

    earlier = before.index != last
    pd.testing.assert_frame_equal(before[earlier], after[earlier])
    assert after.loc[last, "log_total"] > before.loc[last, "log_total"]


def test_size_against_the_customer_is_the_log_ratio_to_earlier_quotes_median(
    profiles,
):
    features = quote_features(profiles)
    own = profiles[profiles["customer_id"] == 2].sort_values("created_at")
    third = own.iloc[2]

    expected = np.log(third["total"] / np.median(own["total"].iloc[:2]))
    assert features.loc[third["quote_id"], "size_vs_customer"] == pytest.approx(
        expected
    )
    assert features.loc[third["quote_id"], "customer_prior_quotes"] == 2


def test_a_first_quote_has_no_usual_size_and_counts_as_usual(profiles):
    features = quote_features(profiles)
    first = profiles.sort_values("created_at").groupby("customer_id").head(1)

    firsts = features.loc[first["quote_id"]]
    assert firsts["customer_median"].isna().all()
    assert (firsts["size_vs_customer"] == 0).all()
    assert firsts["log_days_since_previous"].to_numpy() == pytest.approx(np.log1p(365))


def test_prices_below_list_show_in_price_to_list_and_discount_depth(profiles):
    quote_id = int(profiles["quote_id"].iloc[20])
    features = quote_features(plant(profiles, quote_id, "below_list_price"))

    assert features.loc[quote_id, "price_to_list"] == pytest.approx(0.3)
    assert features.loc[quote_id, "discount_depth"] > 0.7


def test_the_reps_usual_discount_is_the_median_of_their_earlier_quotes(profiles):
    features = quote_features(profiles)
    rep = profiles[profiles["rep_id"] == 1].sort_values("created_at")
    fifth = rep.iloc[4]

    usual = np.median(rep["discount_pct"].iloc[:4])
    assert features.loc[fifth["quote_id"], "rep_usual_discount"] == usual
    assert features.loc[fifth["quote_id"], "discount_vs_rep"] == (
        fifth["discount_pct"] - usual
    )


def test_a_frame_without_line_totals_is_refused_with_the_query_to_use(profiles):
    with pytest.raises(FeatureError, match="list_value.*quote_profiles"):
        quote_features(profiles.drop(columns=["list_value"]))
