"""Cross-sell answers: what to offer a customer next, and what sells together.

Both answers come from what ``quotebot train`` stored: the item-based
recommender (``recommend.item_cf``) and the bought-together rules over quotes
(``recommend.rules``), see ``tools.recommend_training``. Recommendations are
scoped like every account answer; the rules describe products across the
whole store, not any account, so everyone sees the same ones.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Product
from storage.queries import accepted_lines
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError, ToolError
from tools.people import Requester, account_scope
from tools.products import find_product
from tools.recommend_training import load_recommender, load_rules
from tools.results import Chart, Column, ToolResult

logger = logging.getLogger(__name__)

MAX_TOP_N = 20
NOT_TRAINED = (
    "{what} are not trained yet; run `quotebot train` to learn them from the "
    "accepted quotes."
)
RECOMMENDATION_COLUMNS = (
    Column("rank", "#"),
    Column("product", "Product"),
    Column("category", "Category"),
    Column("reason", "Why"),
)
RULE_COLUMNS = (
    Column("product", "Bought with it"),
    Column("quotes", "Quotes with both"),
    Column("confidence", "Of its quotes"),
    Column("lift", "Lift"),
)
PAIR_COLUMNS = (
    Column("pair", "Products"),
    Column("quotes", "Quotes with both"),
    Column("confidence", "Of quotes with the first"),
    Column("lift", "Lift"),
)
WEIGHTING_LABELS = {
    "item_cf_bm25": "BM25 weights",
    "item_cf_tfidf": "TF-IDF weights",
    "item_cf_binary": "bought or not",
}


def product_recommendations(
    session: Session, requester: Requester, customer: str | None = None, top_n: int = 5
) -> ToolResult:
    """Products to upsell or cross-sell to one customer, each with its reason.

    Use for "what else can I sell to Acme?" or "cross-sell ideas for
    Initech". Suggestions are products the customer does not buy yet that
    customers with the same products buy ("bought by 34 of the 40 customers
    who buy Gateway Hub"). Reps may ask about their own accounts; managers
    about their team's. ``customer`` is a name as typed; ``top_n`` 1 to 20.
    """
    if not customer:
        raise ToolError(
            "Which customer? Ask, for example, 'what else can I sell to Acme Corp?'"
        )
    match = find_customer(session, customer)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")
    model, record = load_recommender(session)
    if model is None:
        raise NotEnoughDataError(NOT_TRAINED.format(what="Recommendations"))

    top_n = max(1, min(int(top_n), MAX_TOP_N))
    owned = set(accepted_lines(session, [match.id])["product_id"])
    suggested = model.recommend(owned, top_n) if owned else pd.DataFrame()
    if suggested.empty:
        return _popular(session, model, record, match.name, owned, top_n)
    return _tailored(session, suggested, record, match.name, len(owned))


def bought_together(
    session: Session,
    requester: Requester,
    product: str | None = None,
    top_n: int = 10,
) -> ToolResult:
    """Products bought together: with one product, or the strongest pairs overall.

    Use for "what goes with the Gateway Hub?" or "which products sell
    together?". Each rule says how many quotes held both, the share of the
    product's quotes that also held the other (confidence) and how many times
    more often than chance they meet (lift). ``product`` is a name as typed.
    """
    rules, record = load_rules(session)
    if rules is None:
        raise NotEnoughDataError(NOT_TRAINED.format(what="Bought-together rules"))
    top_n = max(1, min(int(top_n), MAX_TOP_N))
    if product:
        return _with_product(session, rules, record, product, top_n)
    return _strongest_pairs(session, rules, record, top_n)


def _tailored(session, suggested, record, name: str, n_owned: int) -> ToolResult:
    names = product_names(
        session, [*suggested["product_id"], *suggested["because_product_id"]]
    )
    rows = tuple(
        {
            "rank": rank,
            "product": names[row.product_id]["name"],
            "category": names[row.product_id]["category"] or "",
            "reason": (
                f"bought by {row.co_buyers} of the {row.because_buyers} customers "
                f"who buy {names[row.because_product_id]['name']}"
            ),
            "product_id": int(row.product_id),
            "score": round(float(row.score), 4),
        }
        for rank, row in enumerate(suggested.itertuples(), 1)
    )
    first = rows[0]
    return ToolResult(
        intent="product_recommendations",
        summary=(
            f"For {name}, who buys {n_owned} of our products, the best next offer "
            f"is {first['product']}: {first['reason']}."
        ),
        columns=RECOMMENDATION_COLUMNS,
        rows=rows,
        notes=(_model_note(record),),
        follow_ups=(f"what goes with {first['product']}?",),
        chart=_reason_bars(suggested, [r["product"] for r in rows], name),
        data={"customer": name, "model": record.metrics.get("served")},
    )


def _popular(session, model, record, name: str, owned: set, top_n: int):
    from analytics.recommend import PopularityRecommender

    baseline = PopularityRecommender.from_counts(
        model.product_ids_, model.buyers_, model.n_customers_
    )
    popular = baseline.recommend(owned, top_n)
    names = product_names(session, popular["product_id"])
    rows = tuple(
        {
            "rank": rank,
            "product": names[row.product_id]["name"],
            "category": names[row.product_id]["category"] or "",
            "reason": f"popular: bought by {row.buyers} of {row.customers} customers",
            "product_id": int(row.product_id),
        }
        for rank, row in enumerate(popular.itertuples(), 1)
    )
    why = (
        f"{name} has no accepted order yet"
        if not owned
        else f"None of the products {name} buys is bought with others yet"
    )
    return ToolResult(
        intent="product_recommendations",
        summary=(
            f"{why}, so there is nothing of theirs to tailor suggestions to. "
            "These are our most popular products instead, labelled as such."
        ),
        columns=RECOMMENDATION_COLUMNS,
        rows=rows,
        notes=(_model_note(record),),
        data={"customer": name, "model": "popularity"},
    )


def _with_product(session, rules, record, typed: str, top_n: int) -> ToolResult:
    item = find_product(session, typed)
    name = item.name
    found = rules.for_product(item.id, top_n)
    if found.empty:
        raise NotEnoughDataError(
            f"No product is bought with {name} more often than chance in at least "
            f"{rules.min_count} accepted quotes, so there is no rule to show yet."
        )
    names = product_names(session, found["consequent_id"])
    rows = tuple(
        {
            "product": names[row.consequent_id]["name"],
            "quotes": int(row.count),
            "confidence": f"{row.confidence:.0%}",
            "lift": f"{row.lift:.1f}x",
            "product_id": int(row.consequent_id),
        }
        for row in found.itertuples()
    )
    top = found.iloc[0]
    return ToolResult(
        intent="bought_together",
        summary=(
            f"{top['confidence']:.0%} of the {int(top['antecedent_count'])} quotes "
            f"with {name} also hold {rows[0]['product']}, {top['lift']:.1f} times "
            "as often as quotes in general."
        ),
        columns=RULE_COLUMNS,
        rows=rows,
        notes=(_rules_note(rules, record),),
        follow_ups=("which products sell together?",),
        chart=_confidence_bars(found, [r["product"] for r in rows], name),
        data={"product": name},
    )


def _strongest_pairs(session, rules, record, top_n: int) -> ToolResult:
    pairs = rules.strongest(top_n)
    if pairs.empty:
        raise NotEnoughDataError(
            f"No two products share at least {rules.min_count} accepted quotes "
            f"and {rules.overall_min_support:.1%} of all quotes yet, so there is "
            "no rule to show."
        )
    names = product_names(session, [*pairs["antecedent_id"], *pairs["consequent_id"]])
    rows = tuple(
        {
            "pair": f"{names[row.antecedent_id]['name']} + "
            f"{names[row.consequent_id]['name']}",
            "quotes": int(row.count),
            "confidence": f"{row.confidence:.0%}",
            "lift": f"{row.lift:.1f}x",
        }
        for row in pairs.itertuples()
    )
    top = pairs.iloc[0]
    first, second = rows[0]["pair"].split(" + ", 1)
    return ToolResult(
        intent="bought_together",
        summary=(
            f"The strongest pair is {first} with {second}: {top['confidence']:.0%} "
            f"of the quotes with {first} also hold {second}, {top['lift']:.1f} "
            "times as often as chance."
        ),
        columns=PAIR_COLUMNS,
        rows=rows,
        notes=(_rules_note(rules, record),),
        follow_ups=(f"what goes with {first}?",),
        chart=_lift_bars(pairs, [r["pair"] for r in rows]),
    )


def product_names(session: Session, product_ids) -> dict[int, dict]:
    """Name and category of each product id, in one query."""
    ids = sorted({int(i) for i in product_ids})
    rows = session.execute(
        select(Product.id, Product.name, Product.category).where(Product.id.in_(ids))
    )
    return {id_: {"name": name, "category": category} for id_, name, category in rows}


def _model_note(record) -> str:
    metrics = record.metrics
    served = metrics.get("served", "item_cf_bm25")
    how = f"Item-based filtering ({WEIGHTING_LABELS.get(served, served)})"
    models = metrics.get("models")
    if not models or served not in models:
        return f"{how}, as of {metrics['as_of']}; not yet measured on a holdout."
    return (
        f"{how}, as of {metrics['as_of']}. Tested on the {metrics['horizon_days']} "
        f"days after {metrics['cutoff']}, it named a product a customer went on to "
        f"buy among its top 5 for {models[served]['hit_rate_at_5']:.0%} of "
        f"{metrics['customers']} customers, against "
        f"{models['popularity']['hit_rate_at_5']:.0%} for the most popular "
        "products. The order is a ranking, not a probability."
    )


def _rules_note(rules, record) -> str:
    skipped = rules.skipped_baskets_
    left_out = (
        f"{skipped:,} quotes with more than {rules.max_basket_size} products are "
        "left out"
        if skipped
        else f"quotes with more than {rules.max_basket_size} products would be left out"
    )
    return (
        f"From {rules.n_baskets_:,} accepted quotes up to {record.metrics['as_of']}, "
        f"for every account (rules describe products, not customers); {left_out} "
        f"and a rule needs {rules.min_count} quotes with both."
    )


def _reason_bars(suggested: pd.DataFrame, labels: list[str], name: str) -> Chart:
    shares = (suggested["co_buyers"] / suggested["because_buyers"]).round(4)
    return Chart(
        kind="bars",
        title=f"Next offers for {name}",
        alt_text=(
            f"Bar chart of {len(labels)} suggested products by the share of buyers "
            "of the related product who also buy them."
        ),
        data={
            "labels": labels,
            "values": shares.tolist(),
            "format": "percent",
            "axis_label": "of the related product's buyers who buy it",
            "colour": "#1d9bd1",
        },
    )


def _confidence_bars(found: pd.DataFrame, labels: list[str], name: str) -> Chart:
    return Chart(
        kind="bars",
        title=f"Bought with {name}",
        alt_text=(
            f"Bar chart of the {len(labels)} products most often on quotes with "
            f"{name}, by the share of its quotes that hold them."
        ),
        data={
            "labels": labels,
            "values": found["confidence"].round(4).tolist(),
            "format": "percent",
            "axis_label": f"of quotes with {name}",
            "colour": "#1d9bd1",
        },
    )


def _lift_bars(pairs: pd.DataFrame, labels: list[str]) -> Chart:
    return Chart(
        kind="bars",
        title="Products bought together",
        alt_text=(
            f"Bar chart of the {len(labels)} product pairs that meet on quotes most "
            "often relative to chance, by lift."
        ),
        data={
            "labels": labels,
            "values": pairs["lift"].round(2).tolist(),
            "axis_label": "times as often as chance (lift)",
            "colour": "#1d9bd1",
        },
    )
