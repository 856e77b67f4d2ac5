import datetime as dt
import json
from unittest.mock import ANY

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.nlu.entities import extract_entities
from bot.nlu.periods import parse_period
from tools.names import Vocabulary
from tools.periods import Period

runner = CliRunner()

WEDNESDAY = dt.date(2026, 11, 18)
D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", D(2026, 11, 18), D(2026, 11, 19)),
        ("yesterday", D(2026, 11, 17), D(2026, 11, 18)),
        ("this week", D(2026, 11, 16), D(2026, 11, 19)),
        ("last week", D(2026, 11, 9), D(2026, 11, 16)),
        ("this month", D(2026, 11, 1), D(2026, 11, 19)),
        ("last month", D(2026, 10, 1), D(2026, 11, 1)),
        ("this quarter", D(2026, 10, 1), D(2026, 11, 19)),
        ("last quarter", D(2026, 7, 1), D(2026, 10, 1)),
        ("Q3", D(2026, 7, 1), D(2026, 10, 1)),
        ("q4", D(2026, 10, 1), D(2026, 11, 19)),
        ("Q3 2025", D(2025, 7, 1), D(2025, 10, 1)),
        ("this year", D(2026, 1, 1), D(2026, 11, 19)),
        ("last year", D(2025, 1, 1), D(2026, 1, 1)),
        ("ytd", D(2026, 1, 1), D(2026, 11, 19)),
        ("year to date", D(2026, 1, 1), D(2026, 11, 19)),
        ("in October", D(2026, 10, 1), D(2026, 11, 1)),
        ("October 2025", D(2025, 10, 1), D(2025, 11, 1)),
        ("last 30 days", D(2026, 10, 20), D(2026, 11, 19)),
        ("past 6 weeks", D(2026, 10, 8), D(2026, 11, 19)),
        ("last three months", D(2026, 8, 19), D(2026, 11, 19)),
        ("past year", D(2025, 11, 19), D(2026, 11, 19)),
        ("since March", D(2026, 3, 1), D(2026, 11, 19)),
        ("since March 2025", D(2025, 3, 1), D(2026, 11, 19)),
        ("in 2025", D(2025, 1, 1), D(2026, 1, 1)),
    ],
)
def test_each_form_reads_as_the_calendar_days_it_means(text, start, end):
    period = parse_period(text, WEDNESDAY)

    assert (period.start, period.end) == (start, end)


def test_a_month_not_yet_reached_this_year_means_last_years():
    period = parse_period("how did we do in december", WEDNESDAY)

    assert (period.start, period.end) == (D(2025, 12, 1), D(2026, 1, 1))
    assert period.label == "in December 2025"


def test_a_quarter_not_yet_begun_means_last_years():
    period = parse_period("sales recap for Q1", D(2026, 2, 10))

    assert period.start == D(2026, 1, 1)
    assert parse_period("Q2 please", D(2026, 2, 10)).start == D(2025, 4, 1)


def test_last_month_in_january_is_last_years_december():
    period = parse_period("last month", D(2027, 1, 3))

    assert (period.start, period.end) == (D(2026, 12, 1), D(2027, 1, 1))
    assert period.label == "last month (December 2026)"


def test_last_quarter_in_the_first_quarter_is_last_years_fourth():
    period = parse_period("last quarter", D(2027, 2, 28))

    assert (period.start, period.end) == (D(2026, 10, 1), D(2027, 1, 1))
    assert period.label == "last quarter (Q4 2026)"


def test_last_week_starts_on_the_monday_before_this_one():
    sunday = D(2026, 11, 22)

    period = parse_period("last week", sunday)

    assert (period.start, period.end) == (D(2026, 11, 9), D(2026, 11, 16))


def test_a_months_window_ending_on_the_31st_stays_within_shorter_months():
    period = parse_period("last 1 month", D(2026, 3, 30))

    assert period.start == D(2026, 2, 28)


def test_yesterday_on_the_first_of_the_year_is_new_years_eve():
    period = parse_period("yesterday", D(2027, 1, 1))

    assert period.start == D(2026, 12, 31)


def test_a_running_period_ends_after_today_so_it_compares_fairly():
    period = parse_period("this month", WEDNESDAY)

    assert period.days == 18
    assert period.previous().end == D(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("how did we do lst mnth", D(2026, 10, 1)),
        ("win rate this quater", D(2026, 10, 1)),
        ("sales since Febuary", D(2026, 2, 1)),
        ("recap for Octobr", D(2026, 10, 1)),
        ("what did we sell yesterdy", D(2026, 11, 17)),
        ("revenue this qtr?", D(2026, 10, 1)),
        ("LAST MONTH!!", D(2026, 10, 1)),
        ("how r we doing this month 📈", D(2026, 11, 1)),
        ("sales in sept", D(2026, 9, 1)),
    ],
)
def test_small_typos_shorthand_and_shouting_are_understood(text, start):
    assert parse_period(text, WEDNESDAY).start == start


@pytest.mark.parametrize(
    "text",
    [
        "how did we do",
        "may I see the sales numbers",
        "monthly sales recap",
        "forecast revenue for the next 90 days",
        "who is at risk of churning",
    ],
)
def test_messages_without_a_period_have_none(text):
    assert parse_period(text, WEDNESDAY) is None


def test_may_is_a_month_after_in_or_before_a_year():
    assert parse_period("sales in may", WEDNESDAY).start == D(2026, 5, 1)
    assert parse_period("May 2025 recap", WEDNESDAY).start == D(2025, 5, 1)


def test_labels_read_as_part_of_a_sentence():
    labels = [
        parse_period(text, WEDNESDAY).label
        for text in ("last 30 days", "Q3 2025", "since March", "last week")
    ]

    assert labels == [
        "in the last 30 days",
        "in Q3 2025",
        "since March 2026",
        "last week (starting 9 Nov 2026)",
    ]


def test_entities_read_the_period_against_the_stores_latest_day():
    vocabulary = Vocabulary(customers=("Acme Corp",), today=D(2025, 3, 14))

    entities = extract_entities("how did Acme Corp do last month", vocabulary)

    assert entities["period"] == Period(D(2025, 2, 1), D(2025, 3, 1), ANY)


def test_entities_without_a_store_read_the_period_against_the_calendar():
    entities = extract_entities("sales recap for this year")

    assert entities["period"].start == D(dt.date.today().year, 1, 1)


def test_nlu_json_prints_the_period_as_dates_and_label(tmp_path):
    missing_store = f"sqlite:///{tmp_path / 'none.db'}"

    result = runner.invoke(
        app, ["nlu", "sales recap for Q3 2025", "--json", "--db", missing_store]
    )

    assert json.loads(result.stdout)["entities"]["period"] == {
        "start": "2025-07-01",
        "end": "2025-10-01",
        "label": "in Q3 2025",
    }
