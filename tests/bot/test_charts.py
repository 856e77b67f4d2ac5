from bot.render.charts import render_chart
from tools.results import Chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_a_forecast_chart_renders_as_a_png():
    chart = Chart(
        kind="forecast",
        title="Weekly revenue",
        alt_text="history and forecast",
        data={
            "history": {
                "dates": ["2026-01-04", "2026-01-11"],
                "values": [100.0, 120.0],
            },
            "forecast": {
                "dates": ["2026-01-18", "2026-01-25"],
                "yhat": [110.0, 115.0],
                "lower_80": [90.0, 92.0],
                "upper_80": [130.0, 138.0],
                "lower_95": [80.0, 81.0],
                "upper_95": [140.0, 150.0],
            },
        },
    )

    png = render_chart(chart)

    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000
