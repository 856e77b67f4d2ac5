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


def test_a_bar_chart_of_risks_renders_as_a_png():
    chart = Chart(
        kind="bars",
        title="Chance of no order in the next 90 days",
        alt_text="bars",
        data={
            "labels": ["Acme Corp", "A customer with a very long name indeed Ltd"],
            "values": [0.82, 0.4],
            "format": "percent",
        },
    )

    assert render_chart(chart).startswith(PNG_SIGNATURE)


def test_a_scatter_of_segments_renders_as_a_png():
    chart = Chart(
        kind="scatter",
        title="Segments",
        alt_text="points",
        data={
            "x": [1.0, 2.0, 30.0],
            "y": [100.0, 2000.0, 50000.0],
            "groups": ["Occasional", "Occasional", "High-value loyal"],
            "x_label": "orders a year",
            "y_label": "revenue a year",
        },
    )

    assert render_chart(chart).startswith(PNG_SIGNATURE)
