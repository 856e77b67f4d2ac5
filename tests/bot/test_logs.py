import logging
import sys

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.logs import RedactSecrets, configure_logging, settings_secrets
from bot.settings import Settings, get_settings

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CLIENT_SECRET = "d4e5f6a7b8c9client-secret-value"


def record(message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(
        "x", logging.INFO, __file__, 1, message, args or None, exc_info
    )


def written(filter_: RedactSecrets, log_record: logging.LogRecord) -> str:
    """The line a handler with ``filter_`` writes for ``log_record``."""
    filter_.filter(log_record)
    return logging.Formatter("%(message)s").format(log_record)


@pytest.mark.parametrize(
    "token",
    [
        "xoxb-123-456-abc",
        "xoxp-1-2-3-4-abcdef",
        "xoxa-2-abc",
        "xoxo-2-abc",
        "xoxr-2-abc",
        "xoxs-2-abc",
        "xoxe-1-abc",
        "xapp-1-A0B1C2-123-abc",
    ],
)
def test_slack_tokens_are_redacted_from_log_arguments(token):
    line = written(RedactSecrets(), record("calling with %s", token))

    assert token not in line
    assert line == f"calling with {token.split('-')[0]}-[redacted]"


def test_configured_secret_values_are_redacted_wherever_they_appear():
    filter_ = RedactSecrets([SIGNING_SECRET, CLIENT_SECRET])

    line = written(
        filter_, record("secret=%s, then %s", SIGNING_SECRET, f"x{CLIENT_SECRET}y")
    )

    assert line == "secret=[redacted], then x[redacted]y"


def test_a_database_password_in_a_url_is_redacted():
    url = "postgresql+psycopg://quotebot:s3cret-pw@db.internal:5432/quotebot"

    line = written(RedactSecrets(), record("connecting to %s", url))

    assert line == (
        "connecting to postgresql+psycopg://quotebot:[redacted]@db.internal:5432/quotebot"
    )


def test_secrets_in_a_traceback_are_redacted():
    try:
        raise RuntimeError(f"bad token xoxb-999-888-zzz and {SIGNING_SECRET}")
    except RuntimeError:
        failing = record("answering failed", exc_info=sys.exc_info())

    line = written(RedactSecrets([SIGNING_SECRET]), failing)

    assert "Traceback" in line
    assert "xoxb-999" not in line
    assert SIGNING_SECRET not in line


def test_a_record_with_a_bad_format_string_is_let_through_unchanged():
    broken = record("%s and %s", "only one")

    assert RedactSecrets().filter(broken) is True
    assert broken.msg == "%s and %s"


def test_the_secrets_of_the_settings_are_every_secret_field_and_the_db_password():
    settings = Settings(
        _env_file=None,
        database_url="postgresql://quotebot:pw-in-url@localhost/quotebot",
        slack_bot_token=SecretStr("xoxb-1-2-3"),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_app_token=None,
    )

    found = settings_secrets(settings)

    assert {"xoxb-1-2-3", SIGNING_SECRET, "pw-in-url"} <= set(found)


def test_the_process_handler_redacts_what_any_logger_writes(capsys):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("INFO", [SIGNING_SECRET])
        logging.getLogger("bot.slack.app").info("verifying with %s", SIGNING_SECRET)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)

    err = capsys.readouterr().err
    assert "verifying with [redacted]" in err
    assert SIGNING_SECRET not in err


def test_the_command_line_redacts_the_secrets_it_is_configured_with(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'q.db'}")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        CliRunner().invoke(cli, ["db", "upgrade"])
        [handler] = root.handlers
        [redact] = handler.filters
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        get_settings.cache_clear()

    assert redact.redact(f"secret {SIGNING_SECRET}") == "secret [redacted]"
