import pandas as pd

from analytics.text.trend import recent_shift, tone_trend


def notes(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "created_at": pd.to_datetime([day for day, _ in rows]),
            "net_tone": [tone for _, tone in rows],
        }
    )


def test_the_trend_averages_net_tone_by_quarter_and_skips_empty_ones():
    trend = tone_trend(
        notes([("2026-01-10", 0.8), ("2026-02-10", 0.4), ("2026-07-01", -0.5)])
    )

    assert list(trend["period"]) == ["2026 Q1", "2026 Q3"]
    assert list(trend["notes"]) == [2, 1]
    assert trend["tone"].round(2).tolist() == [0.6, -0.5]


def test_a_souring_account_reads_as_cooler():
    history = notes([("2026-01-05", 0.7), ("2026-02-01", 0.5), ("2026-06-01", -0.6)])

    shift = recent_shift(history, pd.Timestamp("2026-06-30"))

    assert (shift.recent_notes, shift.before_notes) == (1, 2)
    assert shift.direction == "cooler"


def test_small_moves_are_steady_and_a_new_account_has_no_direction():
    steady = notes([("2026-01-05", 0.3), ("2026-06-01", 0.2)])
    new = notes([("2026-06-01", 0.2)])

    assert recent_shift(steady, pd.Timestamp("2026-06-30")).direction == "steady"
    assert recent_shift(new, pd.Timestamp("2026-06-30")).direction == "new"
