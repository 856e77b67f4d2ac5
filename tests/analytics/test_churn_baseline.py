import datetime as dt

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sqlalchemy import select

from analytics.churn_baseline import RhythmChurnBaseline
from storage.db import session_scope
from storage.demo_data import generate_demo_data
from storage.models import GroundTruth
from storage.queries import latest_activity_date, quote_history

AS_OF = dt.date(2026, 6, 30)


def orders(customer_id: int, name: str, last: dt.date, every: int, count: int):
    return [
        {
            "customer_id": customer_id,
            "customer": name,
            "owner": "Alex",
            "created_at": pd.Timestamp(last - dt.timedelta(days=every * i)),
            "status": "accepted",
            "total": 100.0,
        }
        for i in range(count)
    ]


def history(*groups) -> pd.DataFrame:
    return pd.DataFrame([row for group in groups for row in group])


def test_silence_is_judged_against_each_accounts_own_rhythm():
    weekly = orders(1, "Weekly Co", AS_OF - dt.timedelta(days=30), every=7, count=10)
    quarterly = orders(2, "Quarterly Co", AS_OF - dt.timedelta(days=60), 90, 6)
    quotes = history(weekly, quarterly)

    risks = RhythmChurnBaseline().fit(quotes).score(quotes, AS_OF)

    by_name = {risk.customer: risk for risk in risks}
    assert risks[0].customer == "Weekly Co"
    assert by_name["Weekly Co"].score > 0.9
    assert by_name["Quarterly Co"].score == 0.0
    assert "usually orders every 7 days" in by_name["Weekly Co"].reason
    assert "no order in 30 days" in by_name["Weekly Co"].reason


def test_accounts_with_few_orders_borrow_the_books_rhythm_and_say_so():
    regular = orders(1, "Regular", AS_OF, every=10, count=8)
    newcomer = orders(2, "Newcomer", AS_OF - dt.timedelta(days=40), every=10, count=1)
    quotes = history(regular, newcomer)

    risks = RhythmChurnBaseline().fit(quotes).score(quotes, AS_OF)

    newcomer_risk = next(r for r in risks if r.customer == "Newcomer")
    assert newcomer_risk.usual_gap_days == 10.0
    assert "only one order so far" in newcomer_risk.reason
    assert newcomer_risk.score > 0.9


def test_long_silent_accounts_are_lapsed_and_ranked_after_current_risks():
    gone = orders(1, "Gone", AS_OF - dt.timedelta(days=700), every=20, count=5)
    slipping = orders(2, "Slipping", AS_OF - dt.timedelta(days=45), every=20, count=5)
    quotes = history(gone, slipping)

    risks = RhythmChurnBaseline().fit(quotes).score(quotes, AS_OF)

    assert [r.customer for r in risks] == ["Slipping", "Gone"]
    assert risks[1].lapsed and not risks[0].lapsed


def test_recent_rejections_are_part_of_the_reason():
    base = orders(1, "Unhappy", AS_OF - dt.timedelta(days=50), every=15, count=5)
    rejected = [
        dict(
            row,
            status="rejected",
            created_at=pd.Timestamp(AS_OF - dt.timedelta(days=d)),
        )
        for row, d in zip(base[:3], (10, 20, 30), strict=True)
    ]
    quotes = history(base, rejected)

    risk = RhythmChurnBaseline().fit(quotes).score(quotes, AS_OF)[0]

    assert "3 of the last 3 quotes rejected" in risk.reason


def test_score_refuses_to_run_unfitted():
    with pytest.raises(RuntimeError, match="not fitted"):
        RhythmChurnBaseline().score(history(orders(1, "A", AS_OF, 7, 3)), AS_OF)


def test_the_baseline_ranks_planted_churners_first_in_demo_data(sqlite_url):
    with session_scope(sqlite_url) as session:
        generate_demo_data(session, seed=11, today=dt.date(2026, 6, 30))
    with session_scope(sqlite_url) as session:
        book, as_of = quote_history(session), latest_activity_date(session)
        facts = session.scalars(
            select(GroundTruth).where(GroundTruth.kind == "customer")
        )
        leaving = {
            int(f.entity_id): f.value["churned"] or f.value["at_risk"] for f in facts
        }

    risks = RhythmChurnBaseline().fit(book).score(book, as_of)

    labels = [leaving[risk.customer_id] for risk in risks]
    assert roc_auc_score(labels, [risk.score for risk in risks]) > 0.8
