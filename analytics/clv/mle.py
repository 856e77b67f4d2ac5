"""Maximum likelihood over positive parameters, searched on the log scale.

The models' parameters are all positive, so the search runs over their
logarithms, bounded to keep every term of the likelihoods finite. L-BFGS-B
(with finite-difference gradients) does the work; when it stops without
declaring convergence, which a flat ridge of the likelihood can cause,
Nelder-Mead continues from where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize

from analytics.clv.errors import ConvergenceError

logger = logging.getLogger(__name__)

LOG_BOUNDS = (-12.0, 12.0)
NOT_FINITE = 1e12


def maximise_likelihood(
    mean_log_likelihood: Callable[[np.ndarray], float],
    start: np.ndarray,
    names: tuple[str, ...],
    label: str,
) -> np.ndarray:
    """The parameters that maximise ``mean_log_likelihood``.

    Parameters
    ----------
    mean_log_likelihood : callable
        Takes the parameters, shape (n_params,), all positive, and returns
        the mean log-likelihood per customer.
    start : ndarray, shape (n_params,)
        Where the search starts, on the log scale.
    names : tuple of str
        The parameters' names, for messages.
    label : str
        The model, for messages.

    Returns
    -------
    ndarray, shape (n_params,)
    """

    def objective(log_params: np.ndarray) -> float:
        value = -mean_log_likelihood(np.exp(log_params))
        return float(value) if np.isfinite(value) else NOT_FINITE

    bounds = [LOG_BOUNDS] * len(start)
    result = minimize(objective, start, method="L-BFGS-B", bounds=bounds)
    if not result.success:
        logger.debug(
            "L-BFGS-B stopped (%s); continuing with Nelder-Mead", result.message
        )
        result = minimize(
            objective,
            result.x,
            method="Nelder-Mead",
            bounds=bounds,
            options={"xatol": 1e-7, "fatol": 1e-10, "maxiter": 2000 * len(start)},
        )

    _check_result(result, names, label)
    return np.exp(result.x)


def _check_result(result, names: tuple[str, ...], label: str) -> None:
    if not result.success or result.fun >= NOT_FINITE:
        raise ConvergenceError(
            f"the {label} fit did not converge ({result.message}); it needs more "
            "customers with repeat purchases, or orders over a longer time."
        )

    at_bound = np.isclose(np.abs(result.x), LOG_BOUNDS[1], atol=1e-3)
    if at_bound.any():
        stuck = ", ".join(n for n, b in zip(names, at_bound, strict=True) if b)
        raise ConvergenceError(
            f"the {label} fit pushed {stuck} to the edge of its range, so the "
            "data do not pin it down; use more customers or a longer history."
        )
