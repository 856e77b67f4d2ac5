"""The prediction log: forecasts per target date and batch scores per entity.

Forecasts are logged per target date with ``log_predictions`` and their actuals
filled in later with ``backfill_actuals``, for ``storage.monitoring`` to score.
Batch scores (churn probability per customer, say) are stored with
``log_scores``, replacing the previous batch, so a list answer is a query
(``latest_scores``) rather than a model fit.

Every function reads or writes with a few set-based statements inside the
caller's transaction and never commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from storage.errors import StorageError
from storage.frames import json_safe
from storage.models import Prediction, utcnow
from storage.registry import ModelRecord

logger = logging.getLogger(__name__)

VALUE_COLUMN = "yhat"
BOUND_COLUMNS = ("lower_80", "upper_80")
UPDATE_CHUNK = 500

SCORE_COLUMNS = ["entity_id", "predicted_value", "details", "created_at"]


def log_predictions(
    session: Session,
    *,
    model: ModelRecord | None,
    model_name: str,
    entity_type: str,
    entity_id: str,
    forecast: pd.DataFrame,
    details: dict[str, Any] | None = None,
) -> int:
    """Log a forecast of one entity, one ``predictions`` row per target date.

    ``forecast`` is indexed by target date with a ``yhat`` column and optional
    ``lower_80``/``upper_80`` (stored as ``lower``/``upper``). Each row's
    ``details`` JSON holds ``details`` plus that date's other columns, such as
    ``lower_95``/``upper_95``. Returns the number of rows written.
    """
    _check_model(model, model_name)
    rows = _forecast_rows(forecast, details or {})
    if not rows:
        return 0
    common = _common_values(model, model_name, entity_type)

    session.execute(
        insert(Prediction),
        [{**common, "entity_id": str(entity_id), **row} for row in rows],
    )
    logger.debug(
        "logged %s predictions of %s for %s %s",
        len(rows),
        model_name,
        entity_type,
        entity_id,
    )
    return len(rows)


def log_scores(
    session: Session,
    *,
    model: ModelRecord | None,
    model_name: str,
    entity_type: str,
    scores: pd.Series,
    details: dict[str, dict[str, Any]] | None = None,
) -> int:
    """Replace the batch scores of ``model_name`` for ``entity_type``.

    ``scores`` is indexed by entity id; ``details`` maps an entity id to the
    JSON kept with its score (the reasons behind a churn risk, say). The rows
    have no target date. Returns the number of rows written.
    """
    _check_model(model, model_name)
    rows = _score_rows(scores, details or {})
    common = _common_values(model, model_name, entity_type)

    session.execute(
        delete(Prediction)
        .where(
            Prediction.model_name == model_name,
            Prediction.entity_type == entity_type,
            Prediction.target_date.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    if rows:
        session.execute(insert(Prediction), [{**common, **row} for row in rows])

    logger.info("stored %s %s scores of %s", len(rows), entity_type, model_name)
    return len(rows)


def latest_scores(session: Session, model_name: str, entity_type: str) -> pd.DataFrame:
    """The latest batch scores: ``entity_id, predicted_value, details, created_at``.

    Ordered by score, highest first (then by entity id); empty when none.
    """
    batch = (
        select(func.max(Prediction.created_at))
        .where(*_score_filter(model_name, entity_type))
        .scalar_subquery()
    )
    stmt = (
        select(*(getattr(Prediction, column) for column in SCORE_COLUMNS))
        .where(*_score_filter(model_name, entity_type), Prediction.created_at == batch)
        .order_by(Prediction.predicted_value.desc(), Prediction.entity_id)
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=SCORE_COLUMNS)
    frame["predicted_value"] = frame["predicted_value"].astype(float)
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


@dataclass(frozen=True)
class ServedForecast:
    """The totals of the forecast batch last served under one model prefix."""

    model_name: str
    created_at: dt.datetime
    first: dt.date
    last: dt.date
    total: float
    lower: float | None
    upper: float | None


def latest_served_forecast(
    session: Session, model_prefix: str, entity_type: str, entity_id: str
) -> ServedForecast | None:
    """The newest forecast logged for the entity by any model under ``model_prefix``.

    Summed over its target dates, so a Home tab or a digest reads one line
    rather than the daily rows; None when nothing was served yet.
    """
    served = _forecast_filter(model_prefix, entity_type, entity_id)
    latest = session.execute(
        select(Prediction.model_name, Prediction.created_at)
        .where(*served)
        .order_by(Prediction.created_at.desc(), Prediction.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None

    total, lower, upper, first, last = session.execute(
        select(
            func.sum(Prediction.predicted_value),
            func.sum(Prediction.lower),
            func.sum(Prediction.upper),
            func.min(Prediction.target_date),
            func.max(Prediction.target_date),
        ).where(
            *served,
            Prediction.model_name == latest.model_name,
            Prediction.created_at == latest.created_at,
        )
    ).one()
    return ServedForecast(
        latest.model_name, latest.created_at, first, last, total, lower, upper
    )


def backfill_actuals(
    session: Session,
    *,
    model_name: str,
    entity_type: str,
    entity_id: str,
    actuals: pd.Series,
) -> int:
    """Fill in the actual values of an entity's predictions, by target date.

    ``actuals`` is indexed by date; missing values are skipped. Only predictions
    without an actual yet are touched. Returns the number of rows updated.
    """
    by_date = _actuals_by_date(actuals)
    dates = list(by_date)
    updated = 0
    for start in range(0, len(dates), UPDATE_CHUNK):
        chunk = {day: by_date[day] for day in dates[start : start + UPDATE_CHUNK]}
        stmt = _backfill_statement(model_name, entity_type, str(entity_id), chunk)
        updated += session.execute(stmt).rowcount

    logger.debug(
        "filled %s actuals of %s for %s %s", updated, model_name, entity_type, entity_id
    )
    return updated


# --- helpers ----------------------------------------------------------------


def _check_model(model: ModelRecord | None, model_name: str) -> None:
    if model is not None and model.name != model_name:
        raise StorageError(
            f"Model {model.name!r} v{model.version} was passed for predictions of "
            f"{model_name!r}; pass the model whose name is {model_name!r}, or None."
        )


def _common_values(
    model: ModelRecord | None, model_name: str, entity_type: str
) -> dict[str, Any]:
    return {
        "model_id": None if model is None else model.id,
        "model_name": model_name,
        "entity_type": entity_type,
        "created_at": utcnow(),
    }


def _forecast_rows(forecast: pd.DataFrame, details: dict[str, Any]) -> list[dict]:
    if VALUE_COLUMN not in forecast.columns:
        raise StorageError(
            f"The forecast has no {VALUE_COLUMN!r} column (it has "
            f"{', '.join(map(str, forecast.columns)) or 'none'}); pass a frame indexed "
            "by target date with 'yhat' and optional 'lower_80'/'upper_80' columns."
        )
    dates = _target_dates(forecast.index)
    values = _finite(forecast[VALUE_COLUMN], "forecast's yhat values")
    lower, upper = (_optional_column(forecast, column) for column in BOUND_COLUMNS)
    extras = forecast.drop(columns=[VALUE_COLUMN, *BOUND_COLUMNS], errors="ignore")

    return [
        {
            "target_date": day,
            "predicted_value": value,
            "lower": low,
            "upper": high,
            "details": json_safe({**details, **extra}),
        }
        for day, value, low, high, extra in zip(
            dates, values, lower, upper, extras.to_dict("records"), strict=True
        )
    ]


def _optional_column(frame: pd.DataFrame, column: str) -> list[float | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [json_safe(value) for value in frame[column].astype(float)]


def _score_rows(scores: pd.Series, details: dict[str, dict[str, Any]]) -> list[dict]:
    entity_ids = pd.Index([str(entity_id) for entity_id in scores.index])
    duplicated = entity_ids[entity_ids.duplicated()].unique().tolist()
    if duplicated:
        raise StorageError(
            f"The scores name some entities twice ({', '.join(duplicated[:5])}); "
            "pass one score per entity."
        )
    values = _finite(scores, "scores")
    by_id = {str(entity_id): extra for entity_id, extra in details.items()}
    return [
        {
            "entity_id": entity_id,
            "target_date": None,
            "predicted_value": value,
            "details": json_safe(by_id.get(entity_id, {})),
        }
        for entity_id, value in zip(entity_ids, values, strict=True)
    ]


def _finite(values: pd.Series, what: str) -> list[float]:
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    bad = numbers.index[~numbers.map(math.isfinite)]
    if len(bad):
        raise StorageError(
            f"The {what} are missing or not finite at {', '.join(map(str, bad[:5]))}; "
            "drop those rows or fill them before logging."
        )
    return numbers.tolist()


def _target_dates(index: pd.Index) -> list[dt.date]:
    try:
        dates = pd.DatetimeIndex(index)
    except (TypeError, ValueError) as error:
        raise StorageError(
            "The forecast index must hold target dates; set the date column as "
            f"the index (got {index.dtype} values such as {index[:1].tolist()})."
        ) from error
    if dates.hasnans:
        raise StorageError("The forecast index has missing dates; drop those rows.")
    return [timestamp.date() for timestamp in dates]


def _actuals_by_date(actuals: pd.Series) -> dict[dt.date, float]:
    present = pd.to_numeric(actuals, errors="coerce").dropna()
    dates = _target_dates(present.index)
    return dict(zip(dates, present.astype(float).tolist(), strict=True))


def _backfill_statement(
    model_name: str, entity_type: str, entity_id: str, actuals: dict[dt.date, float]
):
    return (
        update(Prediction)
        .where(
            Prediction.model_name == model_name,
            Prediction.entity_type == entity_type,
            Prediction.entity_id == entity_id,
            Prediction.target_date.in_(list(actuals)),
            Prediction.actual_value.is_(None),
        )
        .values(actual_value=case(actuals, value=Prediction.target_date))
        .execution_options(synchronize_session=False)
    )


def _forecast_filter(model_prefix: str, entity_type: str, entity_id: str) -> list:
    return [
        Prediction.model_name.like(f"{model_prefix}.%"),
        Prediction.entity_type == entity_type,
        Prediction.entity_id == entity_id,
        Prediction.target_date.is_not(None),
    ]


def _score_filter(model_name: str, entity_type: str) -> list:
    return [
        Prediction.model_name == model_name,
        Prediction.entity_type == entity_type,
        Prediction.target_date.is_(None),
    ]
