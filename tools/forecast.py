"""The revenue forecast answer: the stored model with the best backtest, honestly."""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import latest_activity_date, quote_history, quote_lines
from storage.registry import ModelRecord, latest_model, list_models
from tools.errors import NotEnoughDataError, ToolError
from tools.forecast_scopes import (
    BUSINESS,
    ForecastScope,
    category_scope,
    region_scope,
    rep_scope,
    scope_series,
)
from tools.money import book_currency, money_formatter
from tools.people import Requester, account_scope
from tools.results import Chart, Column, ToolResult
from tools.training import backtest_history_days

logger = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 90
MAX_HORIZON_DAYS = 365
HISTORY_SHOWN_DAYS = 180
COLUMNS = (
    Column("period", "Period"),
    Column("forecast", "Forecast"),
    Column("range_80", "80% range"),
)


def revenue_forecast(
    session: Session,
    requester: Requester,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    model: str = "auto",
    scope: str | None = None,
    region: str | None = None,
    category: str | None = None,
) -> ToolResult:
    """Forecast booked revenue for the next ``horizon_days`` days, with intervals.

    Use for "what will we sell next quarter", "forecast revenue for 60 days",
    "EMEA revenue next month", "forecast Hardware sales". Reps get their own
    book; managers the business, or one ``region`` or product ``category``.
    ``model`` is "auto" (the stored model with the best backtest), "all" (a
    comparison of every model's backtest) or one of seasonal_naive, linear,
    prophet, lstm, ensemble. The answer says which model answered and how it
    did in backtests.
    """
    forecast_scope, scope_note = _forecast_scope(
        session, requester, scope, region, category
    )
    if model == "all":
        return compare_forecast_models(session, forecast_scope)
    horizon_days = max(1, min(int(horizon_days), MAX_HORIZON_DAYS))
    book = quote_history(session)
    lines = quote_lines(session) if forecast_scope.needs_lines else None
    history = pd.Series() if book.empty else scope_series(book, forecast_scope, lines)
    candidates = _stored_models(session, forecast_scope, model)
    currency = book_currency(book)
    notes = (scope_note,) if scope_note else ()
    if not candidates:
        return _baseline_answer(
            forecast_scope, history, horizon_days, model, currency, notes
        )
    today = pd.Timestamp(latest_activity_date(session))
    record, forecast, skipped = _first_forecast(candidates, today, horizon_days)
    _log(session, record, forecast_scope, forecast)
    return _answer(forecast_scope, record, history, forecast, currency, notes + skipped)


def _first_forecast(candidates: list[ModelRecord], today, horizon_days: int):
    """The best-backtested model that reaches this far ahead, and notes on the rest."""
    from analytics.forecasting import HorizonError

    notes = []
    for record in candidates:
        try:
            return record, _predict(record, today, horizon_days), tuple(notes)
        except HorizonError as error:
            notes.append(f"{record.model_type} was skipped: {error}")
    raise NotEnoughDataError(
        f"No trained model forecasts {horizon_days} days ahead; ask for fewer days."
    )


def _forecast_scope(
    session, requester: Requester, asked: str | None, region=None, category=None
) -> tuple[ForecastScope, str | None]:
    """The slice to forecast, and a note when the asker may not see the one asked."""
    accounts = account_scope(session, requester, asked)
    sliced = region or category
    if accounts.rep_ids == [requester.rep_id]:
        note = accounts.note
        if sliced:
            note = (
                f"Forecasts for {sliced} cover every rep's accounts, so only "
                "managers see them; this covers your book."
            )
        return rep_scope(requester.rep_id, requester.name), note
    if region:
        return region_scope(_known(session, "region", region)), None
    if category:
        return category_scope(_known(session, "category", category)), None
    return BUSINESS, None


def _known(session, kind: str, typed: str) -> str:
    """The store's spelling of a region or category, or a ToolError naming them."""
    from tools.names import store_vocabulary

    vocabulary = store_vocabulary(session)
    names = vocabulary.regions if kind == "region" else vocabulary.categories
    for name in names:
        if name.lower() == typed.strip().lower():
            return name
    listed = ", ".join(sorted(names)[:12]) or "none recorded"
    raise ToolError(f"No {kind} is called '{typed}'. Known {kind}s: {listed}.")


def _stored_models(session, scope: ForecastScope, model: str) -> list[ModelRecord]:
    """The named model's latest version, or every model's, best backtest first."""
    if model not in ("auto", None):
        record = latest_model(session, scope.model_name(model))
        return [record] if record else []
    records = _latest_models(session, scope)
    scored = [r for r in records if r.metrics.get("mase") is not None]
    return sorted(scored, key=lambda r: r.metrics["mase"])


def _latest_models(session, scope: ForecastScope) -> list[ModelRecord]:
    """The latest version of every forecasting model trained for ``scope``."""
    prefix = scope.model_prefix + "."
    names = {r.name for r in list_models(session) if r.name.startswith(prefix)}
    return [latest_model(session, name) for name in sorted(names)]


def _predict(record: ModelRecord, today: pd.Timestamp, horizon_days: int):
    """The ``horizon_days`` after ``today``, forecast from the end of training."""
    from analytics.forecasting import load_forecaster

    forecaster = load_forecaster(
        record.model_type, record.artifact_format, record.artifact
    )
    trained_until = pd.Timestamp(record.metrics["trained_until"])
    gap = max(0, (today - trained_until).days)
    forecast = forecaster.predict(gap + horizon_days)
    return forecast.iloc[gap:]


def _log(session, record: ModelRecord, scope: ForecastScope, forecast) -> None:
    from storage.monitoring import log_predictions

    log_predictions(
        session,
        model=record,
        model_name=record.name,
        entity_type=scope.entity_type,
        entity_id=scope.entity_id,
        forecast=forecast,
    )


def _answer(scope, record, history, forecast, currency: str, notes=()) -> ToolResult:
    from analytics.forecasting import describe_accuracy

    money = money_formatter(currency)
    days = len(forecast)
    total = forecast["yhat"].sum()
    low, high = forecast["lower_80"].sum(), forecast["upper_80"].sum()
    accuracy = describe_accuracy(record.model_type, record.metrics) if record else ""
    first, last = forecast.index[0], forecast.index[-1]
    summary = (
        f"Forecast for the next {days} days ({scope.label}, {first:%d %b} to "
        f"{last:%d %b %Y}): {money(total)}, likely between {money(low)} and "
        f"{money(high)}."
    )
    return ToolResult(
        intent="revenue_forecast",
        summary=f"{summary} Model: {accuracy}" if accuracy else summary,
        columns=COLUMNS,
        rows=_period_rows(forecast, money),
        notes=tuple(notes) + _staleness(record, history) + (_RANGE_NOTE,),
        follow_ups=("compare all forecast models", "what's my churn risk list"),
        chart=_chart(scope, history, forecast, days),
        data={
            "model": record.model_type if record else "seasonal_naive",
            "model_version": record.version if record else None,
            "total": round(float(total), 2),
            "lower_80": round(float(low), 2),
            "upper_80": round(float(high), 2),
            "backtest": {k: record.metrics.get(k) for k in _BACKTEST_KEYS}
            if record
            else None,
        },
    )


_BACKTEST_KEYS = ("mase", "mape", "coverage_80", "coverage_95")
_RANGE_NOTE = (
    "Ranges add up each day's 80% interval, so they are on the cautious (wide) side."
)


def _baseline_answer(
    scope, history, horizon_days: int, model: str, currency: str, notes=()
):
    """No trained model: the baseline forecast, labelled, and what a model needs."""
    from analytics.forecasting import ForecastError, baseline_only_forecast

    try:
        baseline = baseline_only_forecast(history, horizon_days)
    except ForecastError as error:
        raise NotEnoughDataError(
            f"There is no booked revenue for {scope.label} to forecast from ({error})."
        ) from error
    needed = backtest_history_days()
    if len(history) < needed:
        why = (
            f"A backtested forecast needs at least {needed} days of history; "
            f"{scope.label} has {len(history)}."
        )
    else:
        asked = "" if model in ("auto", "all", None) else f"No trained {model} model. "
        why = f"{asked}Run `quotebot train` to fit and compare the models."
    notes = (*notes, f"{baseline.note} {why}")
    return _answer(scope, None, history, baseline.forecast, currency, notes=notes)


def _staleness(record: ModelRecord | None, history: pd.Series) -> tuple[str, ...]:
    if record is None or not len(history):
        return ()
    trained_until = pd.Timestamp(record.metrics["trained_until"])
    if (history.index[-1] - trained_until).days <= 14:
        return ()
    return (
        f"The model was trained on data up to {trained_until:%d %b %Y}; "
        "run `quotebot train` to refresh it.",
    )


def _period_rows(forecast: pd.DataFrame, money) -> tuple[dict, ...]:
    rule = "W-SUN" if len(forecast) <= 42 else "MS"
    totals = forecast[["yhat", "lower_80", "upper_80"]].resample(rule).sum()
    label = "Week of %d %b" if rule == "W-SUN" else "%B %Y"
    starts = forecast.index.to_series().resample(rule).min()
    return tuple(
        {
            "period": start.strftime(label),
            "forecast": money(row.yhat),
            "range_80": f"{money(row.lower_80)} to {money(row.upper_80)}",
        }
        for start, row in zip(starts, totals.itertuples(), strict=True)
    )


def _chart(scope, history: pd.Series, forecast: pd.DataFrame, days: int) -> Chart:
    weekly_history = history.iloc[-HISTORY_SHOWN_DAYS:].resample("W-SUN").sum()
    weekly = forecast.resample("W-SUN").sum()
    return Chart(
        kind="forecast",
        title=f"Weekly revenue, next {days} days ({scope.label})",
        alt_text=(
            f"Line chart of weekly booked revenue over the last {HISTORY_SHOWN_DAYS} "
            f"days and the forecast for the next {days}, with 80% and 95% bands."
        ),
        data={
            "history": {
                "dates": [d.date().isoformat() for d in weekly_history.index],
                "values": weekly_history.round(2).tolist(),
            },
            "forecast": {
                "dates": [d.date().isoformat() for d in weekly.index],
                **{c: weekly[c].round(2).tolist() for c in _BANDS},
            },
        },
    )


_BANDS = ("yhat", "lower_80", "upper_80", "lower_95", "upper_95")


def compare_forecast_models(
    session: Session, forecast_scope: ForecastScope
) -> ToolResult:
    """Every stored forecasting model of one scope side by side, by latest backtest."""
    records = _latest_models(session, forecast_scope)
    if not records:
        raise NotEnoughDataError(
            f"No forecasting models are trained for {forecast_scope.label} yet; "
            "run `quotebot train` first."
        )
    records.sort(key=lambda r: (r.metrics.get("mase") is None, r.metrics.get("mase")))
    return ToolResult(
        intent="revenue_forecast",
        summary=(
            f"Backtests of every forecasting model for {forecast_scope.label} "
            f"({records[0].metrics.get('horizon_days')} days ahead); lower MASE is "
            f"better and below the seasonal naive's means it beats the baseline."
        ),
        columns=_COMPARISON_COLUMNS,
        rows=tuple(_comparison_row(record, records[0]) for record in records),
        follow_ups=("forecast revenue for the next 90 days",),
    )


_COMPARISON_COLUMNS = (
    Column("model", "Model"),
    Column("mase", "MASE"),
    Column("mape", "MAPE"),
    Column("coverage_80", "80% held"),
    Column("coverage_95", "95% held"),
    Column("fit_seconds", "Fit (s)"),
)


def _comparison_row(record: ModelRecord, best: ModelRecord) -> dict:
    metrics = record.metrics

    def share(key: str) -> str:
        return "n/a" if metrics.get(key) is None else f"{metrics[key]:.0%}"

    marker = " (served)" if record is best else ""
    return {
        "model": f"{record.model_type}{marker}",
        "mase": "n/a" if metrics.get("mase") is None else f"{metrics['mase']:.2f}",
        "mape": share("mape"),
        "coverage_80": share("coverage_80"),
        "coverage_95": share("coverage_95"),
        "fit_seconds": f"{metrics.get('fit_seconds') or 0:.1f}",
    }
