"""Training outside the request path: fit, backtest, register, monitor.

``quotebot train`` calls ``train_forecasts``. For the whole business and for
each rep's book it backtests the forecasting models on the same rolling
origins, fits each one on the full history and registers it with its backtest
metrics, so a forecast answer only loads the model with the best backtest. It
then fills in the actuals of forecasts served earlier and scores them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import quote_history
from storage.registry import ModelRecord, fingerprint_frame, register_model

logger = logging.getLogger(__name__)

BACKTEST_HORIZON_DAYS = 28
BACKTEST_FOLDS = 4
REP_MODELS = ("seasonal_naive", "linear", "prophet")
MAX_OPEN_DAYS = 30
# Models with a fixed reach (the LSTM) are refitted on all data to reach this far.
SERVED_HORIZON_DAYS = 120

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ForecastScope:
    """Whose revenue a forecast covers: the business, or one rep's book."""

    entity_type: str
    entity_id: str
    label: str

    @property
    def model_prefix(self) -> str:
        return f"revenue_forecast.{self.entity_type}.{self.entity_id}"

    def model_name(self, model: str) -> str:
        return f"{self.model_prefix}.{model}"


BUSINESS = ForecastScope("business", "all", "the whole business")


def rep_scope(rep_id: int, name: str) -> ForecastScope:
    return ForecastScope("rep", str(rep_id), f"{name}'s book")


def scope_series(book: pd.DataFrame, scope: ForecastScope) -> pd.Series:
    """Daily booked revenue of ``scope``, over the same settled days as the book.

    The series stops at the last settled day (quotes still open after it would
    read as a slump), but never more than ``MAX_OPEN_DAYS`` before the last
    accepted quote, so one forgotten draft cannot hide months of revenue.
    """
    from analytics.forecasting import last_settled_day, revenue_series

    rows = book
    if scope.entity_type == "rep":
        rows = book[book["owner_rep_id"] == int(scope.entity_id)]
    accepted = book[book["status"] == "accepted"]["created_at"]
    if accepted.empty:
        return revenue_series(rows)
    floor = accepted.max().normalize() - pd.Timedelta(days=MAX_OPEN_DAYS)
    end = max(last_settled_day(book), floor)
    return revenue_series(rows, start=accepted.min(), end=end)


def holiday_options(country: str | None) -> dict[str, str]:
    """The backtest option naming the holidays' country, when there is one."""
    return {"country": country} if country else {}


def backtest_history_days() -> int:
    """Days of history the seasonal-naive baseline needs to be backtested."""
    from analytics.forecasting import SeasonalNaiveForecaster
    from analytics.forecasting.backtest import minimum_length

    return minimum_length(
        SeasonalNaiveForecaster(),
        "D",
        BACKTEST_HORIZON_DAYS,
        BACKTEST_FOLDS,
        BACKTEST_HORIZON_DAYS,
    )


def train_forecasts(
    session: Session,
    progress: Progress | None = None,
    models: tuple[str, ...] | None = None,
    country: str | None = None,
) -> dict:
    """Backtest, fit and register forecasters for the business and every rep.

    ``models`` limits the forecasters tried (default: all for the business,
    ``REP_MODELS`` for each rep); ``country`` (ISO code such as "GB") adds
    its public holidays to the models that use them. Returns the business comparison as
    ``ComparisonResult.to_dict()`` plus the names of the models registered.
    """
    progress = progress or (lambda _phase: None)
    book = quote_history(session)
    business = None
    registered: list[ModelRecord] = []

    for scope, names in _scopes(book):
        names = models or names
        progress(f"forecasting {scope.label}")
        comparison = _train_scope(session, book, scope, names, country, registered)
        business = business or comparison
    backfill_forecast_actuals(session, book)
    return {**business, "registered": [f"{r.name} v{r.version}" for r in registered]}


def _scopes(
    book: pd.DataFrame,
) -> Iterator[tuple[ForecastScope, tuple[str, ...] | None]]:
    yield BUSINESS, None
    reps = book.dropna(subset=["owner_rep_id"]).drop_duplicates("owner_rep_id")
    for row in reps.itertuples(index=False):
        yield rep_scope(int(row.owner_rep_id), row.owner), REP_MODELS


def _train_scope(session, book, scope, names, country, registered) -> dict:
    from analytics.forecasting import compare_models, make_forecaster

    y = scope_series(book, scope)
    reach = {"max_horizon": SERVED_HORIZON_DAYS}
    options = {"country": country, **reach, "component_options": {"lstm": reach}}
    comparison = compare_models(
        y,
        BACKTEST_HORIZON_DAYS,
        BACKTEST_FOLDS,
        names=list(names) if names else None,
        **holiday_options(country),
    )
    fingerprint = fingerprint_frame(y.to_frame())
    for name, result in comparison.results.items():
        model = make_forecaster(name, **options).fit(y)
        artifact_format, artifact = model.to_artifact()
        metrics = {
            **result.to_dict(),
            "horizon_days": BACKTEST_HORIZON_DAYS,
            "trained_until": y.index[-1].date().isoformat(),
            "selected": name == comparison.selected,
        }
        registered.append(
            register_model(
                session,
                name=scope.model_name(name),
                model_type=name,
                artifact_format=artifact_format,
                artifact=artifact,
                data_fingerprint=fingerprint,
                metrics=metrics,
                params=model.get_params(),
            )
        )
    logger.info(
        "trained forecasts for %s; selected %s", scope.label, comparison.selected
    )
    return comparison.to_dict()


def backfill_forecast_actuals(session: Session, book: pd.DataFrame) -> int:
    """Fill in the actuals of served forecasts and score each model that has some."""
    from storage.monitoring import backfill_actuals, record_performance
    from storage.registry import list_models

    filled = 0
    names = {record.name for record in list_models(session)}
    for name in sorted(n for n in names if n.startswith("revenue_forecast.")):
        _, entity_type, entity_id, _model = name.split(".", 3)
        scope = ForecastScope(entity_type, entity_id, entity_id)
        actuals = scope_series(book, scope)
        filled += backfill_actuals(
            session,
            model_name=name,
            entity_type=entity_type,
            entity_id=entity_id,
            actuals=actuals,
        )
        record_performance(session, name)
    logger.info("filled in %d actuals of served forecasts", filled)
    return filled
