from collections.abc import Iterator

import pytest

from tests.bot.slack.fake_slack import FakeSlack, start_fake_slack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on localhost, stopped after the test."""
    fake = start_fake_slack()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
