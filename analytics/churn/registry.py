"""Every churn model by name, and loading a stored one back.

``CHURN_MODELS`` maps each model's ``name`` to its class, the rules baseline
first; ``evaluate_churn`` compares them all unless told otherwise.
"""

from __future__ import annotations

from typing import Any

from analytics.churn.base import ChurnModel
from analytics.churn.errors import UnknownModelError
from analytics.churn.neural_net import NeuralNetChurnModel
from analytics.churn.rules import RulesChurnModel
from analytics.churn.xgboost_model import XGBoostChurnModel

CHURN_MODELS: dict[str, type[ChurnModel]] = {
    cls.name: cls for cls in (RulesChurnModel, XGBoostChurnModel, NeuralNetChurnModel)
}
BASELINE = RulesChurnModel.name


def make_churn_model(name: str, **options: Any) -> ChurnModel:
    """A new, unfitted ``name`` model given those ``options`` its ``__init__`` takes.

    Options meant for other models (``hidden_units`` for the network, say)
    are ignored, so one set of options can serve every model.
    """
    cls = _model_class(name)
    accepted = cls.hyperparameters()
    return cls(**{key: value for key, value in options.items() if key in accepted})


def load_churn_model(name: str, fmt: str, payload: bytes) -> ChurnModel:
    """Rebuild the fitted ``name`` model stored as ``(fmt, payload)``."""
    return _model_class(name).from_artifact(fmt, payload)


def _model_class(name: str) -> type[ChurnModel]:
    if name not in CHURN_MODELS:
        raise UnknownModelError(
            f"no churn model is named {name!r}; choose one of "
            f"{', '.join(CHURN_MODELS)}."
        )
    return CHURN_MODELS[name]
