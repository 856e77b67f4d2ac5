from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.tables import chart_table
from tools.results import Chart


def chart(kind: str, data: dict) -> Chart:
    return Chart(kind=kind, title="t", alt_text="a", data=data)


def test_bars_are_a_row_per_label_with_values_in_the_charts_format():
    bars = chart(
        "bars",
        {"labels": ["Acme Corp", "Globex"], "values": [0.82, 0.4], "format": "percent"},
    )

    assert chart_table(bars, 3000) == "```\nAcme Corp  82%\nGlobex     40%\n```"


def test_money_bars_are_whole_amounts_with_thousands_separators():
    bars = chart("bars", {"labels": ["Hub"], "values": [12345.6], "format": "money"})

    assert "Hub  12,346" in chart_table(bars, 3000)


def test_a_forecast_is_a_row_per_week_with_its_80_percent_interval():
    forecast = chart(
        "forecast",
        {
            "history": {"dates": ["2026-06-07"], "values": [900.0]},
            "forecast": {
                "dates": ["2026-07-05", "2026-07-12"],
                "yhat": [1000.0, 1100.0],
                "lower_80": [800.0, 850.0],
                "upper_80": [1200.0, 1350.0],
                "lower_95": [700.0, 750.0],
                "upper_95": [1300.0, 1450.0],
            },
        },
    )

    lines = chart_table(forecast, 3000).splitlines()

    assert lines[1].split() == ["week", "forecast", "80%", "interval"]
    assert lines[2].split() == ["2026-07-05", "1,000", "800", "–", "1,200"]
    assert len(lines) == 5


def test_a_scatter_is_summed_up_per_group():
    scatter = chart(
        "scatter",
        {
            "x": [1.0, 3.0, 0.5],
            "y": [100.0, 300.0, 50.0],
            "groups": ["Loyal", "Loyal", "At risk"],
            "x_label": "orders a month",
            "y_label": "value a year",
        },
    )

    lines = chart_table(scatter, 3000).splitlines()

    assert "median orders a month" in lines[1]
    assert lines[2].split() == ["Loyal", "2", "2", "200"]
    assert lines[3].split() == ["At", "risk", "1", "0.5", "50"]


def test_rows_that_do_not_fit_are_counted_in_a_last_line_inside_the_block():
    labels = [f"Account {i}" for i in range(400)]
    bars = chart("bars", {"labels": labels, "values": [1.0] * 400})

    table = chart_table(bars, 500)

    assert len(table) <= 500
    assert table.endswith("more\n```")
    shown = table.count("Account ")
    assert f"…and {400 - shown} more" in table


def test_a_label_cannot_break_out_of_the_code_block():
    bars = chart("bars", {"labels": ["```Acme\nCorp"], "values": [5.0]})

    assert chart_table(bars, 3000) == "```\n'''Acme Corp  5.00\n```"


def test_a_kind_without_a_table_gives_none():
    assert chart_table(chart("pie", {}), 3000) is None


@given(
    st.lists(st.text(min_size=1, max_size=60), max_size=300),
    st.integers(min_value=80, max_value=3000),
)
@settings(max_examples=60, deadline=None)
def test_any_bars_table_fits_its_limit(labels, limit):
    bars = chart("bars", {"labels": labels, "values": [1.0] * len(labels)})

    assert len(chart_table(bars, limit)) <= limit
