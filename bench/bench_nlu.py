"""How fast and how well messages are understood.

Times, on the 2-core development machine:

- embedding every training utterance with MiniLM (what a first start does)
  and reading them back from the cache (what every later start does);
- fitting the intent classifier on the cached embeddings;
- loading the sentence encoder (once per process);
- classifying one message: the median and 95th percentile of warm calls over
  the held-out paraphrases in ``tests/bot/data/heldout_intents.tsv``;

and prints the held-out accuracy (the bot acting on the right intent) of the
sentence-embedding classifier and of the TF-IDF baseline.

Run with ``python -m bench.bench_nlu [--runs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.timing import p50_p95, timed, timed_with_result
from bot.nlu import classifier
from bot.nlu.encoding import encode, encode_cached
from bot.nlu.evaluate import evaluate_examples, read_examples, tfidf_baseline

HELD_OUT = Path(__file__).parents[1] / "tests" / "bot" / "data" / "heldout_intents.tsv"


def time_start() -> None:
    print(f"load sentence encoder       {timed(lambda: encode(['warm up'])):6.2f} s")
    texts, intents = classifier.load_utterances()
    with tempfile.TemporaryDirectory() as cache:
        embeddings, seconds = timed_with_result(
            lambda: encode_cached(texts, Path(cache))
        )
        print(f"embed {len(texts)} utterances        {seconds:6.2f} s")
        seconds = timed(lambda: encode_cached(texts, Path(cache)))
        print(f"read them from the cache    {seconds:6.2f} s")
    seconds = timed(
        lambda: classifier.IntentClassifier().fit(texts, intents, embeddings)
    )
    print(f"fit the classifier          {seconds:6.2f} s")


def time_messages(runs: int) -> None:
    texts = [example.text for example in read_examples(HELD_OUT)]
    classifier.classify(texts[0])
    seconds = [timed(lambda t=t: classifier.classify(t)) for t in texts * runs]
    print(f"classify one message        {p50_p95(seconds, 5, 1)}")


def compare_with_baseline() -> None:
    examples = read_examples(HELD_OUT)
    for name, classify_text in (
        ("MiniLM + logistic regression", classifier.classify),
        ("TF-IDF baseline", tfidf_baseline()),
    ):
        scores = evaluate_examples(examples, classify_text=classify_text)
        print(f"{name:28} held-out accuracy {scores['accuracy']:.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    time_start()
    time_messages(args.runs)
    compare_with_baseline()
    return 0


if __name__ == "__main__":
    sys.exit(main())
