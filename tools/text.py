"""Sentence embeddings for the layers above analytics.

The bot's intent classifier reads messages as MiniLM sentence embeddings; it
reaches the encoder through this module, so that ``bot`` keeps calling only
``tools``. Importing is cheap: the analytics package and the encoder load on
the first call, once per process.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["encoder_name", "embed_message", "embed_texts"]


def encoder_name() -> str:
    """The name of the sentence encoder, for keys of cached embeddings."""
    from analytics.text.embeddings import ENCODER_NAME

    return ENCODER_NAME


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit-length MiniLM embeddings of shape (len(texts), 384)."""
    from analytics.text.embeddings import embed

    return embed(list(texts))


def embed_message(text: str) -> np.ndarray:
    """The embedding of one short message, shape (1, 384), on one CPU thread.

    A dozen tokens are too few to share across threads: on a busy 2-core
    machine one thread answers in about a third of the time
    (``bench.bench_nlu``).
    """
    import torch

    from analytics.text.embeddings import embed

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return embed([text])
    finally:
        torch.set_num_threads(threads)
