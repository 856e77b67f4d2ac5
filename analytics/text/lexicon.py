"""The baseline every sentiment model must beat: counting tone words.

Each word of a note found in a small lexicon of sales words adds +1 or -1; a
negator ("not", "never", "n't", "no") flips the words in the three tokens
after it. The sum over the note is its score, and a neutral band around zero,
the only thing ``fit`` learns, separates positive and negative from neutral.
Stems ending in ``*`` match any word they begin ("complain*" matches
"complained" and "complaints").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Self

import numpy as np
from sklearn.base import BaseEstimator

from analytics.text.errors import NotFittedError


def _word_set(words: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(words.split())


POSITIVE_WORDS = _word_set(
    """
    happy pleased delight* thrill* love* great good excellent fantastic best
    glowing impress* enthusias* excit* keen strong smooth* easy fast quick
    signed sign win won winner renew* expan* grow* upgrad* approv* agree*
    recommend* trust* reliab* satisf* success* praise* thank* yes interest*
    promising opportunit* confirmed prefer* loyal* valu* outstanding perfect
    """
)
NEGATIVE_WORDS = _word_set(
    """
    unhappy angry furious livid upset frustrat* annoy* complain* complaint*
    disappoint* poor bad terrible awful worst lost lose losing cancel* reject*
    expensive cheaper risk* delay* late overdue issue* problem* escalat*
    downgrad* terminat* dispute* broke* outage* slow* worr* concern* strain*
    painful difficult dead quiet dark hold freeze cut* drop* dropped threat*
    competitor* incumbent overcharg* damag* wrong refuse* ignore* stall* sour
    tense poorly fail* bug* dealbreaker blacklist* shelved exit lapsed
    """
)
NEGATORS = frozenset({"not", "no", "never", "nobody", "none", "without", "hardly"})
NEGATION_REACH = 3
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
CANDIDATE_BANDS = (0.0, 0.5, 1.0, 1.5, 2.0)


def lexicon_score(text: str) -> float:
    """The note's tone-word sum, negations flipped."""
    score, flip_left = 0.0, 0
    for token in TOKEN.findall(text.lower()):
        if token in NEGATORS or token.endswith("n't"):
            flip_left = NEGATION_REACH
            continue
        polarity = _polarity(token)
        score += -polarity if flip_left else polarity
        flip_left = max(flip_left - 1, 0)
    return score


def _polarity(token: str) -> int:
    positive = bool(_POSITIVE.fullmatch(token))
    return positive - bool(_NEGATIVE.fullmatch(token))


def _pattern(words: frozenset[str]) -> re.Pattern:
    """One regular expression for a word list: exact words and stems."""
    parts = sorted(re.escape(w[:-1]) + "[a-z']*" if w[-1] == "*" else w for w in words)
    return re.compile("|".join(parts))


_POSITIVE = _pattern(POSITIVE_WORDS)
_NEGATIVE = _pattern(NEGATIVE_WORDS)


class LexiconSentiment(BaseEstimator):
    """Tone from word counts with negation: the named baseline.

    Parameters
    ----------
    bands : tuple of float
        Candidate half-widths of the neutral band; ``fit`` keeps the one with
        the best macro F1 on the training notes.

    Attributes
    ----------
    band_ : float
        Scores within ``[-band_, band_]`` are neutral.
    classes_ : ndarray of str
    """

    name = "lexicon"

    def __init__(self, bands: Sequence[float] = CANDIDATE_BANDS) -> None:
        self.bands = bands

    def fit(self, texts: Iterable[str], tones: Iterable[str]) -> Self:
        from sklearn.metrics import f1_score

        scores = np.array([lexicon_score(t) for t in texts])
        tones = np.asarray(list(tones))
        quality = [
            f1_score(tones, _label(scores, band), average="macro", zero_division=0)
            for band in self.bands
        ]
        self.band_ = float(self.bands[int(np.argmax(quality))])
        self.classes_ = np.array(["negative", "neutral", "positive"])
        return self

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """The tone of each note: "positive", "neutral" or "negative"."""
        if not hasattr(self, "band_"):
            raise NotFittedError("lexicon sentiment baseline")
        return _label(np.array([lexicon_score(t) for t in texts]), self.band_)


def _label(scores: np.ndarray, band: float) -> np.ndarray:
    return np.where(
        scores > band, "positive", np.where(scores < -band, "negative", "neutral")
    )
