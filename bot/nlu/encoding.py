"""Messages as sentence embeddings, with the training utterances cached on disk.

Embedding the few hundred training utterances takes seconds; the classifier
needs them at every start, so they are kept in ``CACHE_DIR`` (by default
``~/.cache/quotebot``) as a ``.npy`` file named after a hash of the encoder and
the texts. Any change to the utterance files gives a new hash, hence a fresh
embedding; a cache that cannot be read or written is simply recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.text import embed_message, embed_texts, encoder_name

logger = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``CACHE_DIR`` from the settings, with ``~`` expanded."""
    from bot.settings import get_settings

    return Path(get_settings().cache_dir).expanduser()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of shape (len(texts), 384)."""
    if len(texts) == 1:
        return embed_message(texts[0])
    return embed_texts(texts)


def cache_key(texts: Sequence[str]) -> str:
    """A hash of the encoder name and every text, in order."""
    digest = hashlib.sha256(encoder_name().encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()[:20]


def encode_cached(texts: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
    """Like ``encode``, read from the cache when the same texts were embedded."""
    path = (cache_dir or default_cache_dir()) / f"nlu-{cache_key(texts)}.npy"
    cached = _read(path, len(texts))
    if cached is not None:
        return cached

    embeddings = encode(texts)
    _write(path, embeddings)
    return embeddings


def _read(path: Path, rows: int) -> np.ndarray | None:
    try:
        embeddings = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if embeddings.ndim != 2 or embeddings.shape[0] != rows:
        return None
    logger.debug("read %d cached utterance embeddings from %s", rows, path)
    return embeddings


def _write(path: Path, embeddings: np.ndarray) -> None:
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as file:
            np.save(file, embeddings, allow_pickle=False)
        os.replace(partial, path)
    except OSError as error:
        logger.warning("could not cache utterance embeddings in %s: %s", path, error)
    else:
        logger.info("cached %d utterance embeddings in %s", len(embeddings), path)
