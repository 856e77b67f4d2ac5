"""Model health: which models are trained, how well they tested, how they do live.

Every model ``quotebot train`` registers carries the metrics of its backtest
or holdout. Forecasts served in answers are logged and, once their dates
pass, scored against what was booked (``storage.monitoring``); that live
error is set beside the backtest. A model is flagged when its live error is
well above its backtest, or when the store has moved on well past the data it
was trained on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from storage.monitoring import model_health as registered_models
from storage.monitoring import performance_history
from storage.queries import latest_activity_date
from tools.errors import NotEnoughDataError
from tools.people import Requester
from tools.results import Column, ToolResult

FORECAST = "revenue_forecast"
BUSINESS_PREFIX = "revenue_forecast.business.all."
# Live error this many times the backtest's is flagged.
WORSE_RATIO = 1.5
# A model trained on data ending this long before the store's newest quote is old.
STALE_AFTER_DAYS = 30
FAMILY_NAMES = {
    "churn": "Churn risk",
    "clv": "Customer value",
    "segments": "Customer segments",
    "anomalies": "Unusual quotes",
    "recommend": "Recommendations",
    "sentiment": "Note sentiment",
    "pricing": "Discount suggestions",
}
FAMILY_ALIASES = {
    "forecast": FORECAST,
    "forecasts": FORECAST,
    "revenue": FORECAST,
    "value": "clv",
    "lifetime value": "clv",
    "segment": "segments",
    "anomaly": "anomalies",
    "recommendations": "recommend",
}
BASELINES = ("seasonal_naive", "naive", "popularity", "rules", "lexicon", "list_price")
DATA_END_KEYS = ("trained_until", "scored_as_of", "as_of", "cutoff")
COLUMNS = (
    Column("model", "Model"),
    Column("version", "Version"),
    Column("trained", "Trained"),
    Column("backtest", "Backtest"),
    Column("live", "Live"),
    Column("flag", "Check"),
)


def model_health(
    session: Session, requester: Requester, model: str | None = None
) -> ToolResult:
    """Every trained model: its version, when it was trained, how accurate it is.

    Use for "how accurate are the models?", "when was the forecast last
    trained?" or "how is prophet doing?". Shows each model's backtest or
    holdout metrics against its baseline, its live error once forecasts can
    be checked, and flags models that have drifted or grown old. ``model`` is
    a family ("churn", "clv", "forecast", "segments") or a forecaster
    ("prophet", "lstm", "seasonal_naive", "linear", "ensemble").
    """
    models = registered_models(session)
    if not models:
        raise NotEnoughDataError(
            "No model is trained yet; run `quotebot train` to fit and backtest "
            "the forecasting, churn, value and segment models."
        )
    latest_day = latest_activity_date(session)
    history = performance_history(session)
    chosen = _chosen(models, model, requester)
    rows = [_row(entry, latest_day, history, models) for entry in chosen]
    return ToolResult(
        intent="model_health",
        summary=_summary(rows, chosen),
        columns=COLUMNS,
        rows=tuple(_shown(row) for row in rows),
        notes=_notes(models, chosen, model),
        follow_ups=(
            "forecast revenue for the next 90 days",
            "how did we do last month",
        ),
        data={"models": [_plain(row) for row in rows]},
    )


# --- which models ------------------------------------------------------------


def _chosen(models: list[dict], wanted: str | None, requester: Requester) -> list:
    """The models asked about; without a filter, the business forecasts only."""
    visible = [m for m in models if _visible(m["model_name"], requester)]
    if wanted in (None, "", "all"):
        return [m for m in visible if _headline_model(m["model_name"])]
    key = wanted.strip().lower().replace(" ", "_")
    key = FAMILY_ALIASES.get(key.replace("_", " "), key)
    chosen = [m for m in visible if _matches(m["model_name"], key)]
    if not chosen:
        families = sorted({_family(m["model_name"]) for m in models})
        raise NotEnoughDataError(
            f"No trained model matches '{wanted}'. Trained families: "
            f"{', '.join(families)}; forecasters: "
            f"{', '.join(sorted(_forecasters(models)))}."
        )
    return chosen


def _visible(name: str, requester: Requester) -> bool:
    """Reps see their own book's forecasts, not other reps'."""
    prefix = f"{FORECAST}.rep."
    if requester.is_manager or not name.startswith(prefix):
        return True
    return name.startswith(f"{prefix}{requester.rep_id}.")


def _headline_model(name: str) -> bool:
    return not name.startswith(f"{FORECAST}.") or name.startswith(BUSINESS_PREFIX)


def _matches(name: str, key: str) -> bool:
    if name == key or name.startswith(f"{key}."):
        return True
    return name.startswith(f"{FORECAST}.") and name.rsplit(".", 1)[1] == key


def _family(name: str) -> str:
    return FORECAST if name.startswith(f"{FORECAST}.") else name.split(".")[0]


def _forecasters(models: list[dict]) -> set[str]:
    return {
        m["model_name"].rsplit(".", 1)[1]
        for m in models
        if m["model_name"].startswith(f"{FORECAST}.")
    }


# --- one row per model --------------------------------------------------------


def _row(entry: dict, latest_day, history: pd.DataFrame, models: list) -> dict:
    metrics = entry["metrics"] or {}
    backtest = _backtest(entry, models)
    live = entry["performance"]
    flags = [*_drift(live, metrics), *_staleness(metrics, latest_day)]
    return {
        "name": entry["model_name"],
        "model": _display_name(entry),
        "version": entry["version"],
        "trained_at": pd.Timestamp(entry["trained_at"]).to_pydatetime(),
        "backtest": backtest,
        "live": live,
        "live_text": _live_text(live, history, entry),
        "flags": flags,
        "selected": bool(metrics.get("selected")),
    }


def _display_name(entry: dict) -> str:
    name = entry["model_name"]
    if not name.startswith(f"{FORECAST}."):
        family = FAMILY_NAMES.get(name.split(".")[0], name)
        detail = entry["model_type"].replace("_", " ")
        return f"{family} ({detail})"
    _, kind, scope, forecaster = name.split(".", 3)
    where = "whole business" if kind == "business" else f"{kind} {scope}"
    served = ", served" if (entry["metrics"] or {}).get("selected") else ""
    return f"Revenue forecast, {where}: {forecaster.replace('_', ' ')}{served}"


def _backtest(entry: dict, models: list[dict]) -> str:
    """The stored test metrics in a few words, against the baseline's."""
    metrics = entry["metrics"] or {}
    name = entry["model_name"]
    if name.startswith(f"{FORECAST}."):
        return _forecast_backtest(name, metrics, models)
    if name == "churn":
        return _compared(metrics, ("roc_auc", "pr_auc", "brier"), "rules")
    if name == "clv":
        return _clv_backtest(metrics)
    if name.startswith("segments"):
        return _numbers(metrics, ("k", "silhouette", "davies_bouldin"))
    return _generic(metrics)


def _forecast_backtest(name: str, metrics: dict, models: list[dict]) -> str:
    text = (
        f"MASE {metrics.get('mase', float('nan')):.2f}, 80% interval held "
        f"{metrics.get('coverage_80', float('nan')):.0%} of days"
    )
    baseline = f"{name.rsplit('.', 1)[0]}.seasonal_naive"
    if name != baseline:
        for other in models:
            if other["model_name"] == baseline:
                text += f" (seasonal naive MASE {other['metrics']['mase']:.2f})"
    return text


def _clv_backtest(metrics: dict) -> str:
    served = metrics.get("served") or metrics.get("selected")
    errors = metrics.get("models", {})
    mae = errors.get(served, {}).get("mae")
    naive = errors.get("naive", {}).get("mae")
    if mae is None:
        return _generic(metrics)
    text = f"{served}: MAE {mae:,.0f} per customer over {metrics['horizon_days']} days"
    return text + (f" (last period repeated {naive:,.0f})" if naive else "")


def _compared(metrics: dict, keys: tuple[str, ...], baseline: str) -> str:
    selected = metrics.get("selected") or metrics.get("served")
    models = metrics.get("models", {})
    if selected not in models:
        return _generic(metrics)
    text = f"{selected}: {_numbers(models[selected], keys)}"
    if baseline in models and baseline != selected:
        text += f" ({baseline}: {_numbers(models[baseline], keys)})"
    return text


def _generic(metrics: dict) -> str:
    """Headline numbers of an unfamiliar model: its selected one's, else top-level."""
    selected = metrics.get("selected") or metrics.get("served")
    models = metrics.get("models")
    if isinstance(models, dict) and selected in models:
        baseline = metrics.get("baseline") or next(
            (name for name in BASELINES if name in models), None
        )
        keys = tuple(k for k, v in models[selected].items() if _is_number(v))[:4]
        return _compared(metrics, keys, baseline) if keys else str(selected)
    keys = tuple(k for k, v in metrics.items() if _is_number(v))[:4]
    return _numbers(metrics, keys) or "no metrics stored"


def _numbers(values: dict, keys: tuple[str, ...]) -> str:
    shown = [
        f"{_metric_name(key)} {_number(values[key])}"
        for key in keys
        if _is_number(values.get(key))
    ]
    return ", ".join(shown)


def _metric_name(key: str) -> str:
    names = {"roc_auc": "ROC AUC", "pr_auc": "PR AUC", "mae": "MAE", "k": "k"}
    return names.get(key, key.replace("_", " ").replace(" at ", "@").capitalize())


def _number(value: float | int) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- live accuracy and flags ----------------------------------------------------


def _live_text(live: dict | None, history: pd.DataFrame, entry: dict) -> str:
    if live is None:
        waiting = entry["awaiting_actuals"]
        return f"{waiting:,} predictions awaiting actuals" if waiting else "not yet"
    mape = "" if live["mape"] is None else f", MAPE {live['mape']:.0%}"
    text = (
        f"MAE {live['mae']:,.0f}, RMSE {live['rmse']:,.0f}{mape} over "
        f"{live['n_predictions']:,} predictions"
    )
    own = history[history["model_name"] == entry["model_name"]]
    if len(own) > 1:
        first = own.iloc[0]
        text += f" (MAE {first['mae']:,.0f} on {first['evaluated_at']:%d %b %Y})"
    return text


def _drift(live: dict | None, metrics: dict) -> list[str]:
    """A flag when the live error is well above the tested one."""
    if live is None:
        return []
    tested_mape = metrics.get("mape")
    if live["mape"] is not None and _is_number(tested_mape) and tested_mape > 0:
        if live["mape"] > WORSE_RATIO * tested_mape:
            return [
                f"live MAPE {live['mape']:.0%} is {live['mape'] / tested_mape:.1f}x "
                f"its backtest's {tested_mape:.0%}"
            ]
        return []
    tested_mae = metrics.get("mae")
    if not _is_number(tested_mae) or live["mae"] <= WORSE_RATIO * tested_mae:
        return []
    return [f"live MAE {live['mae']:,.0f} against {tested_mae:,.0f} tested"]


def _staleness(metrics: dict, latest_day: dt.date | None) -> list[str]:
    """A flag when the store runs well past the data the model was trained on."""
    data_end = _data_end(metrics)
    if data_end is None or latest_day is None:
        return []
    behind = (latest_day - data_end).days
    if behind <= STALE_AFTER_DAYS:
        return []
    return [
        f"trained on data to {data_end:%d %b %Y}, {behind} days before the "
        "newest quote: run `quotebot train`"
    ]


def _data_end(metrics: dict) -> dt.date | None:
    for key in DATA_END_KEYS:
        value = metrics.get(key)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


# --- the answer -------------------------------------------------------------------


def _summary(rows: list[dict], chosen: list) -> str:
    flagged = [row for row in rows if row["flags"]]
    text = _overview(rows, chosen)
    if flagged:
        names = "; ".join(f"{row['model']}: {row['flags'][0]}" for row in flagged[:3])
        return f"{text} {len(flagged)} need attention: {names}."
    return (
        f"{text} None is flagged: no live error is far above its backtest and "
        "none was trained on old data."
    )


def _overview(rows: list[dict], chosen: list) -> str:
    if len(rows) == 1:
        row = rows[0]
        return (
            f"{row['model']} is at v{row['version']}, trained "
            f"{row['trained_at']:%d %b %Y %H:%M}. Tested: {row['backtest']}. "
            f"Live: {row['live_text']}."
        )
    families = {_family(entry["model_name"]) for entry in chosen}
    newest = max(row["trained_at"] for row in rows)
    text = (
        f"{len(rows)} models in {len(families)} "
        f"{'family' if len(families) == 1 else 'families'}, last trained "
        f"{newest:%d %b %Y %H:%M}."
    )
    served = next((row for row in rows if _served_for_business(row)), None)
    if served is not None:
        forecaster = served["name"].rsplit(".", 1)[1].replace("_", " ")
        text += f" Business forecasts come from {forecaster}: {served['backtest']}."
    return text


def _served_for_business(row: dict) -> bool:
    return row["selected"] and row["name"].startswith(BUSINESS_PREFIX)


def _shown(row: dict) -> dict:
    return {
        "model": row["model"],
        "version": f"v{row['version']}",
        "trained": f"{row['trained_at']:%d %b %Y}",
        "backtest": row["backtest"],
        "live": row["live_text"],
        "flag": "; ".join(row["flags"]) or "ok",
    }


def _plain(row: dict) -> dict:
    return {
        "name": row["name"],
        "version": row["version"],
        "trained_at": row["trained_at"].isoformat(),
        "backtest": row["backtest"],
        "live": None
        if row["live"] is None
        else {
            key: row["live"][key] for key in ("n_predictions", "mae", "rmse", "mape")
        },
        "flags": row["flags"],
    }


def _forecast_count(models: list[dict]) -> int:
    return sum(m["model_name"].startswith(f"{FORECAST}.") for m in models)


def _notes(models: list, chosen: list, wanted) -> tuple[str, ...]:
    notes = [
        "Backtests refit each model on past data and score it on the weeks after; "
        "MASE below 1 beats repeating last week. Live accuracy compares served "
        "forecasts with what was booked once their dates pass."
    ]
    hidden = _forecast_count(models) - _forecast_count(chosen)
    if wanted in (None, "", "all") and hidden > 0:
        notes.append(
            f"{hidden} more forecasts cover reps, regions and categories; ask e.g. "
            "'how accurate is prophet' to see them."
        )
    return tuple(notes)
