"""How good churn probabilities are: ranking, calibration and the top of the list.

- **roc_auc**: the chance a churned account scores above a retained one.
- **pr_auc**: average precision, the area under the precision-recall curve;
  a model that ranks at random scores the churn rate.
- **brier**: mean squared gap between probability and outcome (lower is
  better).
- **ece**: expected calibration error with 10 equal-width bins of
  probability (``[0, 0.1)``, ..., ``[0.9, 1.0]``): the mean over accounts of
  the gap between their bin's mean probability and its churn rate. 0 is
  perfectly calibrated.
- **lift_top_decile**: churn rate among the 10% highest scored accounts
  (rounded up, at least one; ties kept in input order) over the churn rate of
  all; 1 is no better than picking at random.

Ranking measures are None when only one class occurs; lift is None when no
account churned.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from analytics.churn.errors import ChurnError

ECE_BINS = 10
TOP_SHARE = 0.10


def roc_auc(y_true: np.ndarray, p: np.ndarray) -> float | None:
    """Area under the ROC curve of ``p`` against ``y_true``, both shape (n,)."""
    y_true, p = _arrays(y_true, p)
    if len(np.unique(y_true)) < 2:
        return None
    return float(roc_auc_score(y_true, p))


def pr_auc(y_true: np.ndarray, p: np.ndarray) -> float | None:
    """Average precision of ``p`` against ``y_true``, both shape (n,)."""
    y_true, p = _arrays(y_true, p)
    if len(np.unique(y_true)) < 2:
        return None
    return float(average_precision_score(y_true, p))


def brier(y_true: np.ndarray, p: np.ndarray) -> float:
    """Mean squared error of the probabilities ``p``, both shape (n,)."""
    y_true, p = _arrays(y_true, p)
    return float(brier_score_loss(y_true, p, labels=[0, 1]))


def ece(y_true: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error over ``bins`` equal-width probability bins.

    Parameters
    ----------
    y_true, p : ndarray, shape (n,)
    bins : int
        The last bin includes 1.0.
    """
    y_true, p = _arrays(y_true, p)
    which = np.minimum((p * bins).astype(int), bins - 1)
    gaps = np.bincount(which, weights=y_true - p, minlength=bins)
    return float(np.abs(gaps).sum() / len(p))


def lift_top_decile(y_true: np.ndarray, p: np.ndarray) -> float | None:
    """Churn rate of the top 10% by ``p`` over the overall churn rate."""
    y_true, p = _arrays(y_true, p)
    overall = y_true.mean()
    if overall == 0:
        return None
    n_top = max(1, math.ceil(TOP_SHARE * len(p)))
    top = np.argsort(-p, kind="stable")[:n_top]
    return float(y_true[top].mean() / overall)


def churn_metrics(y_true: np.ndarray, p: np.ndarray) -> dict[str, float | None]:
    """Every measure above, keyed by its name.

    Parameters
    ----------
    y_true : ndarray, shape (n,)
        1 for churned, 0 for retained.
    p : ndarray, shape (n,)
        Probabilities of churn.
    """
    return {
        "roc_auc": roc_auc(y_true, p),
        "pr_auc": pr_auc(y_true, p),
        "brier": brier(y_true, p),
        "ece": ece(y_true, p),
        "lift_top_decile": lift_top_decile(y_true, p),
    }


def _arrays(y_true, p) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(p, dtype=float).ravel()
    if len(y_true) != len(p) or len(p) == 0:
        raise ChurnError(
            f"y_true and p must be non-empty and of one length; got {len(y_true)} "
            f"and {len(p)}."
        )
    return y_true, p
