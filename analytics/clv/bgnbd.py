"""The probabilistic CLV model: BG/NBD purchases times Gamma-Gamma spend.

**BG/NBD** (Fader, Hardie and Lee 2005, "Counting your customers the easy
way"). While alive, a customer buys at the times of a Poisson process with
rate ``lambda``; after each repeat purchase they drop out for good with
probability ``p``. Across customers ``lambda ~ Gamma(r, alpha)`` (shape,
rate) and ``p ~ Beta(a, b)``. Only the customer's ``x`` repeat purchases, the
time ``t_x`` of the last one and their age ``T`` (both measured from the first
purchase) enter the likelihood

    L = B(a, b + x) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + T)^(r + x))
      + [x > 0] B(a + 1, b + x - 1) / B(a, b)
                * G(r + x) alpha^r / (G(r) (alpha + t_x)^(r + x)),

evaluated here in logs with ``gammaln``, ``betaln`` and ``logaddexp``. The
expected number of purchases in the next ``t`` periods is

    E[Y(t)] = (a + b + x - 1) / (a - 1)
              * [1 - (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z)]
              * P(alive),      z = t / (alpha + T + t),

which is the paper's equation (10) after Euler's transformation of its
hypergeometric term (the transformed series has the small parameter
``a - 1`` and stays accurate for frequent buyers), and

    P(alive) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).

With ``x = t_x = T = 0`` it gives the expected repeat purchases of a new
customer, the paper's equation (7).

**Gamma-Gamma** (Fader, Hardie and Lee 2005, "RFM and CLV: using iso-value
curves"; Colombo and Jiang 1999). Each purchase of a customer is worth
``Gamma(p, nu)``; across customers ``nu ~ Gamma(q, v)``. The mean ``m`` of a
customer's ``x`` repeat purchases has the likelihood

    f(m) = G(p x + q) / (G(p x) G(q)) * v^q m^(p x - 1) x^(p x)
           / (v + x m)^(p x + q),

and the expected value of their next purchase is
``(v + x m) p / (p x + q - 1)``, a weighted mean of the population mean
``v p / (q - 1)`` and their own ``m``; it needs ``q > 1``. The model assumes
spend does not depend on how often a customer buys.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy.special import betaln, expit, gammaln, hyp2f1

from analytics.clv.base import CLVEstimator
from analytics.clv.errors import ConvergenceError, OrdersError, TooLittleHistoryError
from analytics.clv.mle import maximise_likelihood
from analytics.clv.summary import SUMMARY_COLUMNS

logger = logging.getLogger(__name__)

MIN_REPEAT_CUSTOMERS = 10
BETA_GEO_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "v")


def bgnbd_log_likelihood(params, frequency, recency, T) -> np.ndarray:
    """Log-likelihood of each customer under BG/NBD.

    Parameters
    ----------
    params : array-like, shape (4,)
        ``r, alpha, a, b``, all positive.
    frequency, recency, T : ndarray, shape (n_customers,)
        ``x``, ``t_x`` and ``T`` in periods.

    Returns
    -------
    ndarray, shape (n_customers,)
    """
    r, alpha, a, b = params
    x = np.asarray(frequency, dtype=float)
    repeat = np.maximum(x, 1.0)

    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x)
    common -= betaln(a, b)
    alive = -(r + x) * np.log(alpha + np.asarray(T, dtype=float))
    dropped = np.log(a) - np.log(b + repeat - 1) - (r + x) * np.log(alpha + recency)

    return common + np.where(x > 0, np.logaddexp(alive, dropped), alive)


def gamma_gamma_log_likelihood(params, frequency, monetary_value) -> np.ndarray:
    """Log-likelihood of each customer's mean repeat spend under Gamma-Gamma.

    Parameters
    ----------
    params : array-like, shape (3,)
        ``p, q, v``, all positive.
    frequency, monetary_value : ndarray, shape (n_customers,)
        Repeat purchases (at least 1) and their mean value (above 0).

    Returns
    -------
    ndarray, shape (n_customers,)
    """
    p, q, v = params
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary_value, dtype=float)
    px = p * x

    norm = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
    return norm + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(v + x * m)


class BetaGeoModel(CLVEstimator):
    """BG/NBD: how many purchases a customer makes, and whether they are alive.

    Time is in the periods of the summary it is fitted on (days or weeks);
    ``alpha`` scales with that unit, ``r``, ``a`` and ``b`` do not.

    Attributes
    ----------
    params_ : dict of str to float
        ``r, alpha, a, b``.
    log_likelihood_ : float
        The maximised log-likelihood, summed over customers.
    n_customers_ : int
    """

    name = "beta_geo"
    label = "BG/NBD"
    fitted_attribute = "params_"

    def fit(self, summary: pd.DataFrame) -> Self:
        """Maximise the likelihood of ``summary`` (``rfm_summary``'s frame).

        Parameters
        ----------
        summary : DataFrame, shape (n_customers, >= 3)
            Columns ``frequency, recency, T``.

        Returns
        -------
        self
        """
        x, t_x, T = rfm_arrays(summary)
        require_repeat_customers(x, self.label)

        rows, counts = np.unique(
            np.column_stack([x, t_x, T]), axis=0, return_counts=True
        )
        scale = max(float(T.mean()), 1.0)
        rows[:, 1:] /= scale

        def mean_log_likelihood(params: np.ndarray) -> float:
            terms = bgnbd_log_likelihood(params, *rows.T)
            return float(np.average(terms, weights=counts))

        start = np.zeros(len(BETA_GEO_PARAMS))
        fitted = maximise_likelihood(
            mean_log_likelihood, start, BETA_GEO_PARAMS, self.label
        )

        fitted[1] *= scale
        self.params_ = dict(zip(BETA_GEO_PARAMS, map(float, fitted), strict=True))
        self.log_likelihood_ = float(bgnbd_log_likelihood(fitted, x, t_x, T).sum())
        self.n_customers_ = len(x)
        logger.debug("fitted BG/NBD on %s customers: %s", len(x), self.params_)
        return self

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """Expected purchases in the next ``t`` periods, given each history.

        Parameters
        ----------
        t : float or ndarray, shape (n_customers,)
            Periods ahead.
        frequency, recency, T : ndarray, shape (n_customers,)

        Returns
        -------
        ndarray, shape (n_customers,)
        """
        self._check_fitted()
        r, alpha, a, b = self._values()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        t = np.asarray(t, dtype=float)

        z = t / (alpha + T + t)
        c = a + b + x - 1
        tail = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
        return c / (a - 1) * (1 - tail) * self.probability_alive(x, t_x, T)

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that each customer has not dropped out by the cutoff.

        Parameters
        ----------
        frequency, recency, T : ndarray, shape (n_customers,)

        Returns
        -------
        ndarray, shape (n_customers,)
        """
        self._check_fitted()
        r, alpha, a, b = self._values()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))

        ratio = np.log(alpha + T) - np.log(alpha + t_x)
        log_odds = np.log(a) - np.log(b + np.maximum(x, 1.0) - 1) + (r + x) * ratio
        return np.where(x > 0, expit(-log_odds), 1.0)

    def expected_purchases_new(self, t) -> np.ndarray:
        """Expected repeat purchases in the first ``t`` periods of a new customer.

        Parameters
        ----------
        t : float or ndarray, shape (n,)

        Returns
        -------
        ndarray, shape (n,) (a 0-d array for a scalar ``t``)
        """
        return self.expected_purchases(t, 0.0, 0.0, 0.0)

    def _values(self) -> tuple[float, ...]:
        return tuple(self.params_[name] for name in BETA_GEO_PARAMS)

    def _state(self) -> dict[str, Any]:
        return {"params": self.params_, "n_customers": self.n_customers_}

    def _restore(self, state: dict[str, Any]) -> None:
        self.params_ = {k: float(state["params"][k]) for k in BETA_GEO_PARAMS}
        self.n_customers_ = int(state["n_customers"])


class GammaGammaModel(CLVEstimator):
    """Gamma-Gamma: the expected value of a customer's purchases.

    Fitted on the customers with at least one repeat purchase of positive
    mean value; ``v`` is in the currency of the amounts, ``p`` and ``q`` have
    no unit.

    Attributes
    ----------
    params_ : dict of str to float
        ``p, q, v``.
    log_likelihood_ : float
        The maximised log-likelihood, summed over the customers fitted on.
    n_customers_ : int
        Customers fitted on.
    """

    name = "gamma_gamma"
    label = "Gamma-Gamma"
    fitted_attribute = "params_"

    def fit(self, summary: pd.DataFrame) -> Self:
        """Maximise the likelihood of the repeat buyers' mean spend.

        Parameters
        ----------
        summary : DataFrame, shape (n_customers, >= 2)
            Columns ``frequency, monetary_value``.

        Returns
        -------
        self
        """
        x, m = spend_arrays(summary)
        require_repeat_customers(x, self.label)

        scale = float(m.mean())
        rows, counts = np.unique(
            np.column_stack([x, m / scale]), axis=0, return_counts=True
        )

        def mean_log_likelihood(params: np.ndarray) -> float:
            terms = gamma_gamma_log_likelihood(params, *rows.T)
            return float(np.average(terms, weights=counts))

        start = np.log([1.0, 2.0, 1.0])
        fitted = maximise_likelihood(
            mean_log_likelihood, start, GAMMA_GAMMA_PARAMS, self.label
        )
        _require_finite_mean(fitted[1])

        fitted[2] *= scale
        self.params_ = dict(zip(GAMMA_GAMMA_PARAMS, map(float, fitted), strict=True))
        self.log_likelihood_ = float(gamma_gamma_log_likelihood(fitted, x, m).sum())
        self.n_customers_ = len(x)
        logger.debug("fitted Gamma-Gamma on %s customers: %s", len(x), self.params_)
        return self

    def expected_average_value(self, frequency, monetary_value) -> np.ndarray:
        """Expected value of each customer's next purchase.

        Parameters
        ----------
        frequency, monetary_value : ndarray, shape (n_customers,)
            Repeat purchases and their mean value; customers without repeats
            get the population mean ``v p / (q - 1)``.

        Returns
        -------
        ndarray, shape (n_customers,)
        """
        self._check_fitted()
        p, q, v = (self.params_[name] for name in GAMMA_GAMMA_PARAMS)
        x = np.asarray(frequency, dtype=float)
        m = np.clip(np.asarray(monetary_value, dtype=float), 0.0, None)

        return (v + x * m) * p / (p * x + q - 1)

    def _state(self) -> dict[str, Any]:
        return {"params": self.params_, "n_customers": self.n_customers_}

    def _restore(self, state: dict[str, Any]) -> None:
        self.params_ = {k: float(state["params"][k]) for k in GAMMA_GAMMA_PARAMS}
        self.n_customers_ = int(state["n_customers"])


def rfm_arrays(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``frequency, recency, T`` as float arrays, checked to be a valid history."""
    _require_columns(summary, SUMMARY_COLUMNS[:3])
    x, t_x, T = (summary[c].to_numpy(dtype=float) for c in SUMMARY_COLUMNS[:3])

    valid = (x >= 0) & (t_x >= 0) & (t_x <= T) & ((x > 0) | (t_x == 0))
    if not valid.all():
        raise OrdersError(
            f"{int((~valid).sum())} summary rows are not a purchase history "
            "(need 0 <= recency <= T, and recency 0 without repeats); build "
            "the summary with rfm_summary."
        )
    return x, t_x, T


def spend_arrays(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``frequency, monetary_value`` of the customers with repeat spend above 0."""
    _require_columns(summary, ("frequency", "monetary_value"))
    x = summary["frequency"].to_numpy(dtype=float)
    m = summary["monetary_value"].to_numpy(dtype=float)

    keep = (x > 0) & (m > 0)
    return x[keep], m[keep]


def require_repeat_customers(frequency: np.ndarray, label: str) -> None:
    """Refuse to fit on fewer than ``MIN_REPEAT_CUSTOMERS`` repeat buyers."""
    got = int((frequency > 0).sum())
    if got < MIN_REPEAT_CUSTOMERS:
        raise TooLittleHistoryError(
            MIN_REPEAT_CUSTOMERS,
            got,
            "customers with a repeat purchase before the cutoff",
            label,
            "Use a later cutoff or a wider scope, or rank customers by their "
            "recent revenue (NaiveCLV) instead.",
        )


def _require_columns(summary: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = set(columns) - set(summary.columns)
    if missing:
        raise OrdersError(
            f"the summary lacks the columns {sorted(missing)}; build it with "
            "rfm_summary."
        )


def _require_finite_mean(q: float) -> None:
    if q <= 1:
        raise ConvergenceError(
            f"the Gamma-Gamma fit gives q = {q:.3f} <= 1, so the mean spend per "
            "purchase is unbounded: a few customers spend far more than the "
            "rest. Cap or leave out the extreme amounts and fit again."
        )
