"""Importing quotes from a CSV file: ``quotebot import quotes FILE.csv``."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.errors import ImportFileError
from storage.importers import ImportReport, import_quotes_csv
from storage.importers.quotes_csv import rep_name
from storage.models import (
    Customer,
    Product,
    Quote,
    QuoteItem,
    QuoteNumberCounter,
    SalesRep,
)
from storage.quote_numbers import next_quote_number

FIXTURE = Path(__file__).parents[1] / "fixtures" / "quotes_sample.csv"
HEADER = (
    "quote_number,created_at,status,customer,rep_email,sku,product,"
    "quantity,unit_price,discount_pct,notes"
)
VALID_LINE = "Q-2024-0100,2024-05-01,sent,Acme,ann.lee@example.com,WID-1,Widget,2,10,0,"
TABLES = (SalesRep, Customer, Product, Quote, QuoteItem, QuoteNumberCounter)


def write_csv(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "quotes.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def import_file(url: str, path: Path, **options) -> ImportReport:
    with session_scope(url) as session:
        return import_quotes_csv(session, path, **options)


def row_counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in TABLES
        }


def quote(url: str, number: str) -> Quote:
    with session_scope(url) as session:
        found = session.scalars(select(Quote).where(Quote.quote_number == number))
        quote = found.one()
        _ = quote.items, quote.customer, quote.rep
        return quote


# --- the happy path ---------------------------------------------------------


def test_import_writes_one_quote_per_quote_number_with_exact_totals(store_url):
    report = import_file(store_url, FIXTURE)

    assert report.lines_read == 5
    assert report.lines_imported == 5
    assert report.skipped == {}
    assert report.quotes == 4
    renewal = quote(store_url, "Q-2024-0007")
    assert [item.line_total for item in renewal.items] == [
        Decimal("125.00"),
        Decimal("269.97"),
    ]
    assert renewal.subtotal == renewal.total == Decimal("394.97")
    assert renewal.discount_pct == 0
    assert renewal.source == "csv"
    assert renewal.notes == "Annual renewal"


def test_import_keeps_status_dates_and_quoted_notes(store_url):
    import_file(store_url, FIXTURE)

    accepted = quote(store_url, "Q-2024-0007")
    sent = quote(store_url, "Q-2024-0012")
    rejected = quote(store_url, "Q-2024-0013")
    assert accepted.decided_at == accepted.created_at == dt.datetime(2024, 3, 5)
    assert sent.created_at == dt.datetime(2024, 4, 1, 9, 30)
    assert sent.decided_at is None
    assert rejected.decided_at == dt.datetime(2024, 4, 2, 10, 0)
    assert rejected.notes == 'Lost on price, "too high"'
    assert rejected.total == Decimal("427.50")


def test_import_creates_new_customers_reps_and_products(store_url):
    report = import_file(store_url, FIXTURE)

    assert (report.customers_created, report.products_created) == (3, 3)
    assert report.reps_created == 2
    with session_scope(store_url) as session:
        reps = {rep.email: rep for rep in session.scalars(select(SalesRep))}
        owners = {
            customer.name: customer.owner.email
            for customer in session.scalars(select(Customer))
        }
        prices = dict(session.execute(select(Product.sku, Product.list_price)).all())
    assert reps["jane.doe@example.com"].name == "Jane Doe"
    assert reps["john_smith@example.com"].role == "rep"
    assert owners == {
        "Northwind Traders": "jane.doe@example.com",
        "Contoso Ltd": "john_smith@example.com",
        "Fabrikam": "jane.doe@example.com",
    }
    assert prices == {
        "WID-1": Decimal("12.5000"),
        "GAD-2": Decimal("99.9900"),
        "SRV-9": Decimal("450.0000"),
    }


def test_import_matches_rep_emails_without_regard_to_case(store_url):
    import_file(store_url, FIXTURE)

    legacy = quote(store_url, "LEGACY-17")
    assert legacy.rep.email == "jane.doe@example.com"


def test_import_reuses_existing_customers_reps_and_products(store_url):
    with session_scope(store_url) as session:
        boss = SalesRep(name="Boss", email="boss@example.com", role="manager")
        jane = SalesRep(name="Jane D.", email="Jane.Doe@example.com")
        session.add_all([boss, jane])
        session.add(Customer(name="Northwind Traders", owner=boss))
        session.add(Product(sku="WID-1", name="Widget classic", list_price=11))

    report = import_file(store_url, FIXTURE)

    assert report.reps_created == 1
    assert report.customers_created == 2
    assert report.products_created == 2
    with session_scope(store_url) as session:
        northwind = session.scalars(select(Customer).where(Customer.name.like("N%")))
        widget = session.scalars(select(Product).where(Product.sku == "WID-1")).one()
        assert northwind.one().owner.email == "boss@example.com"
        assert (widget.name, widget.list_price) == ("Widget classic", Decimal(11))
    assert quote(store_url, "Q-2024-0007").rep.name == "Jane D."


def test_import_moves_quote_number_counters_past_imported_numbers(sqlite_url):
    import_file(sqlite_url, FIXTURE)

    with session_scope(sqlite_url) as session:
        assert session.get(QuoteNumberCounter, 2024).last_value == 13
        assert next_quote_number(session, 2024) == "Q-2024-0014"


def test_import_never_moves_a_counter_backwards(sqlite_url):
    with session_scope(sqlite_url) as session:
        session.add(QuoteNumberCounter(year=2024, last_value=50))

    import_file(sqlite_url, FIXTURE)

    with session_scope(sqlite_url) as session:
        assert session.get(QuoteNumberCounter, 2024).last_value == 50


def test_import_reads_gzip_compressed_files(sqlite_url, tmp_path):
    compressed = tmp_path / "quotes.csv.gz"
    with FIXTURE.open("rb") as plain, gzip.open(compressed, "wb") as packed:
        shutil.copyfileobj(plain, packed)

    assert import_file(sqlite_url, compressed).quotes == 4


def test_import_skips_blank_lines_and_counts_them(sqlite_url, tmp_path):
    path = write_csv(tmp_path, VALID_LINE, "", ",,,,,,,,,,")

    report = import_file(sqlite_url, path)

    assert report.lines_read == 3
    assert report.lines_imported == 1
    assert report.skipped == {"blank line": 2}


def test_import_reports_progress_adding_up_to_the_lines_read(sqlite_url, tmp_path):
    numbers = [f"Q-2023-{n:04d}" for n in range(1, 12_001)]
    lines = [VALID_LINE.replace("Q-2024-0100", number) for number in numbers]
    calls: list[int] = []

    report = import_file(sqlite_url, write_csv(tmp_path, *lines), progress=calls.append)

    assert sum(calls) == report.lines_read == 12_000
    assert 1 < len(calls) < 100


def test_report_reads_as_a_few_human_lines():
    report = ImportReport(
        lines_read=10,
        lines_imported=7,
        skipped={"no customer id": 3},
        quotes=2,
        customers_created=1,
        products_created=4,
        reps_created=6,
        seconds=0.25,
    )

    assert str(report).splitlines() == [
        "Imported 7 of 10 lines as 2 quotes in 0.2 s.",
        "Created 1 customers, 4 products and 6 reps.",
        "Skipped 3 lines: 3 no customer id.",
    ]


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("jane.doe@x.com", "Jane Doe"),
        ("john_smith@x.com", "John Smith"),
        ("ann-marie.o+sales@x.com", "Ann Marie O Sales"),
        ("bob@x.com", "Bob"),
    ],
)
def test_rep_name_comes_from_the_local_part_of_the_email(email, name):
    assert rep_name(email) == name


# --- refusals ---------------------------------------------------------------


def test_import_refuses_bad_quantity_with_line_number_and_writes_nothing(
    store_url, tmp_path
):
    path = write_csv(
        tmp_path,
        VALID_LINE,
        VALID_LINE.replace("Q-2024-0100", "Q-2024-0101").replace(",2,10,", ",ten,10,"),
    )

    with pytest.raises(ImportFileError) as refused:
        import_file(store_url, path)

    assert refused.value.line == 3
    assert "line 3: quantity 'ten' is not a whole number" in str(refused.value)
    assert "Nothing was imported" in str(refused.value)
    assert set(row_counts(store_url).values()) == {0}


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,0,10,0,",
            "quantity 0 must be at least 1",
            id="zero quantity",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,-2,10,0,",
            "quantity -2 must be at least 1",
            id="negative quantity",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,1.5,10,0,",
            "quantity '1.5' is not a whole number",
            id="fractional quantity",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,abc,0,",
            "unit_price 'abc' is not a number",
            id="unit price not a number",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,-1,0,",
            "unit_price -1 must not be negative",
            id="negative unit price",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,NaN,0,",
            "unit_price 'NaN' is not a number",
            id="unit price NaN",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,1.23456,0,",
            "unit_price 1.23456 has more than 4 decimal places",
            id="unit price too precise",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,120,",
            "discount_pct 120 must be between 0 and 100",
            id="discount above 100",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,-5,",
            "discount_pct -5 must be between 0 and 100",
            id="negative discount",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,ten,",
            "discount_pct 'ten' is not a number",
            id="discount not a number",
        ),
        pytest.param(
            "Q-9,05/01/2024,sent,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "created_at '05/01/2024' is not a date like 2024-03-05",
            id="date not ISO",
        ),
        pytest.param(
            "Q-9,2024-02-30,sent,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "created_at '2024-02-30' is not a date",
            id="date that does not exist",
        ),
        pytest.param(
            "Q-9,2024-05-01,won,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "status 'won' is not one of draft, sent, accepted, rejected, expired, "
            "cancelled",
            id="unknown status",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee,W,Widget,2,10,0,",
            "rep_email 'ann.lee' is not an email address",
            id="invalid email",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,,ann.lee@example.com,W,Widget,2,10,0,",
            "customer is empty",
            id="no customer",
        ),
        pytest.param(
            ",2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "quote_number is empty",
            id="no quote number",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,,Widget,2,10,0,",
            "sku is empty",
            id="no sku",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,,2,10,0,",
            "product is empty",
            id="no product name",
        ),
        pytest.param(
            f"Q-{'9' * 40},2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "quote_number is 42 characters long; the most is 32",
            id="quote number too long",
        ),
        pytest.param(
            "Q-9,2024-05-01,sent,Acme,ann.lee@example.com,W,Widget,2,10,0",
            "the line has 10 fields; the header has 11",
            id="missing field",
        ),
        pytest.param(
            "Q-2024-0100,2024-05-01,accepted,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "quote Q-2024-0100 has status 'accepted' here but 'sent' on line 2",
            id="rows of one quote disagree on status",
        ),
        pytest.param(
            "Q-2024-0100,2024-05-01,sent,Acme,bo@example.com,W,Widget,2,10,0,",
            "quote Q-2024-0100 has rep_email 'bo@example.com' here but "
            "'ann.lee@example.com' on line 2",
            id="rows of one quote disagree on rep",
        ),
        pytest.param(
            "Q-2024-0100,2024-05-02,sent,Acme,ann.lee@example.com,W,Widget,2,10,0,",
            "quote Q-2024-0100 has created_at '2024-05-02 00:00:00' here but "
            "'2024-05-01 00:00:00' on line 2",
            id="rows of one quote disagree on date",
        ),
    ],
)
def test_import_refuses_a_malformed_line_with_its_number_and_writes_nothing(
    sqlite_url, tmp_path, bad_line, problem
):
    path = write_csv(tmp_path, VALID_LINE, VALID_LINE.replace("0100", "0101"), bad_line)

    with pytest.raises(ImportFileError) as refused:
        import_file(sqlite_url, path)

    assert refused.value.line == 4
    assert problem in refused.value.problem
    assert set(row_counts(sqlite_url).values()) == {0}


def test_line_numbers_count_the_physical_lines_of_multiline_notes(sqlite_url, tmp_path):
    notes_over_three_lines = VALID_LINE + '"call back\nafter\nthe budget review"'
    bad = VALID_LINE.replace("0100", "0101").replace(",sent,", ",open,")
    path = write_csv(tmp_path, notes_over_three_lines, bad)

    with pytest.raises(ImportFileError) as refused:
        import_file(sqlite_url, path)

    assert refused.value.line == 5


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        pytest.param(
            HEADER.replace(",notes", ""),
            "the header has missing columns 'notes'",
            id="missing column",
        ),
        pytest.param(
            HEADER.replace("discount_pct", "discount"),
            "missing columns 'discount_pct'; unknown columns 'discount'",
            id="misspelt column",
        ),
        pytest.param(
            HEADER + ",notes",
            "repeated columns 'notes'",
            id="repeated column",
        ),
    ],
)
def test_import_refuses_a_bad_header_on_line_one(sqlite_url, tmp_path, header, problem):
    path = write_csv(tmp_path, VALID_LINE, header=header)

    with pytest.raises(ImportFileError) as refused:
        import_file(sqlite_url, path)

    assert refused.value.line == 1
    assert problem in refused.value.problem
    assert "expected quote_number, created_at, status" in refused.value.problem


def test_import_accepts_columns_in_any_order(sqlite_url, tmp_path):
    columns = HEADER.split(",")
    values = VALID_LINE.split(",")
    path = write_csv(tmp_path, ",".join(values[::-1]), header=",".join(columns[::-1]))

    assert import_file(sqlite_url, path).quotes == 1


def test_import_refuses_an_empty_file(sqlite_url, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")

    with pytest.raises(ImportFileError, match="the file is empty"):
        import_file(sqlite_url, path)


def test_import_refuses_a_file_that_does_not_exist(sqlite_url, tmp_path):
    with pytest.raises(ImportFileError, match="there is no such file"):
        import_file(sqlite_url, tmp_path / "missing.csv")


def test_reimporting_the_same_file_is_refused_and_changes_nothing(store_url):
    import_file(store_url, FIXTURE)
    before = row_counts(store_url)

    with pytest.raises(ImportFileError) as refused:
        import_file(store_url, FIXTURE)

    assert "quote Q-2024-0007 (and 3 more) is already in the store" in str(
        refused.value
    )
    assert refused.value.line == 2
    assert row_counts(store_url) == before


def test_a_file_overlapping_an_imported_one_is_refused_whole(sqlite_url, tmp_path):
    import_file(sqlite_url, FIXTURE)
    before = row_counts(sqlite_url)
    overlapping = write_csv(
        tmp_path, VALID_LINE, VALID_LINE.replace("Q-2024-0100", "LEGACY-17")
    )

    with pytest.raises(ImportFileError, match="quote LEGACY-17 is already"):
        import_file(sqlite_url, overlapping)

    assert row_counts(sqlite_url) == before
