"""A small LSTM that forecasts the next ``max_horizon`` periods in one shot.

The network reads a window of the last ``lookback`` periods (scaled revenue,
and where each period falls in the week and the year) and its output layer
emits all ``max_horizon`` future periods at once: a direct multi-step
forecast, with no feedback of its own guesses. It learns how those periods
differ from the window's seasonal profile (each weekday's mean over the
window; the window's mean for weekly data), so an untrained network already
forecasts a smoothed seasonal naive and training only has to learn the trend
and the turns of the year. Asking for more than ``max_horizon`` periods
raises ``HorizonError``; refit with a larger ``max_horizon`` instead.

Scaling. Revenue is standardised with the mean and standard deviation of the
*training* series (not its logarithm: the many zero days of a sales series
make a log scale blow small errors up into huge ones). Both are stored with
the model and reused as they are at prediction time, never refitted.

Intervals. Dropout stays on at prediction time (Monte Carlo dropout):
``mc_passes`` forward passes sample the network's own uncertainty. Dropout
alone says nothing about the day-to-day noise of revenue, so each pass is
combined with every out-of-sample error the network made on the validation
windows (the last ``validation_share`` of the training windows) on the same
weekday as the date forecast, each error scaled from the revenue level of its
window to the current one; the 80% and 95% intervals are quantiles of those
sums. The point forecast is the network's output with dropout off, so
it is deterministic.

Training. Keras 3 on TensorFlow, imported inside the methods (importing this
module does not load TensorFlow). Seeds are set with
``keras.utils.set_random_seed(random_state)``; training stops early when the
validation loss stops improving and keeps the best weights. About 10 s for
three years of daily data on two cores.

The artifact is a zip: ``model.keras`` (Keras's native format) and
``lstm.json`` (parameters, scaler, the last window, validation errors).
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
import zipfile
from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd

from analytics.forecasting.base import QUANTILES, Forecaster
from analytics.forecasting.errors import ArtifactError, HorizonError
from analytics.forecasting.series import season_length
from analytics.keras_backend import import_keras

logger = logging.getLogger(__name__)

DEFAULT_LOOKBACK = {"D": 56, "W-MON": 26}
DEFAULT_MAX_HORIZON = {"D": 28, "W-MON": 13}
MIN_TRAINING_WINDOWS = {"D": 84, "W-MON": 26}
MODEL_FILE = "model.keras"
STATE_FILE = "lstm.json"
DAYS_PER_YEAR = 365.25


class LSTMForecaster(Forecaster):
    """One LSTM layer and a dense layer emitting ``max_horizon`` periods at once.

    Parameters
    ----------
    lookback : int, optional
        Periods the network reads; default 56 days or 26 weeks.
    max_horizon : int, optional
        Periods it forecasts; default 28 days or 13 weeks.
    units : int
        Size of the LSTM layer.
    dropout : float
        Dropout rate after the LSTM layer, in training and in the Monte
        Carlo passes.
    epochs, patience, batch_size, learning_rate
        Training schedule: at most ``epochs``, stopping after ``patience``
        epochs without a better validation loss.
    validation_share : float
        Share of the (latest) training windows held out for early stopping
        and for the interval errors.
    mc_passes : int
        Forward passes with dropout on, for the intervals.
    random_state : int
        Seed of weights, shuffling and dropout.

    Attributes
    ----------
    lookback_, max_horizon_ : int
        The resolved window and horizon.
    scaler_ : dict
        ``mean`` and ``std`` of revenue over the training series.
    window_ : ndarray, shape (lookback_,)
        The last ``lookback_`` training values, the input of ``predict``.
    validation_errors_ : ndarray, shape (n_validation, max_horizon_)
        Out-of-sample errors, as multiples of the mean revenue of the window
        they were forecast from.
    validation_phases_ : ndarray, shape (n_validation, max_horizon_)
        Weekday of the date of each validation error (0 for weekly data).
    network_ : keras.Model
    epochs_ : int
        Epochs trained before early stopping (not kept in the artifact).
    """

    name = "lstm"
    label = "LSTM"
    artifact_format = "keras-zip"

    def __init__(
        self,
        lookback: int | None = None,
        max_horizon: int | None = None,
        units: int = 32,
        dropout: float = 0.2,
        epochs: int = 60,
        patience: int = 4,
        batch_size: int = 64,
        learning_rate: float = 0.003,
        validation_share: float = 0.15,
        mc_passes: int = 100,
        random_state: int = 0,
    ) -> None:
        self.lookback = lookback
        self.max_horizon = max_horizon
        self.units = units
        self.dropout = dropout
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_share = validation_share
        self.mc_passes = mc_passes
        self.random_state = random_state

    def min_history(self, frequency: str) -> int:
        lookback, horizon = self._sizes(frequency)
        return lookback + 2 * horizon + MIN_TRAINING_WINDOWS[frequency]

    def _fit(self, y: pd.Series) -> None:
        keras = import_keras()
        keras.utils.set_random_seed(self.random_state)
        self.lookback_, self.max_horizon_ = self._sizes(self.frequency_)

        values = y.to_numpy()
        self.scaler_ = {"mean": float(values.mean()), "std": _spread(values)}
        inputs, targets = self._windows(self._scale(y.to_numpy()), y.index)
        profiles = self._profiles(inputs[:, :, 0])
        train, valid = self._split(len(inputs))

        self.network_ = self._network(keras, inputs.shape[-1])
        history = self.network_.fit(
            inputs[train],
            targets[train] - profiles[train],
            validation_data=(inputs[valid], targets[valid] - profiles[valid]),
            epochs=self.epochs,
            batch_size=self.batch_size,
            callbacks=[self._early_stopping(keras)],
            verbose=0,
        )

        predicted = self.network_(inputs[valid], training=False).numpy()
        errors = (targets[valid] - profiles[valid] - predicted) * self.scaler_["std"]
        self.validation_errors_ = errors / self._levels(inputs[valid, :, 0])[:, None]
        first_targets = y.index[self.lookback_ :][valid][: len(predicted)]
        self.validation_phases_ = self._target_phases(first_targets)
        self.window_ = y.to_numpy()[-self.lookback_ :].copy()
        self.epochs_ = len(history.history["loss"])
        logger.debug("trained the LSTM for %s epochs", self.epochs_)

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        if horizon > self.max_horizon_:
            raise HorizonError(
                f"this LSTM forecasts at most {self.max_horizon_} periods ahead; "
                f"asked for {horizon}. Refit it with max_horizon={horizon}."
            )
        x = self._features(self._scale(self.window_), self._window_dates())[None]
        profile = self._profiles(x[:, :, 0])

        point = self.network_(x, training=False).numpy()[0] + profile[0]
        passes = np.repeat(x, self.mc_passes, axis=0)
        sampled = self.network_(passes, training=True).numpy() + profile

        centre = self._unscale(sampled)[:, :horizon]
        level = self._levels(x[:, :, 0])[0]
        bounds = self._bounds(centre, level, self.future_index(horizon))
        return {"yhat": self._unscale(point[:horizon]), **bounds}

    def _bounds(
        self, centre: np.ndarray, level: float, dates: pd.DatetimeIndex
    ) -> dict[str, np.ndarray]:
        """Interval bounds: Monte Carlo passes plus validation errors of the weekday.

        Parameters
        ----------
        centre : ndarray, shape (mc_passes, horizon)
            Forecasts of the passes with dropout on, in revenue.
        level : float
            Mean revenue of the window forecast from.
        dates : DatetimeIndex, shape (horizon,)
        """
        phases = self._phases(dates)
        bounds = np.empty((len(QUANTILES), len(dates)))
        for step, phase in enumerate(phases):
            same = self.validation_phases_ == phase
            errors = self.validation_errors_[same if same.any() else slice(None)]
            sums = centre[:, step, None] + level * errors.ravel()[None, :]
            bounds[:, step] = np.quantile(sums, list(QUANTILES.values()))
        return dict(zip(QUANTILES, bounds, strict=True))

    def _phases(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Weekday of each date for daily data; 0 throughout for weekly data.

        An error made on a Saturday says nothing about a Tuesday's: weekdays
        keep their own errors, while weekly data pools them all.
        """
        if self.frequency_ == "D":
            return dates.day_of_week.to_numpy()
        return np.zeros(len(dates), dtype=int)

    def _target_phases(self, first_targets: pd.DatetimeIndex) -> np.ndarray:
        """Phase of every target of windows whose first targets are given.

        Returns
        -------
        ndarray, shape (len(first_targets), max_horizon_)
        """
        return np.stack(
            [
                self._phases(
                    pd.date_range(
                        first, periods=self.max_horizon_, freq=self.frequency_
                    )
                )
                for first in first_targets
            ]
        )

    def _sizes(self, frequency: str) -> tuple[int, int]:
        lookback = self.lookback or DEFAULT_LOOKBACK[frequency]
        horizon = self.max_horizon or DEFAULT_MAX_HORIZON[frequency]
        return lookback, horizon

    def _scale(self, values: np.ndarray) -> np.ndarray:
        return (values - self.scaler_["mean"]) / self.scaler_["std"]

    def _unscale(self, scaled: np.ndarray) -> np.ndarray:
        """Back to revenue; ``predict`` clips what falls below zero."""
        return scaled * self.scaler_["std"] + self.scaler_["mean"]

    def _levels(self, windows: np.ndarray) -> np.ndarray:
        """Mean revenue of each window of scaled values, shape (n_windows,)."""
        return np.maximum(self._unscale(windows).mean(axis=1), 1.0)

    def _features(self, scaled: np.ndarray, dates: pd.DatetimeIndex) -> np.ndarray:
        """Per period: the scaled value and where it falls in the week and year.

        Returns
        -------
        ndarray, shape (len(dates), 5) for daily data, (len(dates), 3) weekly
        """
        year = 2 * np.pi * dates.day_of_year.to_numpy() / DAYS_PER_YEAR
        columns = [scaled, np.sin(year), np.cos(year)]
        if self.frequency_ == "D":
            week = 2 * np.pi * dates.day_of_week.to_numpy() / 7
            columns += [np.sin(week), np.cos(week)]
        return np.stack(columns, axis=-1).astype("float32")

    def _windows(self, scaled: np.ndarray, dates: pd.DatetimeIndex):
        """Every (lookback window, next max_horizon values) pair, oldest first.

        Returns
        -------
        inputs : ndarray, shape (n_windows, lookback_, n_features)
        targets : ndarray, shape (n_windows, max_horizon_)
        """
        features = self._features(scaled, dates)
        starts = np.arange(self.lookback_, len(scaled) - self.max_horizon_ + 1)
        inputs = np.stack([features[s - self.lookback_ : s] for s in starts])
        targets = np.stack([scaled[s : s + self.max_horizon_] for s in starts])
        return inputs, targets.astype("float32")

    def _profiles(self, windows: np.ndarray) -> np.ndarray:
        """Each window's seasonal profile, carried over the next max_horizon_ periods.

        For daily data the mean of each weekday over the window; for weekly
        data, whose season (52) is longer than the window, the window's mean.

        Parameters
        ----------
        windows : ndarray, shape (n_windows, lookback_)
            Scaled values.

        Returns
        -------
        ndarray, shape (n_windows, max_horizon_)
        """
        season = season_length(self.frequency_)
        if season > self.lookback_ // 2:
            return np.repeat(windows.mean(axis=1, keepdims=True), self.max_horizon_, 1)
        phases = np.arange(self.lookback_) % season
        means = np.stack(
            [windows[:, phases == phase].mean(axis=1) for phase in range(season)], 1
        )
        return means[:, (self.lookback_ + np.arange(self.max_horizon_)) % season]

    def _split(self, n_windows: int) -> tuple[slice, slice]:
        """The latest windows for validation; earlier ones whose targets end before."""
        n_valid = max(1, round(self.validation_share * n_windows))
        first_valid = n_windows - n_valid
        return slice(0, first_valid - self.max_horizon_ + 1), slice(first_valid, None)

    def _network(self, keras, n_features: int):
        inputs = keras.Input(shape=(self.lookback_, n_features))
        hidden = keras.layers.LSTM(self.units)(inputs)
        hidden = keras.layers.Dropout(self.dropout, seed=self.random_state)(hidden)
        outputs = keras.layers.Dense(self.max_horizon_)(hidden)
        network = keras.Model(inputs, outputs)
        network.compile(optimizer=keras.optimizers.Adam(self.learning_rate), loss="mae")
        return network

    def _early_stopping(self, keras):
        return keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=self.patience, restore_best_weights=True
        )

    def _window_dates(self) -> pd.DatetimeIndex:
        return pd.date_range(
            end=self.last_date_, periods=self.lookback_, freq=self.frequency_
        )

    def _dump(self) -> bytes:
        state = {
            "lookback": self.lookback_,
            "max_horizon": self.max_horizon_,
            "scaler": self.scaler_,
            "window": self.window_.tolist(),
            "validation_errors": self.validation_errors_.tolist(),
            "validation_phases": self.validation_phases_.tolist(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MODEL_FILE, _keras_bytes(self.network_))
            archive.writestr(STATE_FILE, json.dumps(self._envelope(state)))
        return buffer.getvalue()

    @classmethod
    def _load(cls, payload: bytes) -> Self:
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                envelope = json.loads(archive.read(STATE_FILE))
                network = archive.read(MODEL_FILE)
        except (zipfile.BadZipFile, KeyError) as error:
            raise ArtifactError(
                f"the LSTM artifact is incomplete ({error}); re-train it."
            ) from error

        model = cls._from_envelope(envelope)
        state = envelope["state"]
        model.lookback_ = int(state["lookback"])
        model.max_horizon_ = int(state["max_horizon"])
        model.scaler_ = {k: float(v) for k, v in state["scaler"].items()}
        model.window_ = np.asarray(state["window"], dtype=float)
        model.validation_errors_ = np.asarray(state["validation_errors"], "float32")
        model.validation_phases_ = np.asarray(state["validation_phases"], dtype=int)
        model.network_ = _keras_model(network)
        return model


def _keras_bytes(network) -> bytes:
    """The network in Keras's native ``.keras`` format."""
    with tempfile.TemporaryDirectory(prefix="quotebot-lstm-") as folder:
        path = Path(folder) / MODEL_FILE
        network.save(path)
        return path.read_bytes()


def _keras_model(payload: bytes):
    keras = import_keras()
    with tempfile.TemporaryDirectory(prefix="quotebot-lstm-") as folder:
        path = Path(folder) / MODEL_FILE
        path.write_bytes(payload)
        return keras.models.load_model(path)


def _spread(values: np.ndarray) -> float:
    """Standard deviation, or 1 for a constant series (nothing to scale)."""
    std = float(values.std())
    return std if std > 0 else 1.0
