"""Importing the UCI Online Retail file: ``quotebot import online-retail FILE``.

The sample fixture holds 19 hand-written lines in the file's format: sales,
cancellations (``C`` invoices), lines without a customer, a free item, a
CustomerID written as a float, and one line for each other skip reason.
"""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.errors import ImportFileError
from storage.importers import ImportReport, import_online_retail
from storage.models import Customer, Product, Quote, QuoteItem, SalesRep
from tests.shared_files import shared_file

REPO = Path(__file__).parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "online_retail_sample.csv"
TABLES = (SalesRep, Customer, Product, Quote, QuoteItem)
HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
)
SAMPLE_SKIPS = {
    "no customer id": 4,
    "negative quantity on a sale": 1,
    "positive quantity on a cancellation": 1,
    "zero quantity": 1,
    "negative unit price": 1,
}


def import_file(url: str, path: Path, **options) -> ImportReport:
    with session_scope(url) as session:
        return import_online_retail(session, path, **options)


def row_counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in TABLES
        }


def sample_with(tmp_path: Path, line_number: int, replacement: str) -> Path:
    """The sample fixture with file line ``line_number`` replaced."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = replacement
    path = tmp_path / "online_retail.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gzipped(path: Path, tmp_path: Path) -> Path:
    packed = tmp_path / f"{path.name}.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    return packed


@pytest.fixture(params=["plain", "gzip"])
def sample(request, tmp_path) -> Path:
    """The sample fixture as it is, and gzip-compressed as the real file is."""
    return FIXTURE if request.param == "plain" else gzipped(FIXTURE, tmp_path)


# --- the sample -------------------------------------------------------------


def test_import_accounts_for_every_line_of_the_sample(store_url, sample):
    report = import_file(store_url, sample)

    assert report.lines_read == 19
    assert report.lines_imported == 11
    assert report.skipped == SAMPLE_SKIPS
    assert report.lines_read == report.lines_imported + sum(report.skipped.values())
    assert (report.quotes, report.customers_created) == (7, 5)
    assert (report.products_created, report.reps_created) == (8, 6)
    assert row_counts(store_url) == {
        "sales_reps": 6,
        "customers": 5,
        "products": 8,
        "quotes": 7,
        "quote_items": 11,
    }


def test_an_invoice_becomes_an_accepted_quote_with_exact_totals(store_url):
    import_file(store_url, FIXTURE)

    with session_scope(store_url) as session:
        invoice = session.scalars(
            select(Quote).where(Quote.quote_number == "536365")
        ).one()
        quantities = [item.quantity for item in invoice.items]
        customer = invoice.customer.name
    assert invoice.status == "accepted"
    assert invoice.created_at == invoice.decided_at == dt.datetime(2010, 12, 1, 8, 26)
    assert invoice.subtotal == invoice.total == Decimal("40.74")
    assert (invoice.source, invoice.currency, customer) == (
        "online_retail",
        "GBP",
        "Customer 17850",
    )
    assert quantities == [6, 6, 2]


def test_cancellations_are_cancelled_quotes_with_positive_quantities(store_url):
    import_file(store_url, FIXTURE)

    with session_scope(store_url) as session:
        cancelled = session.scalars(
            select(Quote).where(Quote.status == "cancelled").order_by(Quote.id)
        ).all()
        items = [(item.quantity, item.line_total) for item in cancelled[0].items]
    assert [quote.quote_number for quote in cancelled] == ["C536379", "C536383"]
    assert items == [(1, Decimal("27.50"))]
    assert cancelled[0].total == Decimal("27.50")
    assert "cancellation" in cancelled[0].notes


def test_a_zero_price_line_is_imported_as_a_free_item(sqlite_url):
    import_file(sqlite_url, FIXTURE)

    with session_scope(sqlite_url) as session:
        kitchen = session.scalars(select(Product).where(Product.sku == "22748")).one()
        item = session.scalars(
            select(QuoteItem).where(QuoteItem.product_id == kitchen.id)
        ).one()
    assert (item.quantity, item.line_total) == (6, Decimal("0.00"))
    assert kitchen.list_price == 0


def test_customers_are_named_by_id_with_the_country_of_their_first_line(sqlite_url):
    import_file(sqlite_url, FIXTURE)

    with session_scope(sqlite_url) as session:
        customers = session.execute(
            select(Customer.name, Customer.external_id, Customer.country)
        ).all()
        float_id_invoice = session.scalars(
            select(Quote).where(Quote.quote_number == "536366")
        ).one()
        float_id_customer = float_id_invoice.customer.name
    assert ("Customer 17850", "17850", "United Kingdom") in customers
    assert ("Customer 12583", "12583", "France") in customers
    assert float_id_customer == "Customer 17850"


@pytest.mark.parametrize(
    ("reps", "owners"),
    [
        (5, {"17850": 1, "13047": 3, "14527": 3, "15311": 2, "12583": 4}),
        (3, {"17850": 1, "13047": 1, "14527": 2, "15311": 3, "12583": 2}),
    ],
)
def test_each_customer_is_owned_by_rep_number_id_modulo_reps_plus_one(
    sqlite_url, reps, owners
):
    import_file(sqlite_url, FIXTURE, reps=reps)

    with session_scope(sqlite_url) as session:
        rows = session.execute(
            select(Customer.external_id, SalesRep.email).join(Customer.owner)
        ).all()
        quote_reps = session.execute(
            select(Quote.rep_id, Customer.owner_rep_id).join(Quote.customer)
        ).all()
    assert {customer: email for customer, email in rows} == {
        customer: f"retail.rep{number}@example.com"
        for customer, number in owners.items()
    }
    assert all(rep_id == owner_id for rep_id, owner_id in quote_reps)


def test_a_later_file_reuses_reps_customers_and_products(sqlite_url, tmp_path):
    import_file(sqlite_url, FIXTURE)
    later = tmp_path / "later.csv"
    later.write_text(
        f"{HEADER}\n600001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,1,"
        "2011-01-05 10:00:00,2.55,17850,United Kingdom\n",
        encoding="utf-8",
    )

    report = import_file(sqlite_url, later)

    assert (report.reps_created, report.customers_created) == (0, 0)
    assert (report.products_created, report.quotes) == (0, 1)
    with session_scope(sqlite_url) as session:
        roles = dict(session.execute(select(SalesRep.email, SalesRep.role)).all())
    assert roles["retail.manager@example.com"] == "manager"
    assert sorted(roles.values()) == ["manager"] + ["rep"] * 5


def test_products_take_the_most_frequent_description_and_the_median_price(
    sqlite_url,
):
    import_file(sqlite_url, FIXTURE)

    with session_scope(sqlite_url) as session:
        heart = session.scalars(select(Product).where(Product.sku == "85123A")).one()
        bedroom = session.scalars(select(Product).where(Product.sku == "22745")).one()
    assert heart.name == "WHITE HANGING HEART T-LIGHT HOLDER"
    assert heart.list_price == Decimal("2.65")
    assert heart.category is None
    assert bedroom.name == "POPPY'S PLAYHOUSE BEDROOM"


def test_dates_in_the_original_month_first_format_are_read(sqlite_url, tmp_path):
    path = sample_with(
        tmp_path,
        2,
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,"
        "12/1/2010 8:20,2.55,17850,United Kingdom",
    )

    import_file(sqlite_url, path)

    with session_scope(sqlite_url) as session:
        created = session.scalar(
            select(Quote.created_at).where(Quote.quote_number == "536365")
        )
    assert created == dt.datetime(2010, 12, 1, 8, 20)


def test_a_blank_line_is_skipped_and_counted(sqlite_url, tmp_path):
    path = sample_with(tmp_path, 12, "")

    report = import_file(sqlite_url, path)

    assert report.skipped["blank line"] == 1
    assert report.lines_read == 19
    assert report.lines_read == report.lines_imported + sum(report.skipped.values())


def test_progress_adds_up_to_the_lines_read(sqlite_url):
    calls: list[int] = []

    report = import_file(sqlite_url, FIXTURE, progress=calls.append)

    assert sum(calls) == report.lines_read


def test_a_store_needs_at_least_one_rep(sqlite_url):
    with pytest.raises(ValueError, match="reps must be at least 1"):
        import_file(sqlite_url, FIXTURE, reps=0)


# --- refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "replacement", "problem"),
    [
        pytest.param(
            5,
            "536366,22633,HAND WARMER UNION JACK,6,2010-13-01 08:28:00,1.85,17850,UK",
            "InvoiceDate '2010-13-01 08:28:00' is not a date and time",
            id="impossible date",
        ),
        pytest.param(
            5,
            "536366,22633,HAND WARMER UNION JACK,six,2010-12-01 08:28:00,1.85,17850,UK",
            "Quantity 'six' is not a whole number",
            id="quantity in words",
        ),
        pytest.param(
            5,
            "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,£1.85,17850,UK",
            "UnitPrice '£1.85' is not a number",
            id="price with a currency sign",
        ),
        pytest.param(
            5,
            "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,A17,UK",
            "CustomerID 'A17' is not a customer number like 17850",
            id="customer id not a number",
        ),
        pytest.param(
            11,
            ",22139,,56,2010-12-01 11:52:00,0,,United Kingdom",
            "InvoiceNo is empty",
            id="no invoice number, even on a skipped line",
        ),
        pytest.param(
            5,
            "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,UK,x",
            "the line has 9 fields; the header has 8",
            id="extra field",
        ),
        pytest.param(
            3,
            "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,13047,UK",
            "invoice 536365 has CustomerID 13047 here but 17850 on line 2",
            id="invoice with two customers",
        ),
    ],
)
def test_import_refuses_a_malformed_line_with_its_number_and_writes_nothing(
    store_url, tmp_path, line, replacement, problem
):
    path = sample_with(tmp_path, line, replacement)

    with pytest.raises(ImportFileError) as refused:
        import_file(store_url, path)

    assert refused.value.line == line
    assert problem in refused.value.problem
    assert set(row_counts(store_url).values()) == {0}


def test_import_refuses_a_file_missing_columns(sqlite_url, tmp_path):
    path = sample_with(
        tmp_path, 1, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice"
    )

    with pytest.raises(ImportFileError) as refused:
        import_file(sqlite_url, path)

    assert refused.value.line == 1
    assert "lacks the columns CustomerID, Country" in refused.value.problem


def test_import_refuses_an_empty_file(sqlite_url, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")

    with pytest.raises(ImportFileError, match="the file is empty"):
        import_file(sqlite_url, path)


def test_reimporting_is_refused_and_changes_nothing(store_url):
    import_file(store_url, FIXTURE)
    before = row_counts(store_url)

    with pytest.raises(ImportFileError) as refused:
        import_file(store_url, FIXTURE)

    assert "quote 536365 (and 6 more) is already in the store" in str(refused.value)
    assert row_counts(store_url) == before


# --- the real file ----------------------------------------------------------


@pytest.mark.slow
def test_the_full_file_imports_with_every_line_accounted_for(store_url):
    full_file = shared_file("datasets/online_retail/online_retail.csv.gz")

    report = import_file(store_url, full_file)

    assert report.lines_read == 541_909
    assert report.lines_read == report.lines_imported + sum(report.skipped.values())
    assert report.skipped == {"no customer id": 135_080}
    assert report.customers_created == 4_372
    assert report.quotes == 22_190
    with session_scope(store_url) as session:
        statuses = dict(
            session.execute(
                select(Quote.status, func.count()).group_by(Quote.status)
            ).all()
        )
        items = session.scalar(select(func.count()).select_from(QuoteItem))
    assert statuses == {"accepted": 18_536, "cancelled": 3_654}
    assert items == report.lines_imported
