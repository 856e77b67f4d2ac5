"""The labelled sales notes the sentiment models learn from, and their split.

``data/sales_notes.tsv`` holds a few hundred notes written the way B2B reps
write them (short and long, hedged, sarcastic, mixed, with typos), each
labelled positive, neutral or negative by its overall tone. A fixed,
stratified quarter of them is held out for evaluation.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NOTES_FILE = Path(__file__).with_name("data") / "sales_notes.tsv"
TONES = ("positive", "neutral", "negative")
HELD_OUT_SHARE = 0.25
SPLIT_SEED = 7


def load_labelled_notes(path: Path = NOTES_FILE) -> pd.DataFrame:
    """The labelled notes as a frame with columns ``text`` and ``tone``."""
    frame = pd.read_csv(path, sep="\t", dtype=str, quoting=3)
    frame["text"] = frame["text"].str.strip()
    unknown = set(frame["tone"]) - set(TONES)
    if unknown:
        raise ValueError(f"{path} has unknown tones {sorted(unknown)}; use {TONES}.")
    return frame[["text", "tone"]]


def split_notes(
    notes: pd.DataFrame, held_out: float = HELD_OUT_SHARE, seed: int = SPLIT_SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified (train, held-out) split, the same on every call."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        notes, test_size=held_out, random_state=seed, stratify=notes["tone"]
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)
