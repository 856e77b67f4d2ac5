"""Why one account is at risk, in a rep's words and with the account's own numbers.

Reasons are per account, not global importances. The XGBoost model splits
the account's log-odds of churn into one push per feature (TreeSHAP); the
network measures each feature's push by resetting it to its training mean.
Features that tell one story are pooled into one reason, so nothing is said
twice: days since the last order, the usual gap, the overdue ratio and the
number of orders so far all speak through the silence phrase; the other
stories (orders, revenue, wins, quoting) are phrased by whichever of their
features pushed hardest. Of the pushes *up* whose numbers read as a warning
(fewer orders than before, a falling revenue, lost quotes, little quoting;
see ``_warns``), the strongest two to four become the reasons, strongest
first, each at least 15% of the strongest: "no order in 74 days; usually
orders every 21 days", "last three quotes rejected", "revenue in the last 90
days down 60% on the 90 days before".

The rules model has one reason, its overdue phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics.churn.base import ChurnModel
from analytics.churn.errors import ChurnError, FeatureError
from analytics.churn.features import FEATURES
from analytics.churn.rules import RulesChurnModel, overdue_score

MAX_REASONS = 4
MIN_REASONS = 2
MIN_SHARE_OF_TOP = 0.15
FEW_ORDERS = 3

TOPICS = {
    "days_since_last_order": "silence",
    "usual_gap_days": "silence",
    "overdue_ratio": "silence",
    "orders_total": "silence",
    "order_days": "silence",
    "orders_last_90d": "orders",
    "orders_prev_90d": "orders",
    "revenue_last_90d": "revenue",
    "revenue_prev_90d": "revenue",
    "revenue_trend": "revenue",
    "acceptance_rate": "wins",
    "acceptance_last_5": "wins",
    "rejected_of_last_3": "wins",
    "quotes_last_90d": "quoting",
    "days_since_last_quote": "quoting",
}


@dataclass(frozen=True)
class Reason:
    """One thing that raises an account's risk.

    ``contribution`` is its push on the log-odds of churn (for the rules
    model, the rule's score); ``text`` says it in words.
    """

    feature: str
    contribution: float
    text: str


def explain_customer(
    model: ChurnModel, features_row: pd.Series, max_reasons: int = MAX_REASONS
) -> list[Reason]:
    """The reasons one account is at risk under ``model``, strongest first.

    Parameters
    ----------
    model : ChurnModel
        A fitted rules, XGBoost or neural-net model.
    features_row : Series
        The account's row of ``churn_features`` (or ``score_customers``).
    max_reasons : int
        At most this many reasons.

    Returns
    -------
    list of Reason
        Empty when nothing pushes the account's risk up.
    """
    row = _checked(features_row)
    if isinstance(model, RulesChurnModel):
        score = float(overdue_score(row["overdue_ratio"]))
        return [Reason("overdue_ratio", score, reason_text(row, "overdue_ratio"))]
    if not hasattr(model, "contributions"):
        raise ChurnError(f"the {model.name} churn model cannot explain its scores.")

    pushes = model.contributions(row.to_frame().T).iloc[0]
    leads = [lead for lead in _leading_topics(pushes) if _warns(row, lead[0])]
    kept = _strongest(leads, max_reasons)
    return [Reason(feature, push, _topic_text(row, feature)) for feature, push in kept]


def reason_text(features_row: pd.Series, feature: str) -> str:
    """The phrase for ``feature``, quoting the account's own numbers."""
    if feature not in PHRASES:
        raise ChurnError(f"no phrase for {feature!r}; known: {', '.join(PHRASES)}.")
    return PHRASES[feature](_checked(features_row))


def describe_reasons(reasons: list[Reason]) -> str:
    """The reasons as one line, e.g. for a Slack list."""
    return "; ".join(reason.text for reason in reasons)


def _leading_topics(pushes: pd.Series) -> list[tuple[str, float]]:
    """Per topic: the feature that pushed hardest, and the topic's summed push."""
    topics = pushes.index.map(lambda feature: TOPICS.get(feature, feature))
    totals = pushes.groupby(topics).sum()
    leads = pushes.groupby(topics).idxmax()
    return [(leads[topic], float(totals[topic])) for topic in totals.index]


def _warns(row: pd.Series, feature: str) -> bool:
    """Whether the account's own number on ``feature`` reads as a warning.

    A model may push risk up on a healthy-looking number (a loyal account's
    100% win rate, say) through its interactions with others; telling a rep
    "accepts 100% of its quotes" as a reason to worry would confuse. Such
    pushes still count in the probability but are not given as reasons, and
    neither are descriptive traits (order size, discount, tenure).
    """
    topic = TOPICS.get(feature)
    if topic == "silence":
        return True
    if topic == "orders":
        return row["orders_last_90d"] < max(row["orders_prev_90d"], 1)
    if topic == "revenue":
        return row["revenue_last_90d"] < max(row["revenue_prev_90d"], 1e-9)
    if topic == "wins":
        return row["acceptance_last_5"] < 0.5 or row["rejected_of_last_3"] >= 1
    if topic == "quoting":
        return row["quotes_last_90d"] <= 1
    return False


def _topic_text(row: pd.Series, feature: str) -> str:
    """The silence phrase speaks for its whole topic; others for their feature."""
    if TOPICS.get(feature) == "silence":
        return _silence(row)
    return reason_text(row, feature)


def _strongest(leads: list[tuple[str, float]], most: int) -> list[tuple[str, float]]:
    up = sorted((lead for lead in leads if lead[1] > 0), key=lambda lead: -lead[1])
    if not up:
        return []
    floor = MIN_SHARE_OF_TOP * up[0][1]
    kept = [lead for i, lead in enumerate(up) if i < MIN_REASONS or lead[1] >= floor]
    return kept[:most]


def _checked(features_row: pd.Series) -> pd.Series:
    if isinstance(features_row, pd.DataFrame):
        if len(features_row) != 1:
            raise FeatureError("explain one account at a time: pass its row.")
        features_row = features_row.iloc[0]
    missing = [feature for feature in FEATURES if feature not in features_row]
    if missing:
        raise FeatureError(
            f"the row lacks {', '.join(missing)}; take it from churn_features."
        )
    return features_row


def _silence(row: pd.Series) -> str:
    silent = f"no order in {_days(row['days_since_last_order'])}"
    if row["order_days"] < FEW_ORDERS:
        orders = _count(row["orders_total"], "order")
        gap = round(row["usual_gap_days"])
        return (
            f"{silent}; only {orders} so far, and most accounts order every {gap} days"
        )
    return f"{silent}; usually orders every {round(row['usual_gap_days'])} days"


def _orders(row: pd.Series) -> str:
    last, prev = int(row["orders_last_90d"]), int(row["orders_prev_90d"])
    if last == 0 and prev == 0:
        return "no orders in the last 180 days"
    recent = f"{_count(last, 'order')} in the last 90 days"
    if last < prev:
        return f"{recent}, down from {prev} in the 90 days before"
    return f"{recent}, against {prev} in the 90 days before"


def _revenue(row: pd.Series) -> str:
    last, prev = row["revenue_last_90d"], row["revenue_prev_90d"]
    if last == 0 and prev == 0:
        return "no revenue in the last 180 days"
    if last == 0:
        return f"no revenue in the last 90 days, after {_money(prev)} in the 90 before"
    if last < prev:
        fall = round(100 * (prev - last) / prev)
        return f"revenue in the last 90 days down {fall}% on the 90 days before"
    return (
        f"revenue of {_money(last)} in the last 90 days, against {_money(prev)} before"
    )


def _rejections(row: pd.Series) -> str:
    rejected = int(row["rejected_of_last_3"])
    if rejected == 3:
        return "last three quotes rejected"
    if rejected == 0:
        return "none of the last three quotes rejected"
    return f"{rejected} of the last three quotes rejected"


def _recent_wins(row: pd.Series) -> str:
    return f"only {_percent(row['acceptance_last_5'])} of its latest quotes accepted"


def _wins(row: pd.Series) -> str:
    return f"accepts {_percent(row['acceptance_rate'])} of its quotes overall"


def _quotes(row: pd.Series) -> str:
    quotes = int(row["quotes_last_90d"])
    if quotes == 0:
        return "no quotes at all in the last 90 days"
    return f"only {_count(quotes, 'quote')} in the last 90 days"


def _last_quote(row: pd.Series) -> str:
    return f"no quote of any kind in {_days(row['days_since_last_quote'])}"


def _tenure(row: pd.Series) -> str:
    days = row["tenure_days"]
    if days < 60:
        return f"a customer for only {_days(days)}"
    if days < 730:
        return f"a customer for {round(days / 30.4)} months"
    return f"a customer for {days / 365.25:.1f} years"


def _order_count(row: pd.Series) -> str:
    return f"{_count(row['orders_total'], 'order')} in all"


def _order_days(row: pd.Series) -> str:
    return f"has ordered on {_count(row['order_days'], 'day')} in all"


def _order_value(row: pd.Series) -> str:
    return f"average order of {_money(row['avg_order_value'])}"


def _discount(row: pd.Series) -> str:
    return f"average discount of {row['mean_discount_pct']:.1f}%"


def _days(days: float) -> str:
    return _count(days, "day")


def _count(value: float, noun: str) -> str:
    number = int(round(value))
    if number == 1:
        return f"one {noun}"
    return f"{number:,} {noun}s"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


PHRASES: dict[str, Callable[[pd.Series], str]] = {
    "days_since_last_order": _silence,
    "usual_gap_days": _silence,
    "overdue_ratio": _silence,
    "orders_total": _order_count,
    "order_days": _order_days,
    "orders_last_90d": _orders,
    "orders_prev_90d": _orders,
    "revenue_last_90d": _revenue,
    "revenue_prev_90d": _revenue,
    "revenue_trend": _revenue,
    "avg_order_value": _order_value,
    "tenure_days": _tenure,
    "quotes_last_90d": _quotes,
    "days_since_last_quote": _last_quote,
    "acceptance_rate": _wins,
    "acceptance_last_5": _recent_wins,
    "rejected_of_last_3": _rejections,
    "mean_discount_pct": _discount,
}
