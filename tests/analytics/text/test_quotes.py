import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.text.errors import NotFittedError, SummariserError
from analytics.text.quote_intent import (
    APPROACHES,
    INTENTS,
    QuoteIntentClassifier,
    TooFewQuotesError,
)
from analytics.text.quote_summary import QuoteFacts, summarise_quote
from analytics.text.summariser import NoteSummariser, shorten

TODAY = dt.date(2026, 6, 30)


def facts(**changes) -> QuoteFacts:
    values = {
        "quote_number": "Q-2026-0042",
        "customer": "Acme Corp",
        "status": "sent",
        "created_at": dt.datetime(2026, 6, 18, 10),
        "lines": 3,
        "units": 3,
        "subtotal": 13777.78,
        "discount_pct": 10.0,
        "total": 12400.0,
        "rep": "Alex Rivera",
    }
    return QuoteFacts(**{**values, **changes})


def dollars(value: float) -> str:
    return f"${value:,.0f}"


def test_a_sent_quote_reads_as_one_sentence_with_its_age_and_owner():
    assert summarise_quote(facts(), TODAY, dollars) == (
        "Q-2026-0042 for Acme Corp: 3 lines, $12,400 after 10% off, sent 12 days "
        "ago by Alex Rivera, waiting on the customer."
    )


def test_a_summary_says_what_happened_to_the_quote():
    draft = summarise_quote(facts(status="draft", discount_pct=0.0), TODAY)
    won = summarise_quote(
        facts(status="accepted", decided_at=dt.datetime(2026, 6, 25)), TODAY
    )
    lapsed = summarise_quote(facts(valid_until=dt.date(2026, 6, 28)), TODAY)

    assert "drafted 12 days ago by Alex Rivera, not sent yet" in draft
    assert "at list price" in draft
    assert won.endswith("accepted 7 days later.")
    assert "lapsed 2 days ago" in lapsed


def test_units_are_mentioned_only_when_lines_hold_several():
    assert "3 lines (120 units)" in summarise_quote(facts(units=120), TODAY)
    assert "1 line," in summarise_quote(facts(lines=1, units=1), TODAY)


def book(seed: int = 0, n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"total": rng.lognormal(8, 1, n), "units": rng.integers(1, 100, n)}
    )


def test_intent_thresholds_follow_the_business_s_own_quote_sizes():
    small = book()
    large = small.assign(total=small["total"] * 1000, units=small["units"] * 10)

    a = QuoteIntentClassifier().fit(small)
    b = QuoteIntentClassifier().fit(large)

    assert b.thresholds_["enterprise_total"] == pytest.approx(
        a.thresholds_["enterprise_total"] * 1000
    )
    assert list(a.predict(small)) == list(b.predict(large))


def test_intents_split_quotes_by_relative_value_and_volume():
    quotes = book()
    model = QuoteIntentClassifier().fit(quotes)
    t = model.thresholds_

    probe = pd.DataFrame(
        {
            "total": [t["enterprise_total"] * 2, t["trial_total"] + 1, 1.0, 1.0],
            "units": [1, t["bulk_units"] + 1, 1, t["trial_units"] + 50],
        }
    )
    intents = list(model.predict(probe))
    shares = pd.Series(model.predict(quotes)).value_counts(normalize=True)

    assert intents == ["enterprise_deal", "bulk_order", "trial", "standard"]
    assert 0.05 <= shares["enterprise_deal"] <= 0.15
    assert shares["standard"] > 0.5
    assert set(APPROACHES) == set(INTENTS)


def test_intents_need_enough_quotes_and_a_fit():
    with pytest.raises(TooFewQuotesError, match="at least 20 quotes"):
        QuoteIntentClassifier().fit(book(n=5))
    with pytest.raises(NotFittedError):
        QuoteIntentClassifier().predict(book())


def test_reasons_quote_the_thresholds_in_the_business_s_money():
    model = QuoteIntentClassifier().fit(book())

    assert "top 10%" in model.reason("enterprise_deal", dollars)
    assert "$" in model.reason("trial", dollars)


def test_long_notes_are_shortened_at_a_sentence_or_a_word():
    long = "First point about pricing. " + "Then a long digression " * 20

    assert shorten("Short note.") == "Short note."
    assert shorten(long) == "First point about pricing."
    cut = shorten("word " * 100)
    assert cut.endswith("...") and len(cut) <= 140


def test_short_notes_never_load_the_summariser(monkeypatch):
    import analytics.text.summariser as module

    def refuse(path):
        raise AssertionError("the model must not be loaded for a short note")

    monkeypatch.setattr(module, "_load", refuse)

    assert NoteSummariser("/nowhere").summarise("Sent the form.") == "Sent the form."


def test_a_missing_summariser_directory_is_a_clear_error(tmp_path):
    summariser = NoteSummariser(tmp_path / "missing", min_chars=1)

    with pytest.raises(SummariserError, match="unset it"):
        summariser.summarise("A note long enough to summarise.")
