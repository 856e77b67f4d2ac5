"""A small dense network over the standardised churn features.

Architecture: one ``Dense`` ReLU layer per entry of ``hidden_units``, each
followed by ``Dropout``, and a sigmoid output, trained with binary cross
entropy and Adam. Keras 3 on TensorFlow, imported inside the methods
(importing this module does not load TensorFlow).

Scaling. Counts, days and money are heavy-tailed, so they pass through
``sign(x) * log1p(|x|)`` first; shares and the revenue trend stay as they
are. Every column is then standardised with the mean and standard deviation
of the *training* rows, stored with the model and reused unchanged when
scoring.

Training. Seeds are set with ``keras.utils.set_random_seed(random_state)``
and the dropout layers get their own seeds. Training stops when the
validation loss (the validation cutoff when ``fit`` is given one, else the
latest ``validation_share`` of the rows) has not improved for ``patience``
epochs and keeps the best weights. Keras prints nothing (``verbose=0``).

``contributions`` measures each feature's push on an account's log-odds by
setting that feature to its training mean and scoring again. The artifact is
a zip: ``model.keras`` (Keras's native format) and the churn envelope, which
holds the scaler.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import logit

from analytics.churn.base import ChurnModel
from analytics.keras_backend import import_keras

logger = logging.getLogger(__name__)

MODEL_FILE = "model.keras"
UNLOGGED = (
    "revenue_trend",
    "acceptance_rate",
    "acceptance_last_5",
    "rejected_of_last_3",
    "mean_discount_pct",
)
SCORE_FLOOR = 1e-6


class NeuralNetChurnModel(ChurnModel):
    """Dense layers with dropout and a sigmoid output.

    Parameters
    ----------
    hidden_units : sequence of int
        Width of each hidden layer.
    dropout : float
        Dropout rate after each hidden layer, in training only.
    epochs, patience, batch_size, learning_rate
        Training schedule: at most ``epochs``, stopping after ``patience``
        epochs without a better validation loss.
    validation_share : float
        Share of the latest rows held out for early stopping when ``fit`` is
        given no validation cutoff.
    random_state : int
        Seed of weights, shuffling and dropout.

    Attributes
    ----------
    scaler_ : dict
        ``mean`` and ``std`` per feature (after the log step) of the
        training rows.
    network_ : keras.Model
    epochs_ : int
        Epochs trained before early stopping (not kept in the artifact).
    """

    name = "neural_net"
    label = "Neural network"
    artifact_format = "keras-zip"
    model_files = (MODEL_FILE,)

    def __init__(
        self,
        hidden_units: tuple[int, ...] = (32, 16),
        dropout: float = 0.2,
        epochs: int = 80,
        patience: int = 8,
        batch_size: int = 64,
        learning_rate: float = 0.001,
        validation_share: float = 0.2,
        random_state: int = 0,
    ) -> None:
        self.hidden_units = hidden_units
        self.dropout = dropout
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_share = validation_share
        self.random_state = random_state

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Each feature's push on each row's log-odds, against its training mean.

        Returns
        -------
        DataFrame, shape (n_rows, len(features))
            Indexed like ``X``; positive values raise the risk.
        """
        self._check_fitted()
        scaled = self._scale(self._matrix(X))
        n_rows, n_features = scaled.shape
        at_mean = np.repeat(scaled[:, None, :], n_features, axis=1)
        at_mean[:, np.arange(n_features), np.arange(n_features)] = 0.0

        base = _log_odds(self._score(scaled))
        moved = _log_odds(self._score(at_mean.reshape(-1, n_features)))
        pushes = base[:, None] - moved.reshape(n_rows, n_features)
        return pd.DataFrame(pushes, index=X.index, columns=list(self.features))

    def _fit(self, X, y, validation) -> None:
        keras = import_keras()
        keras.utils.set_random_seed(self.random_state)
        logged = _log_scale(X, self._logged())
        self.scaler_ = {"mean": logged.mean(axis=0), "std": _spread(logged)}

        network = self._network(keras, X.shape[1])
        held_out = None
        if validation is not None:
            held_out = (self._scale(validation[0]), validation[1].astype("float32"))
        history = network.fit(
            self._scale(X),
            y.astype("float32"),
            validation_data=held_out,
            validation_split=0.0 if held_out else self.validation_share,
            epochs=self.epochs,
            batch_size=self.batch_size,
            callbacks=[self._early_stopping(keras)],
            verbose=0,
        )

        self.network_ = network
        self.epochs_ = len(history.history["loss"])
        logger.debug("trained the churn network for %s epochs", self.epochs_)

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        return self._score(self._scale(X))

    def _score(self, scaled: np.ndarray) -> np.ndarray:
        return self.network_(scaled, training=False).numpy().ravel()

    def _scale(self, X: np.ndarray) -> np.ndarray:
        logged = _log_scale(X, self._logged())
        scaled = (logged - self.scaler_["mean"]) / self.scaler_["std"]
        return scaled.astype("float32")

    def _logged(self) -> np.ndarray:
        return np.array([feature not in UNLOGGED for feature in self.features])

    def _network(self, keras, n_features: int):
        inputs = keras.Input(shape=(n_features,))
        hidden = inputs
        for layer, units in enumerate(self.hidden_units):
            hidden = keras.layers.Dense(int(units), activation="relu")(hidden)
            seed = self.random_state + layer
            hidden = keras.layers.Dropout(self.dropout, seed=seed)(hidden)
        outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)

        network = keras.Model(inputs, outputs)
        network.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="binary_crossentropy",
        )
        return network

    def _early_stopping(self, keras):
        return keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=self.patience, restore_best_weights=True
        )

    def _state(self) -> dict[str, object]:
        return {
            "mean": self.scaler_["mean"].tolist(),
            "std": self.scaler_["std"].tolist(),
        }

    def _restore(self, state: dict[str, object]) -> None:
        self.scaler_ = {
            "mean": np.asarray(state["mean"], dtype=float),
            "std": np.asarray(state["std"], dtype=float),
        }

    def _files(self) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory(prefix="quotebot-churn-") as folder:
            path = Path(folder) / MODEL_FILE
            self.network_.save(path)
            return {MODEL_FILE: path.read_bytes()}

    def _restore_files(self, files: dict[str, bytes]) -> None:
        keras = import_keras()
        with tempfile.TemporaryDirectory(prefix="quotebot-churn-") as folder:
            path = Path(folder) / MODEL_FILE
            path.write_bytes(files[MODEL_FILE])
            self.network_ = keras.models.load_model(path)


def _log_scale(X: np.ndarray, logged: np.ndarray) -> np.ndarray:
    """``sign(x) * log1p(|x|)`` in the ``logged`` columns, the rest unchanged."""
    return np.where(logged, np.sign(X) * np.log1p(np.abs(X)), X)


def _spread(values: np.ndarray) -> np.ndarray:
    """Standard deviation per column, 1 where a column is constant."""
    std = values.std(axis=0)
    return np.where(std > 0, std, 1.0)


def _log_odds(p: np.ndarray) -> np.ndarray:
    return logit(np.clip(p, SCORE_FLOOR, 1.0 - SCORE_FLOOR))
