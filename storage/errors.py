"""Errors raised by the storage layer.

``StorageError`` is the root; callers that only want to report a problem to a
person can catch it and show its message.

    StorageError
     +-- ImportFileError       a file to import is malformed; nothing was written
     +-- UnknownRecordError    a name or number matched nothing in the store
"""


class StorageError(Exception):
    """Root of every error the storage layer raises on purpose."""


class ImportFileError(StorageError):
    """A file cannot be imported; the message names the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(
            f"{where}: {problem}. Nothing was imported; fix the file and retry."
        )
        self.path = path
        self.line = line
        self.problem = problem


class UnknownRecordError(StorageError):
    """A lookup by name or number found nothing."""
