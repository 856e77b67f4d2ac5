"""Calibrators turn overconfident scores into probabilities that hold up."""

import numpy as np
import pytest

from analytics.churn import (
    Calibrator,
    ChurnError,
    FeatureError,
    IsotonicCalibrator,
    PlattCalibrator,
    brier,
)
from analytics.churn.calibration import make_calibrator


def miscalibrated(n: int, seed: int):
    """Outcomes with true rate ``p`` and a score that overstates every risk."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 0.5, n)
    y = (rng.random(n) < p).astype(int)
    return np.sqrt(p), y


@pytest.mark.parametrize("calibrator", [IsotonicCalibrator, PlattCalibrator])
def test_calibration_lowers_the_brier_score_of_an_overconfident_score(calibrator):
    scores, y = miscalibrated(4000, seed=0)
    later_scores, later_y = miscalibrated(4000, seed=1)

    fitted = calibrator().fit(scores, y)

    calibrated = fitted.transform(later_scores)
    assert brier(later_y, calibrated) < brier(later_y, later_scores) - 0.05
    assert calibrated.mean() == pytest.approx(later_y.mean(), abs=0.02)


def test_calibration_keeps_the_brier_score_of_a_calibrated_score():
    rng = np.random.default_rng(2)
    p = rng.uniform(0.0, 1.0, 4000)
    y = (rng.random(4000) < p).astype(int)

    calibrated = PlattCalibrator().fit(p, y).transform(p)

    assert brier(y, calibrated) <= brier(y, p) + 0.002


@pytest.mark.parametrize("calibrator", [IsotonicCalibrator, PlattCalibrator])
def test_a_calibrator_reloads_from_json_to_the_same_map(calibrator):
    scores, y = miscalibrated(500, seed=3)
    fitted = calibrator().fit(scores, y)

    reloaded = Calibrator.from_dict(fitted.to_dict())

    grid = np.linspace(-0.5, 1.5, 101)
    np.testing.assert_array_equal(reloaded.transform(grid), fitted.transform(grid))


def test_isotonic_stores_its_thresholds_and_clips_outside_them():
    fitted = IsotonicCalibrator().fit(np.array([0.2, 0.4, 0.6, 0.8]), [0, 0, 1, 1])

    state = fitted.to_dict()

    assert state["method"] == "isotonic"
    assert set(state) == {"method", "X_thresholds_", "y_thresholds_"}
    assert fitted.transform(np.array([0.0, 1.0])).tolist() == [0.0, 1.0]


def test_auto_picks_isotonic_from_a_thousand_validation_accounts():
    assert make_calibrator("auto", 999).method == "platt"
    assert make_calibrator("auto", 1000).method == "isotonic"
    with pytest.raises(ChurnError, match="'auto', 'isotonic' or 'platt'"):
        make_calibrator("beta", 10)


def test_calibration_refuses_outcomes_of_one_kind():
    with pytest.raises(FeatureError, match="both churned and retained"):
        PlattCalibrator().fit(np.array([0.1, 0.9]), np.array([1, 1]))
