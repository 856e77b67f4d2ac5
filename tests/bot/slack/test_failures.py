import logging

import pytest
from slack_bolt import App, BoltResponse
from slack_bolt.util.utils import get_arg_names_of_callable

from bot.slack import delivery
from bot.slack.clients import web_client
from bot.slack.failures import on_error, report_lazy_failures, reported, tell_sorry
from tests.bot.slack.outside import OutsideClient, ResponseUrls

CHANNEL, THREAD = "C0SALES", "1700000000.000100"
BODY = {"event": {"channel": CHANNEL, "ts": "1.5"}}


def test_a_reported_lazy_function_gets_only_the_arguments_it_names():
    seen = {}

    def answer(event, say):
        seen.update(event=event, say=say)

    reported(answer)(event={"ts": "1"}, say="say", body=BODY, client=None)

    assert seen == {"event": {"ts": "1"}, "say": "say"}


def test_bolt_is_asked_for_the_body_and_client_beside_the_functions_own():
    def answer(event, say):
        pass

    assert get_arg_names_of_callable(reported(answer)) == [
        "event",
        "say",
        "body",
        "client",
    ]


def test_a_failing_lazy_function_is_logged_with_its_traceback_and_apologised_for(
    fake_slack, caplog
):
    def answer(event):
        raise RuntimeError("the model fell over")

    client = web_client("xoxb-test", fake_slack.url)
    with caplog.at_level(logging.ERROR):
        reported(answer)(event={}, body=BODY, client=client)

    [record] = [r for r in caplog.records if r.name == "bot.slack.failures"]
    assert record.exc_info[0] is RuntimeError
    [apology] = fake_slack.called("chat.postMessage")
    assert (apology["thread_ts"], apology["text"]) == ("1.5", delivery.SORRY)


def test_the_global_error_handler_answers_200_so_slack_does_not_retry(
    fake_slack, caplog
):
    client = web_client("xoxb-test", fake_slack.url)

    response = on_error(RuntimeError("boom"), BODY, client)

    assert isinstance(response, BoltResponse)
    assert response.status == 200
    assert "a Slack listener failed" in caplog.text
    assert [c["text"] for c in fake_slack.called("chat.postMessage")] == [
        delivery.SORRY
    ]


def test_an_apps_lazy_functions_are_wrapped_once_whatever_the_calls():
    def answer(event):
        pass

    app = App(token_verification_enabled=False, token="xoxb-test", signing_secret="s")
    app.event("app_mention")(ack=lambda ack: ack(), lazy=[answer])

    report_lazy_failures(app)
    report_lazy_failures(app)

    [wrapped] = app._listeners[0].lazy_functions
    assert wrapped.reported
    assert wrapped.__name__ == "answer"
    assert get_arg_names_of_callable(wrapped) == ["event", "body", "client"]


@pytest.fixture
def client(fake_slack):
    return web_client("xoxb-test", fake_slack.url)


def test_a_failed_message_is_apologised_for_in_its_thread(client, fake_slack):
    body = {"event": {"channel": CHANNEL, "ts": "1.5", "thread_ts": THREAD}}

    tell_sorry(client, body)

    [call] = fake_slack.called("chat.postMessage")
    assert (call["channel"], call["thread_ts"], call["text"]) == (
        CHANNEL,
        THREAD,
        delivery.SORRY,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"user": {"id": "UALEX"}, "channel": {"id": CHANNEL}, "message": {}},
        {"user_id": "UALEX", "channel_id": CHANNEL, "command": "/churn"},
    ],
    ids=["button", "slash-command"],
)
def test_a_failed_button_or_command_is_apologised_for_only_to_the_person(
    client, fake_slack, body
):
    tell_sorry(client, body)

    [call] = fake_slack.called("chat.postEphemeral")
    assert (call["channel"], call["user"], call["text"]) == (
        CHANNEL,
        "UALEX",
        delivery.SORRY,
    )


def test_a_failed_form_is_apologised_for_in_a_direct_message(client, fake_slack):
    tell_sorry(client, {"type": "view_submission", "user": {"id": "UALEX"}})

    [call] = fake_slack.called("chat.postMessage")
    assert (call["channel"], call["text"]) == ("UALEX", delivery.SORRY)


def test_an_apology_slack_refuses_is_logged_and_not_raised(client, fake_slack, caplog):
    fake_slack.answer_next("chat.postEphemeral", 200, {"ok": False, "error": "x"})
    body = {"user_id": "UALEX", "channel_id": CHANNEL}

    tell_sorry(client, body)

    assert "could not tell the user" in caplog.text


def test_a_failed_command_where_the_bot_is_not_is_apologised_for_by_response_url():
    urls = ResponseUrls()
    try:
        client = OutsideClient({}, "G0PRIVATE")
        body = {
            "user_id": "UALEX",
            "channel_id": "G0PRIVATE",
            "command": "/churn",
            "response_url": urls.url("command"),
        }

        tell_sorry(client, body)

        (told,) = urls.to("command")
    finally:
        urls.close()
    assert (told["response_type"], told["text"]) == ("ephemeral", delivery.SORRY)
