"""What every CLV model shares: parameters by name, the fitted check, artifacts.

A model takes its hyperparameters in ``__init__``; ``fit`` returns ``self``;
learned state ends in ``_``; predicting before fitting raises
``NotFittedError``. ``to_artifact`` returns ``(format, payload)`` where the
payload is a JSON envelope holding the hyperparameters and the learned state,
never a pickle; ``from_artifact`` refuses any other format or model.

Subclasses set ``name``, ``label`` and ``fitted_attribute`` and implement
``_state`` and ``_restore``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

from analytics.clv.errors import ArtifactError, NotFittedError
from analytics.params import HyperparameterMixin

ARTIFACT_VERSION = 1


class CLVEstimator(HyperparameterMixin, ABC):
    """Base of the CLV models.

    Attributes
    ----------
    name : str
        Key of the model in artifacts and evaluations, e.g. ``"bgnbd"``.
    label : str
        How messages name the model, e.g. ``"BG/NBD"``.
    artifact_format : str
        The format ``to_artifact`` returns and ``from_artifact`` expects.
    fitted_attribute : str
        A learned attribute that exists once the model is fitted.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    artifact_format: ClassVar[str] = "json"
    fitted_attribute: ClassVar[str] = ""

    def is_fitted(self) -> bool:
        """True once ``fit`` has run (or the model was loaded from an artifact)."""
        return hasattr(self, self.fitted_attribute)

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``(format name, payload)``, to store and reload."""
        self._check_fitted()
        envelope = {
            "version": ARTIFACT_VERSION,
            "model": self.name,
            "params": self.get_params(),
            "state": self._state(),
        }
        return self.artifact_format, json.dumps(envelope).encode()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        if fmt != cls.artifact_format:
            raise ArtifactError(
                f"{cls.label} artifacts have format {cls.artifact_format!r}; got "
                f"{fmt!r}. Load it with the model that saved it."
            )

        envelope = read_envelope(payload, cls.label)
        if envelope.get("model") != cls.name:
            raise ArtifactError(
                f"this artifact holds a {envelope.get('model')!r} model, not "
                f"{cls.name!r}; load it with the model that saved it."
            )

        model = cls(**envelope["params"])
        model._restore(envelope["state"])
        return model

    @abstractmethod
    def _state(self) -> dict[str, Any]:
        """The learned state as JSON-ready values."""

    @abstractmethod
    def _restore(self, state: dict[str, Any]) -> None:
        """Set the learned state back from what ``_state`` returned."""

    def _check_fitted(self) -> None:
        if not self.is_fitted():
            raise NotFittedError(self.label)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def read_envelope(payload: bytes, label: str) -> dict[str, Any]:
    """The JSON envelope of an artifact, checked for its version."""
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError) as error:
        raise ArtifactError(
            f"the {label} artifact is not valid JSON ({error}); re-train the model."
        ) from error
    if not isinstance(envelope, dict) or envelope.get("version") != ARTIFACT_VERSION:
        version = envelope.get("version") if isinstance(envelope, dict) else None
        raise ArtifactError(
            f"the {label} artifact has version {version!r}; this code reads "
            f"version {ARTIFACT_VERSION}. Re-train the model."
        )
    return envelope
