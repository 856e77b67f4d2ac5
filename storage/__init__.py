"""The shared SQL store: tables, sessions, migrations, importers and queries."""

from storage.db import get_engine, session_scope, upgrade
from storage.errors import ImportFileError, StorageError, UnknownRecordError

__all__ = [
    "ImportFileError",
    "StorageError",
    "UnknownRecordError",
    "get_engine",
    "session_scope",
    "upgrade",
]
