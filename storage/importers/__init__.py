"""Importers that turn files into quotes: ``quotebot import quotes|online-retail``.

Each importer validates the whole file before writing, writes in bulk in the
caller's transaction, and returns an ``ImportReport`` accounting for every line.
A malformed file raises ``storage.errors.ImportFileError`` naming the line.
"""

from storage.importers.online_retail import import_online_retail
from storage.importers.quotes_csv import import_quotes_csv
from storage.importers.report import ImportReport

__all__ = ["ImportReport", "import_online_retail", "import_quotes_csv"]
