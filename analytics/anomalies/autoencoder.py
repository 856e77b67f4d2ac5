"""A small Keras autoencoder: a quote unlike the usual ones rebuilds badly.

The network squeezes the standardised features through a narrow middle
layer and back (``n -> hidden -> encoding_dim -> hidden -> n``, ReLU inside,
linear output), trained with mean squared error and Adam to reproduce the
training quotes. The score is a quote's reconstruction error: the patterns
shared by most quotes are rebuilt well, the rare ones are not.

The scaler (mean and standard deviation per feature) is fitted on the
training quotes only and stored with the model. The network learns from
the scaled quotes clipped to ``clip`` standard deviations, so the few extreme
ones in any history do not teach it to rebuild extremes. Each feature's
squared error is divided by its mean over the training quotes, so a feature
that is always rebuilt closely (price against list) counts when it is missed,
and one that is never rebuilt well (the product mix) does not drown the rest.

Seeds are set with ``keras.utils.set_random_seed(random_state)``; training
stops when the loss on the latest ``validation_share`` of the quotes has not
improved for ``patience`` epochs and keeps the best weights. Keras is
imported only inside the methods that need it (``analytics.keras_backend``).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any, Self

import numpy as np

from analytics.anomalies.errors import NotFittedError
from analytics.keras_backend import import_keras
from analytics.params import HyperparameterMixin

logger = logging.getLogger(__name__)

MODEL_FILE = "autoencoder.keras"


class AutoencoderDetector(HyperparameterMixin):
    """Reconstruction error of a dense autoencoder over the quote features.

    Parameters
    ----------
    hidden_units : int
        Width of the layers either side of the middle.
    encoding_dim : int
        Width of the middle layer: how much the network may remember.
    epochs, patience, batch_size, learning_rate
        Training schedule: at most ``epochs``, stopping after ``patience``
        epochs without a better validation loss.
    validation_share : float
        Share of the latest quotes held out for early stopping.
    clip : float
        Training inputs are clipped to this many standard deviations, so the
        rare extreme quotes do not teach the network to rebuild them.
    random_state : int
        Seed of the weights and the shuffling.

    Attributes
    ----------
    mean_, std_ : ndarray, shape (n_features,)
        The scaler, from the training quotes.
    error_scale_ : ndarray, shape (n_features,)
        Mean squared error of each feature over the training quotes.
    network_ : keras.Model
    epochs_ : int
        Epochs trained before early stopping (not kept in the artifact).
    """

    name = "autoencoder"

    def __init__(
        self,
        hidden_units: int = 8,
        encoding_dim: int = 3,
        epochs: int = 40,
        patience: int = 4,
        batch_size: int = 128,
        learning_rate: float = 0.005,
        validation_share: float = 0.1,
        clip: float = 3.0,
        random_state: int = 0,
    ) -> None:
        self.hidden_units = hidden_units
        self.encoding_dim = encoding_dim
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_share = validation_share
        self.clip = clip
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> Self:
        """Learn to rebuild the quotes ``X``, shape (n_quotes, n_features)."""
        keras = import_keras()
        keras.utils.set_random_seed(self.random_state)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.std_ = np.where(std > 0, std, 1.0)

        scaled = np.clip(self._scale(X), -self.clip, self.clip)
        network = self._network(keras, X.shape[1])
        history = network.fit(
            scaled,
            scaled,
            validation_split=self.validation_share,
            epochs=self.epochs,
            batch_size=self.batch_size,
            callbacks=[
                keras.callbacks.EarlyStopping(
                    monitor="val_loss",
                    patience=self.patience,
                    restore_best_weights=True,
                )
            ],
            verbose=0,
        )
        self.network_ = network
        self.epochs_ = len(history.history["loss"])
        rebuilt = network(scaled, training=False).numpy()
        self.error_scale_ = np.maximum(((rebuilt - scaled) ** 2).mean(axis=0), 1e-6)
        logger.debug("trained the quote autoencoder for %s epochs", self.epochs_)
        return self

    def score(self, X: np.ndarray) -> np.ndarray:
        """Mean relative squared reconstruction error per quote, shape (n_quotes,)."""
        if not hasattr(self, "network_"):
            raise NotFittedError("autoencoder")
        scaled = self._scale(X)
        rebuilt = self.network_(scaled, training=False).numpy()
        errors = (rebuilt - scaled) ** 2 / self.error_scale_
        return errors.mean(axis=1).astype(float)

    def state(self) -> dict[str, Any]:
        """The parameters and the scaler, as JSON-ready values."""
        if not hasattr(self, "network_"):
            raise NotFittedError("autoencoder", "be saved")
        return {
            "params": self.get_params(),
            "mean": self.mean_.tolist(),
            "std": self.std_.tolist(),
            "error_scale": self.error_scale_.tolist(),
        }

    def files(self) -> dict[str, bytes]:
        """The network in Keras's own format, by file name."""
        with tempfile.TemporaryDirectory(prefix="quotebot-anomalies-") as folder:
            path = Path(folder) / MODEL_FILE
            self.network_.save(path)
            return {MODEL_FILE: path.read_bytes()}

    @classmethod
    def from_state(cls, state: dict[str, Any], files: dict[str, bytes]) -> Self:
        keras = import_keras()
        detector = cls(**state["params"])
        detector.mean_ = np.asarray(state["mean"], dtype=float)
        detector.std_ = np.asarray(state["std"], dtype=float)
        detector.error_scale_ = np.asarray(state["error_scale"], dtype=float)
        with tempfile.TemporaryDirectory(prefix="quotebot-anomalies-") as folder:
            path = Path(folder) / MODEL_FILE
            path.write_bytes(files[MODEL_FILE])
            detector.network_ = keras.models.load_model(path)
        return detector

    def _scale(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean_) / self.std_).astype("float32")

    def _network(self, keras, n_features: int):
        inputs = keras.Input(shape=(n_features,))
        hidden = keras.layers.Dense(self.hidden_units, activation="relu")(inputs)
        middle = keras.layers.Dense(self.encoding_dim, activation="relu")(hidden)
        hidden = keras.layers.Dense(self.hidden_units, activation="relu")(middle)
        outputs = keras.layers.Dense(n_features)(hidden)
        network = keras.Model(inputs, outputs)
        network.compile(optimizer=keras.optimizers.Adam(self.learning_rate), loss="mse")
        return network
