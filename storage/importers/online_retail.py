"""Importing the UCI Online Retail file as quotes.

The file has one line per invoice line, with the columns ``InvoiceNo,
StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID,
Country`` (others are ignored). It is read and validated whole with pandas,
then written in bulk.
What becomes of each line, so the counts can be explained:

- An invoice becomes an accepted quote (source ``online_retail``, currency GBP,
  created and decided at its earliest ``InvoiceDate``: a few invoices span two
  minutes).
- An invoice whose number starts with ``C`` is a cancellation. It is kept as a
  quote with status ``cancelled``, so it never counts as revenue; its lines are
  stored with positive quantities and its notes say so.
- Every line is imported or skipped for the first of these reasons that applies:
  ``blank line``, ``no customer id``, ``zero quantity``, ``negative quantity on a
  sale``, ``positive quantity on a cancellation``, ``negative unit price``. A zero
  unit price is a free item (samples, gifts) and is imported.
- Customers are named ``Customer 17850`` with external id ``17850`` (``17850.0``
  in some copies of the file) and the country of their first line.
- ``reps`` reps (``Retail Rep 1`` <retail.rep1@example.com> ...) and one manager
  (<retail.manager@example.com>) of team ``online-retail`` are created if new.
  A new customer is owned by rep ``customer id % reps + 1``: stable across runs
  and machines, and spread evenly. Each quote's rep is its customer's owner.
- A product's SKU is the ``StockCode``, its name the most frequent description
  (ties: alphabetical), its list price the median positive unit price.
"""

from __future__ import annotations

import csv
import logging
import time
import warnings
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from storage.errors import ImportFileError
from storage.importers._bulk import ImportBatch, Progress, write_batch
from storage.importers._files import is_gzip, open_text
from storage.importers.report import ImportReport
from storage.models import QuoteStatus, Role

logger = logging.getLogger(__name__)

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
MAX_LENGTHS = {
    "InvoiceNo": 32,
    "StockCode": 64,
    "Description": 300,
    "CustomerID": 90,
    "Country": 100,
}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M")
WHOLE_NUMBER = r"[+-]?\d+(?:\.0*)?"
DECIMAL_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
CUSTOMER_ID = r"\d+(?:\.0*)?"
MAX_QUANTITY = 2**31 - 1
FIRST_DATA_LINE = 2

CANCELLATION_PREFIX = "C"
CANCELLATION_NOTE = (
    "cancellation: the file lists these lines with negative quantities; "
    "they are stored as positive"
)
SOURCE = "online_retail"
CURRENCY = "GBP"
TEAM = "online-retail"
MANAGER_EMAIL = "retail.manager@example.com"
PRICE_PLACES = Decimal("0.0001")


def import_online_retail(
    session: Session,
    path: str | Path,
    *,
    progress: Progress | None = None,
    reps: int = 5,
) -> ImportReport:
    """Import the Online Retail file (CSV, optionally gzip-compressed).

    The whole file is validated before anything is written; a malformed file
    raises ``ImportFileError`` naming the line, and so does a file whose invoice
    numbers are already in the store. ``progress(n)`` is called every few
    thousand lines written. Runs in the caller's transaction.
    """
    if reps < 1:
        raise ValueError(f"reps must be at least 1 to own the customers; got {reps}")
    started = time.perf_counter()
    path = Path(path)

    frame = _read(path)
    lines = _parse(path, frame)
    reasons = _skip_reasons(lines)
    batch = _batch(path, lines, reasons, reps)

    report = write_batch(session, batch, progress, started)
    logger.info(
        "imported %s of %s Online Retail lines from %s as %s quotes in %.1f s",
        report.lines_imported,
        report.lines_read,
        path,
        report.quotes,
        report.seconds,
    )
    return report


# --- reading and validating -------------------------------------------------


def _read(path: Path) -> pd.DataFrame:
    """Every column as stripped text; blank lines kept, so index + 2 is the line."""
    if not path.is_file():
        raise ImportFileError(str(path), None, "there is no such file")
    _check_columns(path, _read_csv(path, nrows=0).columns)

    frame = _read_csv(path)
    return pd.DataFrame({column: frame[column].str.strip() for column in COLUMNS})


def _read_csv(path: Path, **options: Any) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                path,
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
                encoding="utf-8-sig",
                compression="gzip" if is_gzip(path) else None,
                **options,
            )
    except pd.errors.EmptyDataError:
        raise _error(path, 1, "the file is empty; expected a header") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise _ragged_line_error(path) from None
    except UnicodeDecodeError:
        problem = "the file is not UTF-8 text; save it as UTF-8 CSV"
        raise ImportFileError(str(path), None, problem) from None


def _check_columns(path: Path, columns: pd.Index) -> None:
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise _error(
            path,
            1,
            f"the header lacks the columns {', '.join(missing)}; "
            f"expected {', '.join(COLUMNS)}",
        )


def _ragged_line_error(path: Path) -> ImportFileError:
    """The first line whose field count differs from the header's."""
    with open_text(path) as text:
        reader = csv.reader(text)
        width = len(next(reader))
        for record in reader:
            if record and len(record) != width:
                problem = f"the line has {len(record)} fields; the header has {width}"
                return _error(path, reader.line_num, problem)
    return _error(path, None, "the file is not valid CSV")


def _parse(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with typed columns added, or the first malformed line refused."""
    blank = (frame == "").all(axis=1)
    quantity_ok = frame["Quantity"].str.fullmatch(WHOLE_NUMBER)
    price_ok = frame["UnitPrice"].str.fullmatch(DECIMAL_NUMBER)
    customer_ok = frame["CustomerID"].str.fullmatch(CUSTOMER_ID)

    lines = frame.assign(
        blank=blank,
        quantity=pd.to_numeric(frame["Quantity"].where(quantity_ok, "0")),
        date=_parse_dates(frame["InvoiceDate"]),
        price=pd.to_numeric(frame["UnitPrice"].where(price_ok, "0")),
        customer=frame["CustomerID"].str.replace(r"\.0*$", "", regex=True),
    )
    checks = _checks(lines, quantity_ok, price_ok, customer_ok)
    _refuse_first_problem(path, lines, checks)

    lines["quantity"] = lines["quantity"].astype("int64")
    return lines


def _parse_dates(text: pd.Series) -> pd.Series:
    dates = pd.to_datetime(text, format=DATE_FORMATS[0], errors="coerce")
    for date_format in DATE_FORMATS[1:]:
        todo = dates.isna() & (text != "")
        if not todo.any():
            break
        dates[todo] = pd.to_datetime(text[todo], format=date_format, errors="coerce")
    return dates


def _checks(
    lines: pd.DataFrame,
    quantity_ok: pd.Series,
    price_ok: pd.Series,
    customer_ok: pd.Series,
) -> list[tuple[pd.Series, str, str]]:
    """(bad lines, column, problem with ``{value}``) for every rule of the format."""
    filled = ~lines["blank"]
    checks = [
        (filled & (lines["InvoiceNo"] == ""), "InvoiceNo", "InvoiceNo is empty"),
        (filled & (lines["StockCode"] == ""), "StockCode", "StockCode is empty"),
        (filled & ~quantity_ok, "Quantity", "Quantity {value} is not a whole number"),
        (
            lines["quantity"].abs() > MAX_QUANTITY,
            "Quantity",
            "Quantity {value} is too large",
        ),
        (
            filled & lines["date"].isna(),
            "InvoiceDate",
            "InvoiceDate {value} is not a date and time like 2010-12-01 08:26:00",
        ),
        (filled & ~price_ok, "UnitPrice", "UnitPrice {value} is not a number"),
        (
            (lines["CustomerID"] != "") & ~customer_ok,
            "CustomerID",
            "CustomerID {value} is not a customer number like 17850",
        ),
    ]
    checks += [
        (
            lines[column].str.len() > length,
            column,
            f"{column} {{value}} is longer than {length} characters",
        )
        for column, length in MAX_LENGTHS.items()
    ]
    return checks


def _refuse_first_problem(
    path: Path, lines: pd.DataFrame, checks: list[tuple[pd.Series, str, str]]
) -> None:
    """Raise for the earliest line that breaks any check, if one does."""
    problems = []
    for bad, column, problem in checks:
        flags = bad.to_numpy()
        if flags.any():
            position = int(flags.argmax())
            value = lines[column].iloc[position]
            problems.append((position, problem.format(value=repr(value))))
    if problems:
        position, problem = min(problems)
        raise _error(path, position + FIRST_DATA_LINE, problem)


def _skip_reasons(lines: pd.DataFrame) -> pd.Series:
    """Why each line is skipped, the first reason that applies; "" if imported."""
    cancellation = lines["InvoiceNo"].str.startswith(CANCELLATION_PREFIX)
    quantity = lines["quantity"]
    rules = {
        "blank line": lines["blank"],
        "no customer id": lines["customer"] == "",
        "zero quantity": quantity == 0,
        "negative quantity on a sale": ~cancellation & (quantity < 0),
        "positive quantity on a cancellation": cancellation & (quantity > 0),
        "negative unit price": lines["price"] < 0,
    }
    reasons = np.select(list(rules.values()), list(rules.keys()), default="")
    return pd.Series(reasons, index=lines.index)


def _skipped(reasons: pd.Series) -> dict[str, int]:
    """Lines skipped per reason, the most common first."""
    counts = reasons[reasons != ""].value_counts()
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return {str(reason): int(count) for reason, count in ordered}


# --- building the batch -----------------------------------------------------


def _batch(
    path: Path, lines: pd.DataFrame, reasons: pd.Series, reps: int
) -> ImportBatch:
    kept = lines[reasons == ""]
    _refuse_invoices_with_two_customers(path, kept)

    rep_rows = _reps(reps)
    return ImportBatch(
        path=str(path),
        lines_read=len(lines),
        skipped=_skipped(reasons),
        reps=rep_rows,
        customers=_customers(kept, rep_rows[:reps]),
        products=_products(kept),
        quotes=_quotes(kept),
        items=_items(kept),
    )


def _refuse_invoices_with_two_customers(path: Path, kept: pd.DataFrame) -> None:
    first_customer = kept.groupby("InvoiceNo")["customer"].transform("first")
    first_position = (
        kept.index.to_series().groupby(kept["InvoiceNo"]).transform("first")
    )
    other = (kept["customer"] != first_customer).to_numpy()
    if not other.any():
        return

    position = int(other.argmax())
    row = kept.iloc[position]
    first_line = int(first_position.iloc[position]) + FIRST_DATA_LINE
    raise _error(
        path,
        int(kept.index[position]) + FIRST_DATA_LINE,
        f"invoice {row['InvoiceNo']} has CustomerID {row['customer']} here but "
        f"{first_customer.iloc[position]} on line {first_line}",
    )


def _reps(reps: int) -> list[dict[str, Any]]:
    """``reps`` reps, then the manager; the same people on every import."""
    team = [
        {
            "email": f"retail.rep{number}@example.com",
            "name": f"Retail Rep {number}",
            "role": Role.REP.value,
            "team": TEAM,
        }
        for number in range(1, reps + 1)
    ]
    manager = {
        "email": MANAGER_EMAIL,
        "name": "Retail Manager",
        "role": Role.MANAGER.value,
        "team": TEAM,
    }
    return [*team, manager]


def _customers(kept: pd.DataFrame, reps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    firsts = kept.drop_duplicates("customer")
    return [
        {
            "name": f"Customer {customer_id}",
            "external_id": customer_id,
            "country": country or None,
            "owner_email": reps[int(customer_id) % len(reps)]["email"],
        }
        for customer_id, country in zip(
            firsts["customer"], firsts["Country"], strict=True
        )
    ]


def _products(kept: pd.DataFrame) -> list[dict[str, Any]]:
    described = kept[kept["Description"] != ""]
    name_counts = (
        described.groupby(["StockCode", "Description"]).size().reset_index(name="n")
    )
    names = (
        name_counts.sort_values(
            ["StockCode", "n", "Description"], ascending=[True, False, True]
        )
        .drop_duplicates("StockCode")
        .set_index("StockCode")["Description"]
    )
    prices = kept[kept["price"] > 0].groupby("StockCode")["price"].median()

    return [
        {
            "sku": sku,
            "name": names.get(sku, sku),
            "list_price": _to_price(prices.get(sku, 0.0)),
        }
        for sku in kept["StockCode"].drop_duplicates()
    ]


def _to_price(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(PRICE_PLACES, ROUND_HALF_UP)


def _quotes(kept: pd.DataFrame) -> list[dict[str, Any]]:
    by_invoice = kept.groupby("InvoiceNo", sort=False)
    created = by_invoice["date"].min()
    firsts = kept.drop_duplicates("InvoiceNo")

    quotes = []
    for position, number, customer_id in zip(
        firsts.index, firsts["InvoiceNo"], firsts["customer"], strict=True
    ):
        cancelled = number.startswith(CANCELLATION_PREFIX)
        created_at = created[number].to_pydatetime()
        quotes.append(
            {
                "quote_number": number,
                "line": int(position) + FIRST_DATA_LINE,
                "customer": f"Customer {customer_id}",
                "rep_email": None,
                "status": QuoteStatus.CANCELLED if cancelled else QuoteStatus.ACCEPTED,
                "created_at": created_at,
                "decided_at": created_at,
                "notes": CANCELLATION_NOTE if cancelled else None,
                "source": SOURCE,
                "currency": CURRENCY,
            }
        )
    return quotes


def _items(kept: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": kept.index.to_numpy(),
            "quote_number": kept["InvoiceNo"].to_numpy(),
            "sku": kept["StockCode"].to_numpy(),
            "quantity": kept["quantity"].abs().to_numpy(),
            "unit_price": [Decimal(text) for text in kept["UnitPrice"]],
            "discount_pct": [Decimal(0)] * len(kept),
        }
    )


def _error(path: Path, line: int | None, problem: str) -> ImportFileError:
    return ImportFileError(str(path), line, problem)
