"""``quotebot evaluate``: every model measured against its baselines, freshly.

Each section is computed on the store's current data with the same backtests
that training uses, and keeps a stable shape that other checks read.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.queries import quote_history
from tools.forecast_scopes import BUSINESS, scope_series
from tools.training import BACKTEST_FOLDS, BACKTEST_HORIZON_DAYS, holiday_options


def evaluate_models(session: Session, country: str | None = None) -> dict[str, dict]:
    """Sections by model family: ``forecast`` and ``segments``."""
    return {
        "forecast": evaluate_forecasts(session, country),
        "segments": evaluate_customer_segments(session),
    }


def evaluate_forecasts(session: Session, country: str | None = None) -> dict:
    """Rolling-origin backtests of every forecaster on the business's revenue."""
    from analytics.forecasting import compare_models

    y = scope_series(quote_history(session), BUSINESS)
    comparison = compare_models(
        y, BACKTEST_HORIZON_DAYS, BACKTEST_FOLDS, **holiday_options(country)
    )
    return comparison.to_dict()


def evaluate_customer_segments(session: Session) -> dict:
    """The chosen number of segments, its separation scores and its stability."""
    from analytics.segments import evaluate_segments

    return evaluate_segments(quote_history(session))
