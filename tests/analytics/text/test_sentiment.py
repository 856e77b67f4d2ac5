import numpy as np
import pytest

from analytics.text import (
    ArtifactError,
    LexiconSentiment,
    NoteSentimentClassifier,
    NotFittedError,
    evaluate_sentiment,
    lexicon_score,
    load_labelled_notes,
    split_notes,
)


def test_the_labelled_notes_cover_every_tone_in_the_hundreds():
    notes = load_labelled_notes()

    counts = notes["tone"].value_counts()
    assert len(notes) >= 300
    assert set(counts.index) == {"positive", "neutral", "negative"}
    assert counts.min() >= 100
    assert not notes["text"].duplicated().any()


def test_the_held_out_split_is_stratified_and_the_same_every_time():
    notes = load_labelled_notes()

    train, test = split_notes(notes)
    again_train, again_test = split_notes(notes)

    assert list(test["text"]) == list(again_test["text"])
    assert set(train["text"]).isdisjoint(test["text"])
    shares = test["tone"].value_counts(normalize=True)
    assert shares.min() > 0.25


def test_the_lexicon_flips_words_after_a_negation():
    assert lexicon_score("They are happy with the rollout") > 0
    assert lexicon_score("They are not happy with the rollout") < 0
    assert lexicon_score("Customer complained about late delivery") < 0
    assert lexicon_score("Sent the invoice copy") == 0


def test_the_lexicon_baseline_refuses_to_predict_unfitted():
    with pytest.raises(NotFittedError, match="call fit"):
        LexiconSentiment().predict(["fine"])


def test_the_lexicon_baseline_learns_its_neutral_band():
    notes = load_labelled_notes()

    model = LexiconSentiment().fit(notes["text"], notes["tone"])

    assert model.band_ in model.bands
    assert list(model.predict(["Thrilled, they signed", "Sent the form"])) == [
        "positive",
        "neutral",
    ]


def fake_embedder(texts):
    """Two made-up dimensions, enough to exercise the classifier's plumbing."""
    return np.array(
        [[("good" in t) * 1.0, ("bad" in t) * 1.0] for t in texts], dtype=float
    )


def test_the_classifier_refuses_to_predict_or_save_unfitted():
    model = NoteSentimentClassifier(embedder=fake_embedder)

    with pytest.raises(NotFittedError):
        model.predict(["good"])
    with pytest.raises(NotFittedError, match="be saved"):
        model.to_artifact()


def test_the_classifier_round_trips_through_its_json_artifact():
    texts = ["good call", "bad call", "a call"] * 5
    tones = ["positive", "negative", "neutral"] * 5
    model = NoteSentimentClassifier(embedder=fake_embedder).fit(texts, tones)

    fmt, payload = model.to_artifact()
    loaded = NoteSentimentClassifier.from_artifact(fmt, payload)
    loaded.set_params(embedder=fake_embedder)

    assert fmt == "json"
    assert not payload.startswith(b"\x80")
    np.testing.assert_allclose(
        loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-5
    )
    assert list(loaded.predict(["good one", "bad one"])) == ["positive", "negative"]


def test_net_tone_runs_from_negative_to_positive():
    texts = ["good call", "bad call", "a call"] * 5
    tones = ["positive", "negative", "neutral"] * 5
    model = NoteSentimentClassifier(embedder=fake_embedder).fit(texts, tones)

    net = model.net_tone(["good", "bad"])

    assert -1 <= net[1] < 0 < net[0] <= 1


def test_a_foreign_artifact_is_refused_with_what_to_do():
    with pytest.raises(ArtifactError, match="re-train"):
        NoteSentimentClassifier.from_artifact("json", b'{"model": "other"}')
    with pytest.raises(ArtifactError, match="quotebot train"):
        NoteSentimentClassifier.from_artifact("npz", b"")


@pytest.mark.slow
def test_embeddings_beat_the_lexicon_on_held_out_notes():
    result = evaluate_sentiment()

    models = result["models"]
    assert result["selected"] == "minilm_lexicon_logreg"
    assert models["minilm_lexicon_logreg"]["f1"] > models["lexicon"]["f1"]
    assert models["minilm_lexicon_logreg"]["accuracy"] >= 0.8
    assert result["held_out_notes"] + result["train_notes"] == len(
        load_labelled_notes()
    )


@pytest.mark.slow
def test_the_served_classifier_reads_notes_it_never_saw():
    from analytics.text import fit_sentiment_model

    model = fit_sentiment_model()

    predicted = model.predict(
        [
            "Procurement loved the proposal and signed within a day.",
            "Forwarded the tax form to their accounts team.",
            "They are walking away because our support never answers.",
        ]
    )
    assert list(predicted) == ["positive", "neutral", "negative"]
