import pandas as pd

from storage.db import session_scope
from storage.prediction_log import latest_served_forecast, log_predictions

PREFIX = "revenue_forecast.rep.7"


def serve(session, model: str, entity_id: str, yhat: float) -> None:
    days = pd.date_range("2026-07-01", periods=3, freq="D")
    forecast = pd.DataFrame(
        {"yhat": yhat, "lower_80": yhat - 10, "upper_80": yhat + 10}, index=days
    )
    log_predictions(
        session,
        model=None,
        model_name=f"revenue_forecast.rep.{entity_id}.{model}",
        entity_type="rep",
        entity_id=entity_id,
        forecast=forecast,
    )


def test_the_latest_served_forecast_is_the_newest_batch_summed_over_its_days(
    store_url,
):
    with session_scope(store_url) as session:
        serve(session, "linear", "7", 100.0)
        serve(session, "prophet", "7", 200.0)
        serve(session, "prophet", "8", 999.0)

        served = latest_served_forecast(session, PREFIX, "rep", "7")

    assert served.model_name == f"{PREFIX}.prophet"
    assert (served.total, served.lower, served.upper) == (600.0, 570.0, 630.0)
    assert (f"{served.first:%d %b}", f"{served.last:%d %b}") == ("01 Jul", "03 Jul")


def test_nothing_served_for_an_entity_is_none(store_url):
    with session_scope(store_url) as session:
        serve(session, "linear", "8", 100.0)

        assert latest_served_forecast(session, PREFIX, "rep", "7") is None
