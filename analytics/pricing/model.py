"""Thompson sampling over a grid of discounts, one bandit per market cell.

A market cell is a (customer segment, product category) pair. Each discount
on the grid is an arm whose chance of acceptance has a Beta posterior,
counted from decided quotes: an accepted quote is a success, a rejected or
expired one a failure. The reward of an arm is the expected margin per list
dollar::

    reward(d) = P(accept | d) * ((1 - d / 100) - cost_ratio)

with ``cost_ratio`` the unit cost over the list price. Thompson sampling
draws one acceptance rate per arm from its posterior and picks the arm of the
highest drawn reward, so arms that might be best keep being tried while the
evidence is thin, and the best one takes over as it firms up. The posterior
mean gives the deterministic best, used to explain a suggestion; those means
are made non-decreasing in the discount, since a deeper discount is never
less attractive to a buyer (the draws are left independent).

Pooling: a cell with few decided quotes borrows from the same segment's other
categories at the same discount (buyers of one segment react to a discount
alike whatever they buy; what differs by category is the margin). That
evidence enters the cell's prior as at most ``prior_strength`` pseudo-quotes
at its acceptance rate, on top of a flat Beta(1, 1); a segment with no
evidence at all borrows from every segment instead. The cell's own quotes
count in full, so pooling fades as they accumulate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Self

import numpy as np
import pandas as pd

from analytics.pricing.errors import NotFittedError, PricingError
from analytics.pricing.guardrails import Guardrails

logger = logging.getLogger(__name__)

DISCOUNT_GRID: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
PRIOR_STRENGTH = 30.0
ARM_COLUMNS = ["segment", "category", "discount_pct", "accepted", "decided"]
FIT_COLUMNS = ("segment", "category", "discount_pct", "accepted")


class ThompsonPricer:
    """Discount suggestions by Thompson sampling on Beta acceptance posteriors.

    Parameters
    ----------
    discounts : tuple of float
        The discount grid, in percent of list price, ascending.
    prior_strength : float
        Most pseudo-quotes a cell borrows from its segment's other categories
        (see the module docstring); 0 turns pooling off.
    random_state : int or None
        Seed of the draws of ``sample`` and ``suggest``.

    Attributes
    ----------
    discounts_ : ndarray, shape (n_arms,)
        The grid as fitted.
    cells_ : dict of (str, str) to ndarray, shape (n_arms, 2)
        Per (segment, category), accepted and lost quotes at each discount.
    """

    def __init__(
        self,
        discounts: Iterable[float] = DISCOUNT_GRID,
        prior_strength: float = PRIOR_STRENGTH,
        random_state: int | None = None,
    ) -> None:
        self.discounts = tuple(discounts)
        self.prior_strength = prior_strength
        self.random_state = random_state

    def fit(self, decided: pd.DataFrame) -> Self:
        """Count the decided quotes of every cell and discount.

        Parameters
        ----------
        decided : DataFrame, shape (n_quotes, >= 4)
            ``segment, category, discount_pct`` (percent; snapped to the
            nearest grid level) and ``accepted`` (bool) of each decided quote.

        Returns
        -------
        self
        """
        self._start()
        decided = _check_decided(decided)
        levels = self.snap(decided["discount_pct"].to_numpy(dtype=float))
        frame = decided.assign(arm=levels, accepted=decided["accepted"].astype(bool))
        grouped = frame.groupby(["segment", "category", "arm"])["accepted"]
        for (segment, category, arm), won in grouped.agg(["sum", "count"]).iterrows():
            counts = self._cell(str(segment), str(category))
            counts[int(arm)] += (won["sum"], won["count"] - won["sum"])
        logger.info(
            "counted %s decided quotes in %s pricing cells",
            len(frame),
            len(self.cells_),
        )
        return self

    @classmethod
    def from_arms(cls, arms: pd.DataFrame, **params: Any) -> Self:
        """A fitted pricer from stored arms (``segment, category, discount_pct,
        accepted, decided``), as ``arms()`` returns them."""
        pricer = cls(**params)._start()
        for row in arms.itertuples(index=False):
            counts = pricer._cell(str(row.segment), str(row.category))
            arm = int(pricer.snap(np.array([float(row.discount_pct)]))[0])
            counts[arm] += (float(row.accepted), float(row.decided) - row.accepted)
        return pricer

    def update(self, segment: str, category: str, discount: float, accepted: bool):
        """Add one decided quote to its arm; returns self."""
        self._check_fitted("learn from a decision")
        arm = int(self.snap(np.array([discount]))[0])
        self._cell(segment, category)[arm] += (1.0, 0.0) if accepted else (0.0, 1.0)
        return self

    def snap(self, discounts: np.ndarray) -> np.ndarray:
        """The index of the nearest grid level of each discount, shape (n,)."""
        grid = np.asarray(self.discounts, dtype=float)
        distance = np.abs(np.asarray(discounts, dtype=float)[:, None] - grid[None])
        return distance.argmin(axis=1)

    def posterior(self, segment: str, category: str) -> pd.DataFrame:
        """The Beta posterior of acceptance of each arm of a cell.

        Returns
        -------
        DataFrame, shape (n_arms, 6), indexed by ``discount_pct``
            ``accepted, decided`` (the cell's own quotes), ``pooled`` (the
            pseudo-quotes borrowed), ``alpha, beta`` and ``mean``.
        """
        self._check_fitted("read a posterior")
        alpha, beta, pooled = self._posterior(segment, category)
        own = self.cells_.get((segment, category), np.zeros((len(self.discounts_), 2)))
        return pd.DataFrame(
            {
                "accepted": own[:, 0],
                "decided": own.sum(axis=1),
                "pooled": pooled,
                "alpha": alpha,
                "beta": beta,
                "mean": _rising(alpha / (alpha + beta), alpha + beta),
            },
            index=pd.Index(self.discounts_, name="discount_pct"),
        )

    def expected_margin(
        self, segment: str, category: str, cost_ratio: float
    ) -> np.ndarray:
        """Posterior-mean margin per list dollar of each arm, shape (n_arms,).

        The means are made non-decreasing in the discount (a deeper discount
        is never less likely to be accepted), pooling adjacent arms that
        disagree, weighted by their evidence.
        """
        alpha, beta, _ = self._posterior(segment, category)
        mean = _rising(alpha / (alpha + beta), alpha + beta)
        return mean * self._unit_margin(cost_ratio)

    def best(
        self,
        segment: str,
        category: str,
        cost_ratio: float,
        guardrails: Guardrails | None = None,
    ) -> float:
        """The allowed discount of the highest posterior-mean margin."""
        margins = self.expected_margin(segment, category, cost_ratio)
        return self._pick(margins, cost_ratio, guardrails)

    def sample(
        self,
        segment: str,
        category: str,
        cost_ratio: float,
        guardrails: Guardrails | None = None,
        rng: np.random.Generator | None = None,
    ) -> float:
        """The allowed discount of the highest margin under one posterior draw."""
        self._check_fitted("suggest a discount")
        alpha, beta, _ = self._posterior(segment, category)
        draws = (rng or self.rng_).beta(alpha, beta)
        return self._pick(draws * self._unit_margin(cost_ratio), cost_ratio, guardrails)

    def arms(self) -> pd.DataFrame:
        """Every cell's counts, one row per arm with any decided quote.

        Returns
        -------
        DataFrame, shape (n_rows, 5)
            ``segment, category, discount_pct, accepted, decided``.
        """
        self._check_fitted("list its arms")
        rows = [
            (segment, category, float(level), float(won), float(won + lost))
            for (segment, category), counts in sorted(self.cells_.items())
            for level, (won, lost) in zip(self.discounts_, counts, strict=True)
            if won + lost > 0
        ]
        return pd.DataFrame(rows, columns=ARM_COLUMNS)

    def segments(self) -> list[str]:
        """The segments with any decided quote, sorted."""
        self._check_fitted("list its segments")
        return sorted({segment for segment, _ in self.cells_})

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters given to ``__init__``, by name."""
        return {
            "discounts": tuple(self.discounts),
            "prior_strength": self.prior_strength,
            "random_state": self.random_state,
        }

    def is_fitted(self) -> bool:
        """True once ``fit`` has run (or the pricer was built from arms)."""
        return hasattr(self, "cells_")

    def _start(self) -> Self:
        self.discounts_ = _check_grid(self.discounts)
        if self.prior_strength < 0:
            raise PricingError(
                "The 'prior_strength' parameter of ThompsonPricer must be at least "
                f"0. Got {self.prior_strength!r} instead."
            )
        self.cells_: dict[tuple[str, str], np.ndarray] = {}
        self.rng_ = np.random.default_rng(self.random_state)
        return self

    def _cell(self, segment: str, category: str) -> np.ndarray:
        key = (segment, category)
        if key not in self.cells_:
            self.cells_[key] = np.zeros((len(self.discounts_), 2))
        return self.cells_[key]

    def _posterior(self, segment: str, category: str):
        """Alpha, beta and pooled pseudo-quotes of each arm, each shape (n_arms,)."""
        self._check_fitted("read a posterior")
        own = self.cells_.get((segment, category), np.zeros((len(self.discounts_), 2)))
        borrowed = self._borrowed(segment, category)
        seen = borrowed.sum(axis=1)
        weight = np.minimum(self.prior_strength, seen)
        rate = (borrowed[:, 0] + 1.0) / (seen + 2.0)
        alpha = 1.0 + weight * rate + own[:, 0]
        beta = 1.0 + weight * (1.0 - rate) + own[:, 1]
        return alpha, beta, weight

    def _borrowed(self, segment: str, category: str) -> np.ndarray:
        """Counts of the segment's other categories, or of every other cell."""
        same = [
            c for (s, k), c in self.cells_.items() if s == segment and k != category
        ]
        if same and np.sum(same) > 0:
            return np.sum(same, axis=0)
        others = [c for key, c in self.cells_.items() if key != (segment, category)]
        return np.sum(others, axis=0) if others else np.zeros((len(self.discounts_), 2))

    def _unit_margin(self, cost_ratio: float) -> np.ndarray:
        return (1.0 - self.discounts_ / 100.0) - float(cost_ratio)

    def _pick(self, rewards, cost_ratio: float, guardrails: Guardrails | None) -> float:
        allowed = (guardrails or Guardrails()).check(self.discounts_, cost_ratio)
        rewards = np.where(allowed, rewards, -np.inf)
        return float(self.discounts_[int(np.argmax(rewards))])

    def _check_fitted(self, action: str) -> None:
        if not self.is_fitted():
            raise NotFittedError(action)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def _rising(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, size]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([float(value), float(weight), 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            right, left = blocks.pop(), blocks[-1]
            total = left[1] + right[1]
            left[0] = (left[0] * left[1] + right[0] * right[1]) / total
            left[1], left[2] = total, left[2] + right[2]
    return np.repeat([b[0] for b in blocks], [b[2] for b in blocks])


def _check_grid(discounts: tuple[float, ...]) -> np.ndarray:
    grid = np.asarray(discounts, dtype=float)
    if grid.ndim != 1 or len(grid) < 2 or (np.diff(grid) <= 0).any():
        raise PricingError(
            "The 'discounts' parameter of ThompsonPricer must hold at least two "
            f"ascending percentages. Got {discounts!r} instead."
        )
    if grid[0] < 0 or grid[-1] >= 100:
        raise PricingError(
            "The 'discounts' parameter of ThompsonPricer must lie in [0, 100). Got "
            f"{discounts!r} instead."
        )
    return grid


def _check_decided(decided: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in FIT_COLUMNS if column not in decided]
    if missing:
        raise PricingError(
            f"the decided quotes lack the columns {', '.join(missing)}; build them "
            "with storage.pricing_state.decided_quotes."
        )
    return decided
