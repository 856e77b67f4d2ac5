"""Opening import files, plain or gzip-compressed, as text."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import TextIO

from storage.errors import ImportFileError

GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is gzip-compressed, by its first bytes, not its name."""
    with path.open("rb") as raw:
        return raw.read(2) == GZIP_MAGIC


def open_text(path: Path) -> TextIO:
    """``path`` as UTF-8 text for the ``csv`` module, decompressing if needed."""
    if not path.is_file():
        raise ImportFileError(str(path), None, "there is no such file")
    if is_gzip(path):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")
