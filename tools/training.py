"""Training outside the request path: fit, backtest, register, monitor.

``quotebot train`` calls ``train_forecasts``. For the whole business, each
rep's book and each sizeable region and product category (see
``tools.forecast_scopes``) it backtests the forecasting models on the same
rolling origins, fits each one on the full history and registers it with its
backtest metrics, so a forecast answer only loads the model with the best
backtest. It then fills in the actuals of forecasts served earlier and scores
them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import quote_history, quote_lines, revenue_by_country
from storage.registry import ModelRecord, fingerprint_frame, register_model
from tools.forecast_scopes import (
    BUSINESS,
    ForecastScope,
    category_scopes,
    region_scopes,
    rep_scopes,
    scope_by_prefix,
    scope_series,
)

logger = logging.getLogger(__name__)

BACKTEST_HORIZON_DAYS = 28
BACKTEST_FOLDS = 4
# Reps, regions and categories: the models that fit in seconds.
SLICE_MODELS = ("seasonal_naive", "linear", "prophet")
HOLIDAY_COUNTRY_SHARE = 0.8
# Models with a fixed reach (the LSTM) are refitted on all data to reach this far.
SERVED_HORIZON_DAYS = 120

Progress = Callable[[str], None]


def holiday_country(session: Session) -> str | None:
    """The ISO code of the country booking most of the revenue, if one does.

    Prophet models the public holidays of one country. When customers in a
    single country book at least ``HOLIDAY_COUNTRY_SHARE`` of the revenue and
    its holidays are known, that country's code; otherwise None.
    """
    from holidays.registry import COUNTRIES

    revenue = revenue_by_country(session)
    if revenue.empty or revenue.iloc[0] < HOLIDAY_COUNTRY_SHARE * revenue.sum():
        return None
    wanted = re.sub(r"[^a-z]", "", str(revenue.index[0]).lower())
    for class_name, code, alpha3, *_ in COUNTRIES.values():
        if wanted in (class_name.lower(), code.lower(), alpha3.lower()):
            return code
    return None


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
    """Backtest, fit and register forecasters for the business and each slice.

    ``models`` limits the forecasters tried (default: all for the business,
    ``SLICE_MODELS`` for each rep, region and category); ``country`` (ISO code
    such as "GB") adds its public holidays to the models that use them. A
    slice with too little history to backtest is skipped and logged. Returns
    the business comparison as ``ComparisonResult.to_dict()`` plus the names
    of the models registered.
    """
    from analytics.forecasting import TooLittleHistoryError

    progress = progress or (lambda _phase: None)
    book, lines = quote_history(session), quote_lines(session)
    registered: list[ModelRecord] = []

    progress(f"forecasting {BUSINESS.label}")
    y = scope_series(book, BUSINESS, lines)
    business = _train_scope(session, y, BUSINESS, models, country, registered)
    for scope in _slices(book, lines):
        progress(f"forecasting {scope.label}")
        y = scope_series(book, scope, lines)
        names = models or SLICE_MODELS
        try:
            _train_scope(session, y, scope, names, country, registered)
        except TooLittleHistoryError as error:
            logger.info("skipped forecasts for %s: %s", scope.label, error)
    backfill_forecast_actuals(session, book, lines)
    return {**business, "registered": [f"{r.name} v{r.version}" for r in registered]}


def _slices(book: pd.DataFrame, lines: pd.DataFrame) -> Iterator[ForecastScope]:
    yield from rep_scopes(book)
    yield from region_scopes(book)
    yield from category_scopes(lines)


def _train_scope(session, y, scope, names, country, registered) -> dict:
    from analytics.forecasting import compare_models

    comparison = compare_models(
        y,
        BACKTEST_HORIZON_DAYS,
        BACKTEST_FOLDS,
        names=list(names) if names else None,
        **holiday_options(country),
    )
    fingerprint = fingerprint_frame(y.to_frame())
    fitted = {}
    for name, result in comparison.results.items():
        model = fitted[name] = _fit_for_serving(name, y, country, fitted)
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


def _fit_for_serving(name: str, y: pd.Series, country, fitted: dict):
    """``name`` fitted on all of ``y``, reaching as far ahead as its history allows.

    Models with a fixed reach (the LSTM, and an ensemble holding it) are
    fitted to forecast ``SERVED_HORIZON_DAYS`` ahead, or, when the history is
    too short for that, the ``BACKTEST_HORIZON_DAYS`` they were tested on.
    The ensemble reuses the components fitted just before it.
    """
    from analytics.forecasting import TooLittleHistoryError

    try:
        return _fit_reaching(name, y, country, fitted, SERVED_HORIZON_DAYS)
    except TooLittleHistoryError as error:
        logger.info(
            "%s fitted to reach %s days: %s", name, BACKTEST_HORIZON_DAYS, error
        )
        return _fit_reaching(name, y, country, fitted, BACKTEST_HORIZON_DAYS)


def _fit_reaching(name: str, y: pd.Series, country, fitted: dict, reach: int):
    from analytics.forecasting import make_forecaster

    model = make_forecaster(
        name,
        country=country,
        max_horizon=reach,
        component_options={"lstm": {"max_horizon": reach}},
    )
    return model.fit_reusing(y, fitted) if name == "ensemble" else model.fit(y)


def backfill_forecast_actuals(
    session: Session, book: pd.DataFrame, lines: pd.DataFrame | None = None
) -> int:
    """Fill in the actuals of served forecasts and score each model that has some."""
    from storage.monitoring import backfill_actuals, record_performance
    from storage.registry import list_models

    lines = quote_lines(session) if lines is None else lines
    scopes = scope_by_prefix(book, lines)
    filled = 0
    names = {record.name for record in list_models(session)}
    for name in sorted(n for n in names if n.startswith("revenue_forecast.")):
        scope = scopes.get(name.rsplit(".", 1)[0])
        if scope is None:
            continue
        filled += backfill_actuals(
            session,
            model_name=name,
            entity_type=scope.entity_type,
            entity_id=scope.entity_id,
            actuals=scope_series(book, scope, lines),
        )
        record_performance(session, name)
    logger.info("filled in %d actuals of served forecasts", filled)
    return filled
