"""Shortening long free-text notes for an answer.

By default a note is shortened by rule (``shorten``): its first sentences up
to a length, cut at a word. When a local summarisation model is configured
(a directory holding a Hugging Face sequence-to-sequence model, passed in by
the caller), ``NoteSummariser`` writes an abstractive summary instead. The
model is only ever read from that directory, never downloaded, and
``transformers`` is imported only when it is first used.
"""

from __future__ import annotations

import logging
import os
import re
from functools import cache
from pathlib import Path

from analytics.text.errors import SummariserError

logger = logging.getLogger(__name__)

SHORT_CHARS = 140
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def shorten(text: str, limit: int = SHORT_CHARS) -> str:
    """Whole sentences up to ``limit`` characters, else cut at a word with "..."."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


class NoteSummariser:
    """Abstractive summaries from a local sequence-to-sequence model.

    Parameters
    ----------
    path : str or Path
        Directory of the model and its tokenizer.
    max_words : int
        Rough upper bound on the summary's length.
    min_chars : int
        Notes shorter than this are only tidied by ``shorten``.
    """

    def __init__(self, path: str | Path, max_words: int = 40, min_chars: int = 280):
        self.path = Path(path)
        self.max_words = max_words
        self.min_chars = min_chars

    def summarise(self, text: str) -> str:
        """A summary of ``text``; short notes come back shortened, not rewritten."""
        if len(text) < self.min_chars:
            return shorten(text)
        tokenizer, model = _load(str(self.path))
        try:
            inputs = tokenizer(text, return_tensors="pt", truncation=True)
            output = model.generate(
                **inputs, max_new_tokens=int(self.max_words * 1.5), num_beams=2
            )
        except Exception as error:  # the model's own errors vary by architecture
            raise SummariserError(
                f"The summariser at {self.path} failed on a note ({error})."
            ) from error
        summary = tokenizer.decode(output[0], skip_special_tokens=True)
        return " ".join(summary.split())


@cache
def _load(path: str):
    """The tokenizer and model in ``path``, read once; never downloaded."""
    if not Path(path).is_dir():
        raise SummariserError(
            f"No summarisation model at {path}; point the setting at a local "
            "model directory or unset it to shorten notes by rule."
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    logger.info("loading note summariser from %s", path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
    return tokenizer, model.eval()
