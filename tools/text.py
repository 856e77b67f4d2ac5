"""Sentence embeddings for the layers above analytics.

The bot's intent classifier reads messages as MiniLM sentence embeddings; it
reaches the encoder through this module, so that ``bot`` keeps calling only
``tools``. Importing is cheap: the encoder loads once per process, on the first
call of ``embed_texts``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analytics.text.embeddings import ENCODER_NAME, embed

__all__ = ["ENCODER_NAME", "embed_texts"]


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit-length MiniLM embeddings of shape (len(texts), 384)."""
    return embed(list(texts))
