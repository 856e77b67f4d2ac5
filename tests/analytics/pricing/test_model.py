"""The Thompson pricer keeps the estimator contract and learns the right discount."""

import numpy as np
import pandas as pd
import pytest

from analytics.pricing import (
    DISCOUNT_GRID,
    Guardrails,
    NoAllowedDiscountError,
    NotFittedError,
    PricingError,
    ThompsonPricer,
)
from tests.analytics.pricing.pricing_factories import (
    decided_quotes,
    logistic_acceptance,
)


def test_fit_returns_self_and_counts_each_quote_in_its_arm():
    quotes = pd.DataFrame(
        {
            "segment": ["smb", "smb", "smb", "enterprise"],
            "category": ["Software", "Software", "Software", "Hardware"],
            "discount_pct": [10.0, 11.0, 0.0, 30.0],
            "accepted": [True, False, True, False],
        }
    )

    pricer = ThompsonPricer()
    assert pricer.fit(quotes) is pricer

    arms = pricer.arms().set_index(["segment", "category", "discount_pct"])
    assert arms.loc[("smb", "Software", 10.0)].tolist() == [1.0, 2.0]
    assert arms.loc[("smb", "Software", 0.0)].tolist() == [1.0, 1.0]
    assert arms.loc[("enterprise", "Hardware", 30.0)].tolist() == [0.0, 1.0]
    assert len(arms) == 3


def test_an_unfitted_pricer_refuses_to_suggest():
    with pytest.raises(NotFittedError, match="call fit"):
        ThompsonPricer().sample("smb", "Software", 0.1)
    with pytest.raises(NotFittedError):
        ThompsonPricer().best("smb", "Software", 0.1)


@pytest.mark.parametrize(
    "params",
    [{"discounts": (10.0, 5.0)}, {"discounts": (0.0,)}, {"prior_strength": -1}],
)
def test_bad_hyperparameters_are_refused_at_fit(params):
    with pytest.raises(PricingError, match="parameter of ThompsonPricer"):
        ThompsonPricer(**params).fit(decided_quotes({("smb", "Software"): 5}))


def test_fit_names_missing_columns():
    with pytest.raises(PricingError, match="accepted"):
        ThompsonPricer().fit(pd.DataFrame({"segment": [], "category": []}))


def test_the_posterior_mean_best_matches_the_true_curve_with_enough_quotes():
    quotes = decided_quotes({("smb", "Software"): 3500}, seed=1)
    pricer = ThompsonPricer(prior_strength=0).fit(quotes)

    grid = np.asarray(DISCOUNT_GRID)
    truth = logistic_acceptance(14.6, 16.0, grid) * ((1 - grid / 100) - 0.12)
    best = pricer.best("smb", "Software", 0.12)
    chosen = truth[list(grid).index(best)]
    assert chosen >= truth.max() * 0.97
    posterior = pricer.posterior("smb", "Software")
    assert np.abs(posterior["mean"] - logistic_acceptance(14.6, 16.0, grid)).max() < 0.1


def test_a_dear_product_gets_a_smaller_discount_than_a_cheap_one():
    pricer = ThompsonPricer().fit(decided_quotes({("smb", "Software"): 3000}, seed=2))

    cheap = pricer.best("smb", "Software", cost_ratio=0.12)
    dear = pricer.best("smb", "Software", cost_ratio=0.62)

    assert dear < cheap


def test_an_empty_cell_borrows_from_its_segments_other_categories():
    quotes = decided_quotes({("smb", "Software"): 2000}, seed=3)
    pooled = ThompsonPricer(prior_strength=10).fit(quotes)
    flat = ThompsonPricer(prior_strength=0).fit(quotes)

    borrowed = pooled.posterior("smb", "Training")
    assert (borrowed["decided"] == 0).all()
    assert (borrowed["pooled"] == 10).all()
    assert borrowed["mean"].iloc[-1] > borrowed["mean"].iloc[0] + 0.3
    assert flat.posterior("smb", "Training")["mean"].eq(0.5).all()


def test_a_cells_own_quotes_outweigh_what_it_borrows():
    quotes = pd.concat(
        [
            decided_quotes({("smb", "Software"): 2000}, seed=4),
            pd.DataFrame(
                {
                    "segment": "smb",
                    "category": "Training",
                    "discount_pct": 0.0,
                    "accepted": [True] * 200,
                }
            ),
        ]
    )
    posterior = (
        ThompsonPricer(prior_strength=10).fit(quotes).posterior("smb", "Training")
    )

    at_list = posterior.loc[0.0]
    assert at_list["alpha"] / (at_list["alpha"] + at_list["beta"]) > 0.9


def test_sampling_explores_while_the_evidence_is_thin_and_settles_later():
    thin = ThompsonPricer(random_state=0).fit(decided_quotes({("smb", "Sw"): 14}))
    rich = ThompsonPricer(random_state=0).fit(decided_quotes({("smb", "Sw"): 5000}))

    thin_picks = {thin.sample("smb", "Sw", 0.12) for _ in range(200)}
    rich_picks = [rich.sample("smb", "Sw", 0.12) for _ in range(200)]

    assert len(thin_picks) >= 4
    best = rich.best("smb", "Sw", 0.12)
    assert rich_picks.count(best) >= 100


def test_same_seed_same_draws():
    quotes = decided_quotes({("smb", "Sw"): 50})
    first = ThompsonPricer(random_state=7).fit(quotes)
    second = ThompsonPricer(random_state=7).fit(quotes)

    draws = [first.sample("smb", "Sw", 0.2) for _ in range(20)]
    assert draws == [second.sample("smb", "Sw", 0.2) for _ in range(20)]


def test_update_counts_one_more_decision():
    pricer = ThompsonPricer().fit(decided_quotes({("smb", "Sw"): 10}))
    before = pricer.posterior("smb", "Sw").loc[20.0, ["accepted", "decided"]]

    pricer.update("smb", "Sw", 20.0, accepted=True)

    after = pricer.posterior("smb", "Sw").loc[20.0, ["accepted", "decided"]]
    assert (after - before).tolist() == [1.0, 1.0]


def test_from_arms_rebuilds_the_same_posteriors():
    pricer = ThompsonPricer().fit(
        decided_quotes({("smb", "Sw"): 80, ("ent", "Hw"): 40})
    )

    rebuilt = ThompsonPricer.from_arms(pricer.arms())

    pd.testing.assert_frame_equal(
        rebuilt.posterior("ent", "Sw"), pricer.posterior("ent", "Sw")
    )


def test_guardrails_keep_suggestions_within_the_limit_and_above_the_floor():
    pricer = ThompsonPricer(random_state=0).fit(decided_quotes({("smb", "Sw"): 3000}))
    limit = Guardrails(max_discount=10.0, min_margin=0.15)

    picks = {pricer.sample("smb", "Sw", 0.12, limit) for _ in range(100)}
    assert max(picks) <= 10.0
    assert pricer.best("smb", "Sw", 0.12, limit) == 10.0

    floor = Guardrails(max_discount=30.0, min_margin=0.15)
    assert pricer.best("smb", "Sw", 0.75, floor) <= 10.0  # 0.75 / 0.85 = 88% of list


def test_no_allowed_discount_says_why():
    pricer = ThompsonPricer().fit(decided_quotes({("smb", "Sw"): 10}))

    with pytest.raises(NoAllowedDiscountError, match="floor"):
        pricer.best("smb", "Sw", 0.95, Guardrails(min_margin=0.15))


def test_guardrails_refuse_a_margin_outside_zero_to_one():
    with pytest.raises(PricingError, match="min_margin"):
        Guardrails(min_margin=1.5)


def test_held_out_acceptance_beats_rates_that_ignore_the_cell():
    from analytics.pricing import acceptance_holdout

    sensitive = decided_quotes({("smb", "Sw"): 1500, ("smb", "Hw"): 300}, seed=5)
    loyal = decided_quotes({("ent", "Sw"): 1500}, alpha=3.1, beta=3.0, seed=6)
    quotes = pd.concat([sensitive, loyal], ignore_index=True)
    hours = np.random.default_rng(0).permutation(len(quotes))
    quotes["created_at"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, "h")

    report = acceptance_holdout(quotes)

    scores = report["models"]
    assert report["test_quotes"] == 825
    assert scores["thompson"]["log_loss"] < scores["discount_rate"]["log_loss"]
    assert scores["discount_rate"]["log_loss"] < scores["overall_rate"]["log_loss"]


def test_held_out_scoring_needs_enough_quotes():
    from analytics.pricing import acceptance_holdout

    quotes = decided_quotes({("smb", "Sw"): 10}).assign(created_at=pd.Timestamp(0))
    with pytest.raises(PricingError, match="at least 40"):
        acceptance_holdout(quotes)


def test_acceptance_means_never_fall_as_the_discount_deepens():
    quotes = pd.DataFrame(
        {
            "segment": "smb",
            "category": "Sw",
            "discount_pct": [0.0] * 20 + [10.0] * 20 + [20.0] * 4,
            "accepted": [True] * 10
            + [False] * 10
            + [True] * 16
            + [False] * 4
            + [False] * 4,
        }
    )
    pricer = ThompsonPricer(prior_strength=0).fit(quotes)

    means = pricer.posterior("smb", "Sw")["mean"]
    assert means.is_monotonic_increasing
    assert means.loc[20.0] == means.loc[10.0] < 17 / 22
