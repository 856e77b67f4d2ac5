"""Every churn model keeps the contract: fit, probabilities, refusals, artifacts."""

import numpy as np
import pytest

from analytics.churn import (
    CHURN_MODELS,
    ArtifactError,
    FeatureError,
    NeuralNetChurnModel,
    NotFittedError,
    RulesChurnModel,
    UnknownModelError,
    XGBoostChurnModel,
    load_churn_model,
    make_churn_model,
)
from analytics.churn.rules import overdue_score

SMALL_NET = {"epochs": 12, "patience": 3}
MAKERS = {
    "rules": RulesChurnModel,
    "xgboost": lambda: XGBoostChurnModel(n_estimators=60),
    "neural_net": lambda: NeuralNetChurnModel(**SMALL_NET),
}
NAMES = [
    pytest.param(name, marks=pytest.mark.slow) if name == "neural_net" else name
    for name in MAKERS
]


@pytest.fixture(scope="module", params=NAMES)
def fitted(request, frames):
    """Each model fitted on the training cutoffs and calibrated on validation."""
    train, valid, _ = frames
    model = MAKERS[request.param]()
    model.fit(train, train["churned"], validation=(valid, valid["churned"]))
    return model.calibrate(valid, valid["churned"], "platt")


def test_every_registered_model_is_covered_here():
    assert set(CHURN_MODELS) == set(MAKERS)


@pytest.mark.parametrize("name", NAMES)
def test_fit_returns_the_model_itself(name, frames):
    train, _, _ = frames
    model = MAKERS[name]()

    assert model.fit(train, train["churned"]) is model
    assert model.n_training_rows_ == len(train)
    assert model.churn_rate_ == pytest.approx(train["churned"].mean())


def test_probabilities_are_one_per_account_between_zero_and_one(fitted, frames):
    _, _, test = frames

    p = fitted.predict_proba(test)

    assert p.shape == (len(test),)
    assert ((p >= 0) & (p <= 1)).all()
    assert fitted.calibration == "platt"


def test_learned_models_rank_churners_above_the_rest(fitted, frames):
    _, _, test = frames

    p = fitted.predict_proba(test)

    churned = test["churned"].to_numpy() == 1
    assert p[churned].mean() > p[~churned].mean() + 0.2


def test_artifacts_reload_to_identical_probabilities(fitted, frames):
    _, _, test = frames

    fmt, payload = fitted.to_artifact()
    reloaded = load_churn_model(fitted.name, fmt, payload)

    assert isinstance(payload, bytes)
    assert not payload.startswith(b"\x80")  # never a pickle
    np.testing.assert_array_equal(
        reloaded.predict_proba(test), fitted.predict_proba(test)
    )
    assert reloaded.get_params() == {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in fitted.get_params().items()
    }


def test_an_artifact_of_another_format_or_model_is_refused(fitted):
    fmt, payload = fitted.to_artifact()
    other = next(cls for name, cls in CHURN_MODELS.items() if name != fitted.name)

    with pytest.raises(ArtifactError, match="format"):
        type(fitted).from_artifact("pickle", payload)
    with pytest.raises(ArtifactError):
        other.from_artifact(other.artifact_format, payload)
    with pytest.raises(ArtifactError):
        type(fitted).from_artifact(fmt, b"not an artifact")


@pytest.mark.parametrize("name", NAMES)
def test_an_unfitted_model_refuses_to_score_calibrate_or_be_saved(name, frames):
    _, valid, _ = frames
    model = MAKERS[name]()

    with pytest.raises(NotFittedError, match="not fitted yet; call fit first"):
        model.predict_proba(valid)
    with pytest.raises(NotFittedError):
        model.calibrate(valid, valid["churned"])
    with pytest.raises(NotFittedError):
        model.to_artifact()


def test_fit_refuses_labels_of_one_kind_only(frames):
    train, _, _ = frames

    with pytest.raises(FeatureError, match="only one kind"):
        XGBoostChurnModel().fit(train, np.zeros(len(train), dtype=int))


def test_fit_names_the_feature_columns_it_misses(frames):
    train, _, _ = frames

    with pytest.raises(FeatureError, match="tenure_days"):
        XGBoostChurnModel().fit(train.drop(columns="tenure_days"), train["churned"])


def test_the_rules_model_learns_no_weights_and_keeps_the_baseline_score(frames):
    train, _, test = frames

    model = RulesChurnModel().fit(train, train["churned"])

    assert model.get_params() == {}
    expected = overdue_score(test["overdue_ratio"].to_numpy())
    np.testing.assert_allclose(model.predict_proba(test), expected)


def test_xgboost_contributions_add_up_to_the_log_odds(frames):
    train, valid, test = frames
    model = XGBoostChurnModel(n_estimators=60).fit(train, train["churned"])

    pushes = model.contributions(test.head(5))

    raw = model.raw_proba(test.head(5))
    base = np.log(raw / (1 - raw)) - pushes.sum(axis=1).to_numpy()
    assert np.allclose(base, base[0], atol=1e-4)
    assert list(pushes.columns) == list(model.features)


def test_xgboost_stops_early_on_the_validation_cutoff(frames):
    train, valid, _ = frames

    model = XGBoostChurnModel(n_estimators=2000, early_stopping_rounds=10)
    model.fit(train, train["churned"], validation=(valid, valid["churned"]))

    assert model.n_trees_ < 2000


def test_make_churn_model_passes_on_only_the_options_a_model_takes():
    model = make_churn_model("xgboost", max_depth=2, hidden_units=(8,))

    assert model.max_depth == 2
    with pytest.raises(UnknownModelError, match="rules, xgboost, neural_net"):
        make_churn_model("random_forest")


def test_importing_the_package_loads_neither_keras_nor_xgboost():
    import subprocess
    import sys

    code = (
        "import sys, analytics.churn; "
        "print(any(m in sys.modules for m in ('keras', 'tensorflow', 'xgboost')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
