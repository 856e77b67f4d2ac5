"""``quotebot evaluate``: every model measured against its baselines, freshly.

Each section is computed on the store's current data with the same backtests
that training uses, and keeps a stable shape that other checks read.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import quote_history
from tools.anomalies import evaluate_quote_anomalies
from tools.customer_training import CHURN_WINDOW_DAYS, CLV_HORIZON_DAYS
from tools.forecast_scopes import BUSINESS, scope_series
from tools.recommend_training import evaluate_recommendation_section
from tools.sentiment import evaluate_sentiment_section
from tools.training import BACKTEST_FOLDS, BACKTEST_HORIZON_DAYS, holiday_options


def evaluate_models(session: Session, country: str | None = None) -> dict[str, dict]:
    """Sections by model family: forecast, churn, clv, segments, pricing,
    anomalies, recommendations, sentiment."""
    quotes = quote_history(session)
    return {
        "forecast": evaluate_forecasts(session, country),
        "churn": evaluate_churn_models(quotes),
        "clv": evaluate_clv_models(quotes),
        "segments": evaluate_customer_segments(quotes),
        "pricing": evaluate_pricing_section(session),
        "anomalies": evaluate_quote_anomalies(session),
        "recommendations": evaluate_recommendation_section(session),
        "sentiment": evaluate_sentiment_section(session),
    }


def evaluate_forecasts(session: Session, country: str | None = None) -> dict:
    """Rolling-origin backtests of every forecaster on the business's revenue."""
    from analytics.forecasting import compare_models

    y = scope_series(quote_history(session), BUSINESS)
    comparison = compare_models(
        y, BACKTEST_HORIZON_DAYS, BACKTEST_FOLDS, **holiday_options(country)
    )
    return comparison.to_dict()


def evaluate_churn_models(quotes: pd.DataFrame) -> dict:
    """Rules, XGBoost and the neural net on a later cutoff none of them saw."""
    from analytics.churn import evaluate_churn

    return evaluate_churn(quotes, CHURN_WINDOW_DAYS)


def evaluate_clv_models(quotes: pd.DataFrame) -> dict:
    """BG/NBD, boosting and the naive baseline on a 90-day holdout."""
    from analytics.clv import evaluate_clv, orders_from_quotes

    return evaluate_clv(orders_from_quotes(quotes), CLV_HORIZON_DAYS)


def evaluate_customer_segments(quotes: pd.DataFrame) -> dict:
    """The chosen number of segments, its separation scores and its stability."""
    from analytics.segments import evaluate_segments

    return evaluate_segments(quotes)


def evaluate_pricing_section(session: Session) -> dict:
    """Thompson sampling's regret against the oracle, today's discounts and jitter."""
    from tools.pricing_evaluation import evaluate_pricing_policies

    return evaluate_pricing_policies(session)
