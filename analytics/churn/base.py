"""The contract every churn model follows, so evaluation and serving treat all alike.

A churn model takes its hyperparameters in ``__init__``; ``fit(X, y)`` learns
from the features of ``churn_features`` (or ``training_frame``) and the
labels of ``churn_labels`` and returns ``self``; learned state ends in ``_``.
``calibrate(X, y)`` fits a calibrator on a later cutoff than the training
ones (see ``analytics.churn.calibration``), after which ``predict_proba``
returns calibrated probabilities of churn; before it, the raw scores, which
``raw_proba`` always returns. Every method that scores refuses to run before
``fit``.

``to_artifact`` stores a fitted model in its library's own format, never
pickle: a JSON envelope (parameters, calibrator, learned numbers), zipped
together with the library's own model file for XGBoost and Keras.

Subclasses implement ``_fit`` and ``_raw_proba`` and, for their artifact,
``_state``/``_restore`` (JSON values) and ``_files``/``_restore_files``
(library files, named in ``model_files``).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from analytics.churn.calibration import Calibrator, make_calibrator
from analytics.churn.errors import ArtifactError, FeatureError, NotFittedError
from analytics.churn.features import FEATURES
from analytics.params import HyperparameterMixin

logger = logging.getLogger(__name__)

ARTIFACT_VERSION = 1
ENVELOPE_FILE = "churn.json"

Validation = tuple[pd.DataFrame, pd.Series | np.ndarray]


class ChurnModel(HyperparameterMixin, ABC):
    """Base class of every churn model.

    Attributes
    ----------
    name : str
        Registry key: ``"rules"``, ``"xgboost"`` or ``"neural_net"``.
    label : str
        How answers name the model.
    artifact_format : str
        The format ``to_artifact`` returns and ``from_artifact`` expects.
    features : tuple of str
        The columns of ``X`` the model reads, in order.
    n_training_rows_ : int
        Rows ``fit`` learned from.
    churn_rate_ : float
        Share of churned rows in the training labels.
    calibrator_ : Calibrator or None
        Set by ``calibrate``.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    artifact_format: ClassVar[str] = "json"
    features: ClassVar[tuple[str, ...]] = FEATURES
    model_files: ClassVar[tuple[str, ...]] = ()

    def fit(
        self,
        X: pd.DataFrame,
        y: pd.Series | np.ndarray,
        validation: Validation | None = None,
    ) -> Self:
        """Learn from the features ``X`` and the churn labels ``y``.

        Parameters
        ----------
        X : DataFrame, shape (n_rows, n_features)
            Holds at least the ``features`` columns; others are ignored.
        y : Series or ndarray, shape (n_rows,)
            1 for churned, 0 for retained; both must occur.
        validation : (DataFrame, Series), optional
            Features and labels of a later cutoff, for early stopping by the
            models that train iteratively; never learned from directly.

        Returns
        -------
        self
        """
        matrix, labels = self._matrix(X), check_labels(y, len(X))
        if validation is not None:
            valid_X, valid_y = validation
            validation = self._matrix(valid_X), check_labels(valid_y, len(valid_X))

        self._fit(matrix, labels, validation)
        self.n_training_rows_ = len(labels)
        self.churn_rate_ = float(labels.mean())
        self.calibrator_: Calibrator | None = None
        logger.debug("fitted the %s churn model on %s rows", self.name, len(labels))
        return self

    def calibrate(
        self, X: pd.DataFrame, y: pd.Series | np.ndarray, method: str = "platt"
    ) -> Self:
        """Fit a calibrator on a later cutoff than the training ones.

        Parameters
        ----------
        X : DataFrame, shape (n_rows, n_features)
        y : Series or ndarray, shape (n_rows,)
        method : {"platt", "isotonic", "auto"}
            ``"auto"`` is isotonic from 1,000 rows, Platt below.

        Returns
        -------
        self
        """
        scores = self.raw_proba(X)
        labels = check_labels(y, len(scores))
        self.calibrator_ = make_calibrator(method, len(scores)).fit(scores, labels)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of churn per row, shape (n_rows,); calibrated once calibrated."""
        scores = self.raw_proba(X)
        if self.calibrator_ is None:
            return scores
        return self.calibrator_.transform(scores)

    def raw_proba(self, X: pd.DataFrame) -> np.ndarray:
        """The model's own score per row before calibration, shape (n_rows,)."""
        self._check_fitted()
        return np.asarray(self._raw_proba(self._matrix(X)), dtype=float).ravel()

    @property
    def calibration(self) -> str | None:
        """``"isotonic"``, ``"platt"``, or None before ``calibrate``."""
        self._check_fitted()
        return self.calibrator_.method if self.calibrator_ else None

    def is_fitted(self) -> bool:
        """True once ``fit`` has run (or the model was loaded from an artifact)."""
        return hasattr(self, "churn_rate_")

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``(format name, payload)``, to store and reload."""
        self._check_fitted()
        envelope = json.dumps(self._envelope()).encode()
        if not self.model_files:
            return self.artifact_format, envelope

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(ENVELOPE_FILE, envelope)
            for name, payload in self._files().items():
                archive.writestr(name, payload)
        return self.artifact_format, buffer.getvalue()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        if fmt != cls.artifact_format:
            raise ArtifactError(
                f"{cls.name} churn artifacts have format {cls.artifact_format!r}; "
                f"got {fmt!r}. Load it with the model that saved it."
            )
        envelope, files = cls._unpack(payload)

        model = cls._from_envelope(envelope)
        model._restore(envelope["state"])
        if files:
            model._restore_files(files)
        return model

    @abstractmethod
    def _fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        validation: tuple[np.ndarray, np.ndarray] | None,
    ) -> None:
        """Learn from a checked float matrix, shape (n_rows, len(features))."""

    @abstractmethod
    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        """Raw scores in [0, 1] of a checked float matrix, shape (n_rows,)."""

    def _state(self) -> dict[str, Any]:
        """Learned numbers as JSON-ready values (beyond the base class's own)."""
        return {}

    def _restore(self, state: dict[str, Any]) -> None:
        """Set back what ``_state`` returned (nothing by default)."""
        return None

    def _files(self) -> dict[str, bytes]:
        """The library's own model files, by the names in ``model_files``."""
        return {}

    def _restore_files(self, files: dict[str, bytes]) -> None:
        """Load back what ``_files`` returned (nothing by default)."""
        return None

    def _matrix(self, X: pd.DataFrame) -> np.ndarray:
        missing = [column for column in self.features if column not in X]
        if missing:
            raise FeatureError(
                f"X lacks the columns {', '.join(missing)}; build it with "
                "churn_features or training_frame."
            )
        matrix = X[list(self.features)].to_numpy(dtype=float)
        if np.isnan(matrix).any():
            gaps = X[list(self.features)].columns[np.isnan(matrix).any(axis=0)]
            raise FeatureError(f"X has missing values in {', '.join(gaps)}.")
        return matrix

    def _envelope(self) -> dict[str, Any]:
        calibrator = self.calibrator_.to_dict() if self.calibrator_ else None
        return {
            "version": ARTIFACT_VERSION,
            "model": self.name,
            "params": self.get_params(),
            "features": list(self.features),
            "n_training_rows": self.n_training_rows_,
            "churn_rate": self.churn_rate_,
            "calibrator": calibrator,
            "state": self._state(),
        }

    @classmethod
    def _from_envelope(cls, envelope: dict[str, Any]) -> Self:
        if envelope.get("model") != cls.name:
            raise ArtifactError(
                f"this artifact holds a {envelope.get('model')!r} churn model, not "
                f"{cls.name!r}; load it with load_churn_model."
            )
        if envelope.get("features") != list(cls.features):
            raise ArtifactError(
                f"the {cls.name} artifact was trained on other features; re-train it."
            )
        model = cls(**envelope["params"])
        model.n_training_rows_ = int(envelope["n_training_rows"])
        model.churn_rate_ = float(envelope["churn_rate"])
        calibrator = envelope["calibrator"]
        model.calibrator_ = Calibrator.from_dict(calibrator) if calibrator else None
        return model

    @classmethod
    def _unpack(cls, payload: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
        if not cls.model_files:
            return _read_envelope(payload, cls.name), {}
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                envelope = archive.read(ENVELOPE_FILE)
                files = {name: archive.read(name) for name in cls.model_files}
        except (zipfile.BadZipFile, KeyError) as error:
            raise ArtifactError(
                f"the {cls.name} churn artifact is incomplete ({error}); re-train it."
            ) from error
        return _read_envelope(envelope, cls.name), files

    def _check_fitted(self) -> None:
        if not self.is_fitted():
            raise NotFittedError(self.name)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def check_labels(y: pd.Series | np.ndarray, n_rows: int) -> np.ndarray:
    """Labels as an int array of 0 and 1, shape (n_rows,), with both present."""
    labels = np.asarray(y).ravel()
    if len(labels) != n_rows:
        raise FeatureError(f"y has {len(labels)} labels for {n_rows} rows of X.")
    if not np.isin(labels, (0, 1)).all():
        raise FeatureError("y must hold 1 for churned and 0 for retained only.")
    if len(np.unique(labels)) < 2:
        raise FeatureError(
            "y holds only one kind of account; training needs churned and "
            "retained ones. Use more cutoffs or a longer history."
        )
    return labels.astype(int)


def _read_envelope(payload: bytes, model: str) -> dict[str, Any]:
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(
            f"the {model} churn artifact is not valid JSON ({error}); re-train it."
        ) from error
    if not isinstance(envelope, dict) or envelope.get("version") != ARTIFACT_VERSION:
        raise ArtifactError(
            f"the {model} churn artifact is not a version {ARTIFACT_VERSION} "
            "churn model; re-train it."
        )
    return envelope
