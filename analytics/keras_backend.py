"""Keras 3 on TensorFlow, imported only when a network is fitted or loaded.

TensorFlow takes seconds to import, so the CLI and the server never import it
at start-up; every model with a network gets Keras from ``import_keras``.
TensorFlow's C++ start-up notices (oneDNN, CPU features) are kept out of the
terminal unless ``TF_CPP_MIN_LOG_LEVEL`` says otherwise.
"""

from __future__ import annotations

import os


def import_keras():
    """The ``keras`` module, on the TensorFlow backend."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras
