"""Customer sentiment: how an account feels about us, read from what reps wrote.

Every note about the account (account notes and quote notes) is scored by the
note sentiment model: MiniLM sentence embeddings and the tone-word score into
a logistic regression (``analytics.text``). ``quotebot train`` registers the
model as ``sentiment.notes`` (coefficients as JSON); before that, answers fit
the same model on demand from the labelled notes shipped with the package,
which takes about a second once the encoder is loaded (``bench.bench_text``).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import customer_notes, latest_activity_date
from storage.registry import ModelRecord, fingerprint_frame, latest_model
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError
from tools.people import Requester, account_scope
from tools.quotes import summarise_note
from tools.results import Chart, Column, ToolResult

logger = logging.getLogger(__name__)

SENTIMENT_MODEL = "sentiment.notes"
RECENT_DAYS = 90
POSITIVE_FROM = 0.3
COLUMNS = (
    Column("period", "Quarter"),
    Column("notes", "Notes"),
    Column("tone", "Net tone (-1 to +1)"),
    Column("negative", "Read negative"),
    Column("reading", "Overall"),
)
DIRECTION_WORDS = {
    "warmer": "warmer than before",
    "cooler": "cooler than before",
    "steady": "about the same as before",
}


def customer_sentiment(
    session: Session, requester: Requester, customer: str
) -> ToolResult:
    """How a customer feels about us, from the notes reps wrote, and its trend.

    Use for "how does Acme feel about us?" or "mood of the Globex account".
    Scores every note about the account, compares the last 90 days with
    before, shows the tone by quarter, and quotes the most recent and the
    most negative notes. ``customer`` is a name as typed; reps may ask about
    their own accounts, managers about their team's.
    """
    match = find_customer(session, customer)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")

    notes = customer_notes(session, [match.id])
    if notes.empty:
        raise NotEnoughDataError(
            f"There are no notes about {match.name} yet, so there is nothing to "
            "read its mood from. Notes on the account or on its quotes are what "
            "this answer reads."
        )
    model, source = sentiment_model(session)
    scored = score_notes(model, notes)
    return _answer(match.name, scored, _as_of(session, scored), source)


def sentiment_model(session: Session):
    """The registered note sentiment model, or one fitted now; and its label."""
    from analytics.text import NoteSentimentClassifier

    record = latest_model(session, SENTIMENT_MODEL)
    if record is None:
        return _model_from_labelled_notes(), "fitted on the shipped labelled notes"
    model = NoteSentimentClassifier.from_artifact(
        record.artifact_format, record.artifact
    )
    return model, f"{SENTIMENT_MODEL} v{record.version}"


@cache
def _model_from_labelled_notes():
    from analytics.text import fit_sentiment_model

    return fit_sentiment_model()


def score_notes(model, notes: pd.DataFrame) -> pd.DataFrame:
    """``notes`` with each note's ``tone`` and ``net_tone`` (-1 to +1)."""
    proba = model.predict_proba(notes["body"].tolist())
    column = {tone: i for i, tone in enumerate(model.classes_)}
    scored = notes.copy()
    scored["tone"] = model.classes_[proba.argmax(axis=1)]
    scored["net_tone"] = proba[:, column["positive"]] - proba[:, column["negative"]]
    return scored


def _as_of(session: Session, notes: pd.DataFrame) -> pd.Timestamp:
    """The store's today: its newest quote or note, whichever is later."""
    latest = latest_activity_date(session) or dt.date.min
    newest = max(pd.Timestamp(latest), notes["created_at"].max())
    return newest.normalize() + pd.Timedelta(days=1)


def _answer(name: str, notes: pd.DataFrame, as_of, source: str) -> ToolResult:
    from analytics.text import recent_shift, tone_trend

    shift = recent_shift(notes, as_of, RECENT_DAYS)
    trend = tone_trend(notes)
    trend["negative"] = _negative_shares(notes, trend)
    return ToolResult(
        intent="customer_sentiment",
        summary=_summary(name, notes, shift),
        columns=COLUMNS,
        rows=tuple(_row(row) for row in trend.itertuples()),
        notes=(*_quoted(notes), _model_note(source, len(notes))),
        follow_ups=(f"why is {name} flagged?", f"quotes for {name}"),
        chart=_negative_bars(name, trend) if len(trend) > 1 else None,
        data={
            "customer": name,
            "notes": len(notes),
            "overall_tone": round(float(notes["net_tone"].mean()), 3),
            "recent_tone": shift.recent,
            "earlier_tone": shift.before,
            "direction": shift.direction,
            "model": source,
        },
    )


def _summary(name: str, notes: pd.DataFrame, shift) -> str:
    if shift.recent is None:
        return (
            f"{name}: no notes in the last {RECENT_DAYS} days; the "
            f"{len(notes)} earlier ones read {_reading(shift.before)} "
            f"(net tone {shift.before:+.2f} on a scale from -1 to +1)."
        )
    recent = (
        f"{name}: the last {RECENT_DAYS} days of notes read "
        f"{_reading(shift.recent)} (net tone {shift.recent:+.2f} on a scale from "
        f"-1 to +1, {shift.recent_notes} notes)"
    )
    if shift.before is None:
        return recent + "; there are no earlier notes to compare with."
    return (
        f"{recent}, {DIRECTION_WORDS[shift.direction]} ({shift.before:+.2f} over "
        f"{shift.before_notes} earlier notes)."
    )


def _reading(tone: float) -> str:
    if tone >= POSITIVE_FROM:
        return "positive"
    if tone <= -POSITIVE_FROM:
        return "negative"
    return "mixed"


def _negative_shares(notes: pd.DataFrame, trend: pd.DataFrame) -> list[float]:
    quarters = notes["created_at"].dt.to_period("Q").dt.end_time.dt.normalize()
    negative = (notes["tone"] == "negative").groupby(quarters).mean()
    return [float(negative.get(end.normalize(), 0.0)) for end in trend["end"]]


def _row(row) -> dict:
    return {
        "period": row.period,
        "notes": int(row.notes),
        "tone": f"{row.tone:+.2f}",
        "negative": f"{row.negative:.0%}",
        "reading": _reading(row.tone),
    }


def _quoted(notes: pd.DataFrame) -> tuple[str, ...]:
    """The most recent note and the most negative one, shortened."""
    latest = notes.iloc[-1]
    lines = [f"Latest note ({_day(latest)}): “{summarise_note(latest['body'])}”"]
    worst = notes.loc[notes["net_tone"].idxmin()]
    if worst.name != latest.name and worst["tone"] == "negative":
        lines.append(
            f"Most negative ({_day(worst)}): “{summarise_note(worst['body'])}”"
        )
    return tuple(lines)


def _day(note) -> str:
    about = f", on {note['quote_number']}" if pd.notna(note["quote_number"]) else ""
    return f"{note['created_at']:%d %b %Y}{about}"


def _model_note(source: str, count: int) -> str:
    return (
        f"Tone of {count} notes read by MiniLM sentence embeddings with a logistic "
        f"regression ({source}); net tone is the chance a note reads positive "
        "minus the chance it reads negative, a score rather than a percentage."
    )


def _negative_bars(name: str, trend: pd.DataFrame) -> Chart:
    return Chart(
        kind="bars",
        title=f"Share of notes about {name} that read negative",
        alt_text=(
            f"Bar chart of the share of negative notes about {name} in each of "
            f"{len(trend)} quarters, oldest at the top."
        ),
        data={
            "labels": trend["period"].tolist(),
            "values": [round(v, 4) for v in trend["negative"]],
            "format": "percent",
        },
    )


def train_sentiment(session: Session) -> ModelRecord:
    """Fit the note sentiment model on every labelled note and register it.

    Metrics are the held-out comparison with the tone-word baseline
    (``analytics.text.evaluate_sentiment``); the artifact is JSON.
    """
    from analytics.text import evaluate_sentiment, load_labelled_notes
    from storage.registry import register_model

    evaluation = evaluate_sentiment()
    model = _model_from_labelled_notes()
    artifact_format, artifact = model.to_artifact()
    record = register_model(
        session,
        name=SENTIMENT_MODEL,
        model_type=model.name,
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint_frame(load_labelled_notes()),
        metrics=evaluation,
        params={"C": model.C, "lexicon_weight": model.lexicon_weight},
    )
    logger.info(
        "trained note sentiment %s on %s notes; held-out macro F1 %s (lexicon %s)",
        model.name,
        model.n_training_notes_,
        evaluation["models"][model.name]["f1"],
        evaluation["models"]["lexicon"]["f1"],
    )
    return record


def evaluate_sentiment_section(session: Session) -> dict:
    """The ``sentiment`` section of ``quotebot evaluate``.

    Every model against the tone-word baseline on the held-out labelled
    notes, and, in a demo store, on the demo notes whose tone the generator
    recorded (``demo_notes``), which no model saw.
    """
    from analytics.text import evaluate_sentiment
    from storage.queries import demo_note_tones

    return evaluate_sentiment(demo_note_tones(session))
