from bot.slack.clients import web_client


def test_a_rate_limited_call_is_retried_once_after_retry_after_and_succeeds(
    fake_slack,
):
    fake_slack.answer_next(
        "chat.postMessage",
        429,
        {"ok": False, "error": "ratelimited"},
        {"Retry-After": "1"},
    )
    client = web_client("xoxb-test", fake_slack.url)

    response = client.chat_postMessage(channel="C1", text="hello")

    assert response["ok"]
    assert len(fake_slack.called("chat.postMessage")) == 2


def test_the_client_sends_the_token_it_was_given(fake_slack):
    web_client("xoxb-test", fake_slack.url).auth_test()

    [call] = fake_slack.calls
    assert call.headers["Authorization"] == "Bearer xoxb-test"
