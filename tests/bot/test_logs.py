import logging

from bot.logs import RedactSecrets


def test_slack_tokens_are_redacted_from_log_records():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "calling with %s", ("xoxb-123-456-abc",), None
    )

    RedactSecrets().filter(record)

    assert record.getMessage() == "calling with xoxb-[redacted]"
