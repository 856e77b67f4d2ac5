"""Logging for the entry points (CLI and server); libraries only get loggers."""

from __future__ import annotations

import logging
import re

SECRET_PATTERN = re.compile(r"\b(xox[abprse]|xapp)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Replace Slack tokens in any log record with a marker."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SECRET_PATTERN.search(message):
            record.msg = SECRET_PATTERN.sub(r"\1-[redacted]", message)
            record.args = None
        return True


def configure_logging(level: str = "INFO") -> None:
    """One stderr handler for the process, with secrets redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)
