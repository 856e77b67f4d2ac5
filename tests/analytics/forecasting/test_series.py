import pandas as pd
import pytest

from analytics.forecasting import ForecastError, last_settled_day, revenue_series


def quotes(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"created_at": pd.Timestamp(when), "status": status, "total": total}
            for when, status, total in rows
        ]
    )


def test_revenue_series_sums_accepted_quotes_per_day_and_fills_gaps_with_zero():
    book = quotes(
        ("2024-03-04 09:30", "accepted", 100.0),
        ("2024-03-04 16:00", "accepted", 50.0),
        ("2024-03-07 11:00", "accepted", 20.0),
    )

    y = revenue_series(book)

    assert y.name == "revenue"
    assert y.index.freqstr == "D"
    assert list(y.index.strftime("%d")) == ["04", "05", "06", "07"]
    assert y.tolist() == [150.0, 0.0, 0.0, 20.0]


def test_revenue_series_ignores_quotes_that_were_not_accepted():
    book = quotes(
        ("2024-03-04", "accepted", 100.0),
        ("2024-03-05", "rejected", 900.0),
        ("2024-03-05", "sent", 800.0),
        ("2024-03-06", "cancelled", 700.0),
        ("2024-03-06", "accepted", 10.0),
    )

    y = revenue_series(book)

    assert y.tolist() == [100.0, 0.0, 10.0]


def test_revenue_series_extends_to_the_start_and_end_given():
    book = quotes(("2024-03-05", "accepted", 100.0))

    y = revenue_series(book, start="2024-03-03", end="2024-03-07")

    assert y.tolist() == [0.0, 0.0, 100.0, 0.0, 0.0]
    assert y.index[0] == pd.Timestamp("2024-03-03")


def test_weekly_revenue_runs_monday_to_sunday_and_keeps_only_whole_weeks():
    book = quotes(
        ("2024-03-02", "accepted", 1.0),  # Saturday of a partial first week
        ("2024-03-04", "accepted", 10.0),  # Monday
        ("2024-03-10", "accepted", 20.0),  # Sunday, same week
        ("2024-03-11", "accepted", 40.0),  # next Monday
        ("2024-03-20", "accepted", 80.0),  # Wednesday of a partial last week
    )

    y = revenue_series(book, frequency="W-MON", end="2024-03-21")

    assert y.index.freqstr == "W-MON"
    assert list(y.index) == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-11")]
    assert y.tolist() == [30.0, 40.0]


def test_revenue_series_refuses_other_frequencies():
    with pytest.raises(ForecastError, match="'D' .*'W-MON'"):
        revenue_series(quotes(("2024-03-04", "accepted", 1.0)), frequency="M")


def test_an_empty_book_gives_an_empty_series_with_its_frequency():
    y = revenue_series(quotes(("2024-03-04", "rejected", 1.0)), frequency="W-MON")

    assert y.empty
    assert y.index.freqstr == "W-MON"


def test_last_settled_day_stops_before_the_oldest_open_quote():
    book = quotes(
        ("2024-03-01", "accepted", 1.0),
        ("2024-03-05", "sent", 1.0),
        ("2024-03-08", "accepted", 1.0),
        ("2024-03-09", "draft", 1.0),
    )

    assert last_settled_day(book) == pd.Timestamp("2024-03-04")
    assert last_settled_day(book.iloc[[0, 2]]) == pd.Timestamp("2024-03-08")
