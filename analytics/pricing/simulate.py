"""Pricing policies compared offline, on a market whose price sensitivity is known.

A ``Market`` says, for each customer segment, how likely a buyer is to
accept a quote at a given price (a logistic curve in the price ratio, the
price over list), how often it asks about each product category, how large
its quotes are and which discounts reps give it today; and, for each
category, what the goods cost as a fraction of list. ``evaluate_pricing``
plays the same stream of quote requests against each policy:

``oracle``
    the discount of the highest true expected margin in each cell, computed
    from the true curves: the best any policy on the grid can do;
``thompson``
    ``ThompsonPricer`` starting from nothing, learning from each outcome;
``thompson_unpooled``
    the same without borrowing across categories;
``current_practice``
    discounts drawn from what reps give each segment today;
``jitter``
    list price moved by a uniform random amount of up to 10 % either way, the
    "learning" of the original guide.

Regret is the oracle's expected margin less the policy's, summed over the
rounds; expectations (not the coin flips of acceptance) are summed, so the
comparison carries no luck of outcomes beyond the policies' own choices.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analytics.pricing.errors import PricingError
from analytics.pricing.model import DISCOUNT_GRID, PRIOR_STRENGTH, ThompsonPricer

logger = logging.getLogger(__name__)

DEFAULT_ROUNDS = 20_000
JITTER = 0.10
VALUE_SPREAD = 0.5
CHECKPOINTS = (0.1, 0.25, 0.5, 1.0)
POLICIES = ("oracle", "thompson", "thompson_unpooled", "current_practice", "jitter")
DIGITS = 2


@dataclass(frozen=True)
class MarketSegment:
    """How the buyers of one segment respond to price.

    Parameters
    ----------
    name : str
    share : float
        Share of quote requests from this segment (normalised over segments).
    alpha, beta : float
        ``logit P(accept) = alpha - beta * price_ratio``.
    discount_probs : tuple of float
        Probability reps give each grid discount today (normalised).
    category_mix : dict of str to float
        Relative frequency of requests by category (normalised).
    typical_value : float
        Median list value of a quote; values vary log-normally around it.
    """

    name: str
    share: float
    alpha: float
    beta: float
    discount_probs: tuple[float, ...]
    category_mix: dict[str, float] = field(default_factory=dict)
    typical_value: float = 1.0

    def acceptance(self, price_ratio: np.ndarray) -> np.ndarray:
        """True P(accept) at each price ratio, shape as ``price_ratio``."""
        return 1.0 / (1.0 + np.exp(-(self.alpha - self.beta * price_ratio)))


@dataclass(frozen=True)
class Market:
    """Segments and what each category's goods cost as a fraction of list."""

    segments: tuple[MarketSegment, ...]
    cost_ratios: dict[str, float]
    discounts: tuple[float, ...] = DISCOUNT_GRID

    def __post_init__(self) -> None:
        if not self.segments:
            raise PricingError("a market needs at least one segment to simulate.")
        for segment in self.segments:
            unknown = set(segment.category_mix) - set(self.cost_ratios)
            if unknown or not segment.category_mix:
                raise PricingError(
                    f"segment {segment.name!r} asks about categories with no cost "
                    f"ratio ({', '.join(sorted(unknown)) or 'none given'}); give "
                    "every category of its mix a cost ratio."
                )
            if len(segment.discount_probs) != len(self.discounts):
                raise PricingError(
                    f"segment {segment.name!r} has {len(segment.discount_probs)} "
                    f"discount probabilities for {len(self.discounts)} discounts."
                )

    def oracle_discounts(self) -> dict[str, dict[str, float]]:
        """Per segment and category, the discount of the highest true margin."""
        grid = np.asarray(self.discounts) / 100.0
        return {
            s.name: {
                c: float(self.discounts[int(np.argmax(_margin(s, 1 - grid, cost)))])
                for c, cost in self.cost_ratios.items()
                if c in s.category_mix
            }
            for s in self.segments
        }


@dataclass(frozen=True)
class _Stream:
    """The quote requests every policy answers: segment, category and value."""

    segment: np.ndarray
    category: list[str]
    value: np.ndarray
    practice: np.ndarray
    jitter: np.ndarray


def evaluate_pricing(
    market: Market,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    prior_strength: float = PRIOR_STRENGTH,
) -> dict[str, Any]:
    """Cumulative regret of each policy over a simulated stream of requests.

    Parameters
    ----------
    market : Market
        The true curves, category mixes, costs and today's discounts.
    rounds : int
        Quote requests in the stream.
    seed : int
        Seed of the stream, the outcomes and Thompson's draws.
    prior_strength : float
        Passed to ``ThompsonPricer`` for the pooled policy.

    Returns
    -------
    dict
        ``rounds, seed, discounts``; ``regret`` (per policy, the oracle's
        expected margin less the policy's, summed); ``expected_margin`` (per
        policy, summed); ``margin_vs_current`` (per policy, its expected margin
        less current practice's); ``checkpoints`` (round to regret per policy);
        ``oracle_discounts`` and ``learned_discounts`` (Thompson's posterior-
        mean best at the end), per segment and category; and
        ``thompson_oracle_share`` (share of the last tenth of rounds where
        Thompson chose the oracle's discount). Money is rounded to cents.
    """
    if rounds < 1:
        raise PricingError(f"evaluate_pricing needs at least 1 round; got {rounds}.")
    rng = np.random.default_rng(seed)
    stream = _stream(market, rounds, rng)
    oracle = _oracle_rewards(market, stream)
    pricers = {
        "thompson": ThompsonPricer(market.discounts, prior_strength, seed),
        "thompson_unpooled": ThompsonPricer(market.discounts, 0.0, seed),
    }

    rewards = {"oracle": oracle}
    rewards["current_practice"] = _rewards(
        market, stream, _practice_ratios(market, stream)
    )
    rewards["jitter"] = _rewards(market, stream, 1.0 + stream.jitter)
    chosen = {}
    for name, pricer in pricers.items():
        ratios = _play(market, stream, pricer, np.random.default_rng(seed + 1))
        rewards[name], chosen[name] = _rewards(market, stream, ratios), ratios
    report = _report(market, stream, rewards, seed)
    report["learned_discounts"] = _learned(market, pricers["thompson"])
    report["thompson_oracle_share"] = _oracle_share(market, stream, chosen["thompson"])
    logger.info(
        "simulated %s pricing rounds: regret %s",
        rounds,
        ", ".join(f"{p} {r:,.0f}" for p, r in report["regret"].items()),
    )
    return report


def _stream(market: Market, rounds: int, rng: np.random.Generator) -> _Stream:
    shares = np.array([s.share for s in market.segments], dtype=float)
    segment = rng.choice(len(shares), size=rounds, p=shares / shares.sum())
    category = [_draw_category(market.segments[i], rng) for i in segment]
    typical = np.array([market.segments[i].typical_value for i in segment])
    value = typical * rng.lognormal(0.0, VALUE_SPREAD, size=rounds)
    return _Stream(
        segment=segment,
        category=category,
        value=value,
        practice=rng.random(rounds),
        jitter=rng.uniform(-JITTER, JITTER, size=rounds),
    )


def _draw_category(segment: MarketSegment, rng: np.random.Generator) -> str:
    names = list(segment.category_mix)
    weights = np.array([segment.category_mix[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


def _margin(segment: MarketSegment, ratio: np.ndarray, cost: float) -> np.ndarray:
    """True expected margin per list dollar at each price ratio."""
    return segment.acceptance(ratio) * (ratio - cost)


def _rewards(market: Market, stream: _Stream, ratios: np.ndarray) -> np.ndarray:
    """Expected margin of each round at the price ratio the policy chose."""
    out = np.empty(len(ratios))
    for i, ratio in enumerate(ratios):
        segment = market.segments[stream.segment[i]]
        cost = market.cost_ratios[stream.category[i]]
        out[i] = _margin(segment, np.float64(ratio), cost) * stream.value[i]
    return out


def _oracle_rewards(market: Market, stream: _Stream) -> np.ndarray:
    best = market.oracle_discounts()
    ratios = np.array(
        [
            1 - best[market.segments[s].name][c] / 100.0
            for s, c in zip(stream.segment, stream.category, strict=True)
        ]
    )
    return _rewards(market, stream, ratios)


def _practice_ratios(market: Market, stream: _Stream) -> np.ndarray:
    """Today's discounts: each segment's usual levels, drawn by their frequency."""
    cdf = np.array(
        [np.cumsum(s.discount_probs) / sum(s.discount_probs) for s in market.segments]
    )
    level = (stream.practice[:, None] >= cdf[stream.segment]).sum(axis=1)
    level = np.minimum(level, len(market.discounts) - 1)
    return 1 - np.asarray(market.discounts)[level] / 100.0


def _play(
    market: Market, stream: _Stream, pricer: ThompsonPricer, rng: np.random.Generator
) -> np.ndarray:
    """Thompson's price ratio in each round, learning from each simulated outcome."""
    pricer.fit(_no_quotes())
    ratios = np.empty(len(stream.value))
    outcomes = rng.random(len(stream.value))
    for i, index in enumerate(stream.segment):
        segment, category = market.segments[index], stream.category[i]
        cost = market.cost_ratios[category]
        discount = pricer.sample(segment.name, category, cost, rng=rng)
        ratios[i] = 1 - discount / 100.0
        accepted = outcomes[i] < segment.acceptance(np.float64(ratios[i]))
        pricer.update(segment.name, category, discount, bool(accepted))
    return ratios


def _no_quotes():
    import pandas as pd

    return pd.DataFrame(
        {"segment": [], "category": [], "discount_pct": [], "accepted": []}
    )


def _report(market: Market, stream: _Stream, rewards: dict, seed: int) -> dict:
    oracle = rewards["oracle"]
    rounds = len(oracle)
    marks = sorted({max(1, int(round(rounds * share))) for share in CHECKPOINTS})
    ordered = [p for p in POLICIES if p in rewards]
    total = {p: float(rewards[p].sum()) for p in ordered}
    return {
        "rounds": rounds,
        "seed": seed,
        "discounts": list(market.discounts),
        "regret": {p: _money(total["oracle"] - total[p]) for p in ordered},
        "expected_margin": {p: _money(total[p]) for p in ordered},
        "margin_vs_current": {
            p: _money(total[p] - total["current_practice"]) for p in ordered
        },
        "checkpoints": {
            mark: {
                p: _money((oracle[:mark] - rewards[p][:mark]).sum()) for p in ordered
            }
            for mark in marks
        },
        "oracle_discounts": market.oracle_discounts(),
    }


def _learned(market: Market, pricer: ThompsonPricer) -> dict[str, dict[str, float]]:
    return {
        segment: {
            category: pricer.best(segment, category, market.cost_ratios[category])
            for category in by_category
        }
        for segment, by_category in market.oracle_discounts().items()
    }


def _oracle_share(market: Market, stream: _Stream, ratios: np.ndarray) -> float:
    best = market.oracle_discounts()
    start = len(ratios) - max(1, len(ratios) // 10)
    hits = [
        abs(
            (1 - ratios[i]) * 100
            - best[market.segments[stream.segment[i]].name][stream.category[i]]
        )
        < 1e-6
        for i in range(start, len(ratios))
    ]
    return round(float(np.mean(hits)), 4)


def _money(value: float) -> float:
    return round(float(value), DIGITS)
