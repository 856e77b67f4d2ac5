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

__all__ = ["ENCODER_NAME", "embed_message", "embed_texts"]


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit-length MiniLM embeddings of shape (len(texts), 384)."""
    return embed(list(texts))


def embed_message(text: str) -> np.ndarray:
    """The embedding of one short message, shape (1, 384), on one CPU thread.

    A dozen tokens are too few to share across threads: on a busy 2-core
    machine one thread answers in about a third of the time
    (``bench.bench_nlu``).
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return embed([text])
    finally:
        torch.set_num_threads(threads)
