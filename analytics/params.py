"""Hyperparameters read off ``__init__``, the way scikit-learn does it.

A model that keeps each ``__init__`` argument as an attribute of the same name
inherits ``get_params`` instead of listing its arguments a second time; the
registry stores what it returns beside each fitted version.
"""

from __future__ import annotations

import inspect
from typing import Any

NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class HyperparameterMixin:
    """``hyperparameters`` and ``get_params`` from the signature of ``__init__``."""

    @classmethod
    def hyperparameters(cls) -> list[str]:
        """Names of the hyperparameters ``__init__`` takes."""
        if cls.__init__ is object.__init__:
            return []
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        return [p.name for p in parameters if p.kind in NAMED]

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters given to ``__init__``, by name."""
        return {name: getattr(self, name) for name in self.hyperparameters()}
