"""How far the models' predictions were from what happened.

``record_performance`` scores a model over every logged prediction that has an
actual (see ``storage.prediction_log``, whose functions this module re-exports)
and keeps the result, so ``performance_history`` shows the trend and
``model_health`` sums up every registered model for the ``model_health`` answer.

Every function reads or writes with a few set-based statements inside the
caller's transaction and never commits.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.models import MLModel, ModelPerformance, Prediction, utcnow
from storage.prediction_log import (
    backfill_actuals,
    latest_scores,
    log_predictions,
    log_scores,
)

__all__ = [
    "backfill_actuals",
    "latest_scores",
    "log_predictions",
    "log_scores",
    "model_health",
    "performance_history",
    "record_performance",
]

logger = logging.getLogger(__name__)

PERFORMANCE_COLUMNS = [
    "model_name",
    "model_version",
    "evaluated_at",
    "n_predictions",
    "mae",
    "rmse",
    "mape",
]


def record_performance(session: Session, model_name: str) -> ModelPerformance | None:
    """Score ``model_name`` over every prediction that has an actual.

    Stores and returns a ``model_performance`` row with MAE, RMSE and MAPE (a
    fraction, as scikit-learn reports it, over non-zero actuals only; None when
    every actual is zero), and the newest model version among the predictions.
    Returns None, storing nothing, while no prediction has an actual.
    """
    row = session.execute(_error_aggregates(model_name)).one()
    if not row.n:
        logger.info("no actuals yet for %s; performance not recorded", model_name)
        return None

    performance = ModelPerformance(
        model_name=model_name,
        model_version=row.version,
        evaluated_at=utcnow(),
        n_predictions=row.n,
        mae=float(row.mae),
        rmse=math.sqrt(max(float(row.mse), 0.0)),
        mape=None if row.mape is None else float(row.mape),
    )
    session.add(performance)
    session.flush()

    logger.info(
        "model %s v%s: MAE %.4g, RMSE %.4g over %s predictions",
        model_name,
        row.version,
        performance.mae,
        performance.rmse,
        row.n,
    )
    return performance


def performance_history(
    session: Session, model_name: str | None = None
) -> pd.DataFrame:
    """Recorded performance, oldest first (of ``model_name`` only, if given).

    Columns: ``model_name, model_version, evaluated_at, n_predictions, mae,
    rmse, mape``.
    """
    columns = [getattr(ModelPerformance, column) for column in PERFORMANCE_COLUMNS]
    stmt = select(*columns).order_by(ModelPerformance.evaluated_at, ModelPerformance.id)
    if model_name is not None:
        stmt = stmt.where(ModelPerformance.model_name == model_name)

    frame = pd.DataFrame(session.execute(stmt).all(), columns=PERFORMANCE_COLUMNS)
    frame["evaluated_at"] = pd.to_datetime(frame["evaluated_at"])
    return frame


def model_health(session: Session) -> list[dict[str, Any]]:
    """One summary per registered model name, in name order.

    Keys: ``model_name``, ``version`` (the latest), ``model_type``,
    ``trained_at``, ``metrics`` (stored with that version), ``performance``
    (the latest recorded row as a dict, or None) and ``awaiting_actuals``
    (predictions with a target date and no actual yet).
    """
    latest = _latest_models(session)
    performance = _latest_performance(session)
    awaiting = _awaiting_actuals(session)
    return [
        {
            "model_name": model.name,
            "version": model.version,
            "model_type": model.model_type,
            "trained_at": model.created_at,
            "metrics": model.metrics,
            "performance": performance.get(model.name),
            "awaiting_actuals": awaiting.get(model.name, 0),
        }
        for model in latest
    ]


# --- helpers ----------------------------------------------------------------


def _error_aggregates(model_name: str):
    error = Prediction.predicted_value - Prediction.actual_value
    relative = case(
        (Prediction.actual_value != 0, func.abs(error / Prediction.actual_value))
    )
    return (
        select(
            func.count().label("n"),
            func.avg(func.abs(error)).label("mae"),
            func.avg(error * error).label("mse"),
            func.avg(relative).label("mape"),
            func.max(MLModel.version).label("version"),
        )
        .select_from(Prediction)
        .outerjoin(MLModel, Prediction.model_id == MLModel.id)
        .where(
            Prediction.model_name == model_name, Prediction.actual_value.is_not(None)
        )
    )


def _latest_models(session: Session) -> list:
    newest = (
        select(MLModel.name, func.max(MLModel.version).label("version"))
        .group_by(MLModel.name)
        .subquery()
    )
    stmt = (
        select(
            MLModel.name,
            MLModel.version,
            MLModel.model_type,
            MLModel.created_at,
            MLModel.metrics,
        )
        .join(
            newest,
            (MLModel.name == newest.c.name) & (MLModel.version == newest.c.version),
        )
        .order_by(MLModel.name)
    )
    return session.execute(stmt).all()


def _latest_performance(session: Session) -> dict[str, dict[str, Any]]:
    newest = select(func.max(ModelPerformance.id)).group_by(ModelPerformance.model_name)
    columns = [getattr(ModelPerformance, column) for column in PERFORMANCE_COLUMNS]
    rows = session.execute(select(*columns).where(ModelPerformance.id.in_(newest)))
    return {row.model_name: dict(row._mapping) for row in rows}


def _awaiting_actuals(session: Session) -> dict[str, int]:
    stmt = (
        select(Prediction.model_name, func.count())
        .where(Prediction.target_date.is_not(None), Prediction.actual_value.is_(None))
        .group_by(Prediction.model_name)
    )
    return {name: count for name, count in session.execute(stmt)}
