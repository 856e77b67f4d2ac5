"""Logging for the entry points (CLI and server); libraries only get loggers.

The one handler redacts secrets from every record it writes: Slack tokens by
their shape, passwords inside URLs, and the configured secret values (signing
secret, client secret, tokens) wherever they appear, in the message, its
arguments, a traceback or a stack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

REDACTED = "[redacted]"
SLACK_TOKEN = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")
URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#\s@]*:)[^@/\s]+@")
SHORTEST_SECRET = 6
"""Shorter configured values are not searched for: they would redact words."""


class RedactSecrets(logging.Filter):
    """Replace secrets in any log record with a marker."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        values = {value for value in secrets if len(value) >= SHORTEST_SECRET}
        self.secrets = sorted(values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for value in self.secrets:
            text = text.replace(value, REDACTED)
        text = SLACK_TOKEN.sub(rf"\1-{REDACTED}", text)
        return URL_PASSWORD.sub(rf"\1{REDACTED}@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string; logging itself reports it
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def settings_secrets(settings) -> list[str]:
    """Every secret value in ``settings``: its ``SecretStr`` fields and DB password."""
    values = [
        value.get_secret_value()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
    ]
    try:
        password = make_url(settings.database_url).password
    except ArgumentError:
        password = None
    return values + ([password] if password else [])


def configure_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> None:
    """One stderr handler for the process, with ``secrets`` and tokens redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)
