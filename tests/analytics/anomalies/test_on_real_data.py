"""The anomaly model on Online Retail, where nothing is planted but some
invoices are known oddities.

Imported as the store imports it (18,536 invoices of 4,339 customers once
cancellations are left out), the most unusual invoices are single "Manual"
lines (stock code ``M``) charged at hundreds of times that line's usual
price, and the 60 small wicker picnic baskets billed at 649.50 each against
a list price of 5.95. The two largest orders in the file (80,995 paper
birdies on 9 December 2011 and 74,215 storage jars on 18 January 2011, both
cancelled the same day) rank in the top 1%, for their size against the
customer's usual invoice.
"""

import pytest
from sqlalchemy import select

from analytics.anomalies import fit_anomalies
from storage.db import session_scope
from storage.importers import import_online_retail
from storage.models import Product, QuoteItem
from storage.queries import quote_profiles
from tests.shared_files import shared_file

GIANT_ORDERS = ("581483", "541431")
TOP = 20


@pytest.mark.slow
def test_the_most_unusual_invoices_are_manual_charges_and_mispriced_lines(sqlite_url):
    path = shared_file("datasets/online_retail/online_retail.csv.gz")
    with session_scope(sqlite_url) as session:
        import_online_retail(session, path)
    with session_scope(sqlite_url) as session:
        profiles = quote_profiles(session)
        manual = set(
            session.scalars(
                select(QuoteItem.quote_id)
                .join(Product, QuoteItem.product_id == Product.id)
                .where(Product.sku == "M")
            )
        )

    model, features = fit_anomalies(profiles)
    scores = model.score(features)

    top = scores.index[:TOP]
    odd = [q for q in top if q in manual or features.at[q, "price_to_list"] >= 50]
    assert len(odd) >= TOP - 2
    giants = features.index[features["quote_number"].isin(GIANT_ORDERS)]
    assert len(giants) == 2
    assert (scores.loc[giants, "unusual_than"] >= 0.99).all()
