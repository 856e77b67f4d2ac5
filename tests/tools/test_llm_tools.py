import datetime as dt
import inspect

import pytest
from pydantic import ValidationError

from bot.answer import TOOLS
from storage.db import session_scope
from tests.tools.conftest import MANAGER, REP, another_reps_customer, copy_of
from tools.churn import churn_risk_list
from tools.llm_tools import TOOL_SCHEMAS, result_of, tools_for
from tools.people import requester_by_email
from tools.periods import Period
from tools.sales import sales_summary

JUNE = Period(dt.date(2026, 6, 1), dt.date(2026, 7, 1), "June 2026")


def tool_result(url, email, name, arguments, read_period=None):
    with session_scope(url) as session:
        requester = requester_by_email(session, email)
        tools = {tool.name: tool for tool in tools_for(session, requester, read_period)}
        return result_of(tools[name], arguments)


def direct_result(url, email, function, **arguments):
    with session_scope(url) as session:
        return function(session, requester_by_email(session, email), **arguments)


def test_every_tool_the_bot_routes_to_and_drafting_is_offered_to_a_model():
    names = {tool.name for tool in tools_for(None, None)}

    assert names >= set(TOOLS) | {"draft_quote", "subscribe_snapshot"}


def test_each_tool_is_described_by_its_own_docstring():
    for tool in tools_for(None, None):
        function, _ = TOOL_SCHEMAS[tool.name]

        assert tool.description == inspect.getdoc(function)


def test_a_model_can_never_choose_the_session_or_the_asker():
    for tool in tools_for(None, None):
        fields = set(tool.tool_call_schema.model_json_schema()["properties"])

        assert not fields & {"session", "requester", "idempotency_key"}, tool.name


def test_a_tool_answers_as_the_direct_call_for_the_same_asker(trained_demo):
    via_tool = tool_result(trained_demo, REP, "churn_risk_list", {"top_n": 3})

    direct = direct_result(trained_demo, REP, churn_risk_list, top_n=3)
    assert via_tool == direct
    assert len(via_tool.rows) == 3


def test_a_rep_asking_a_tool_about_another_reps_account_is_refused(trained_demo):
    other = another_reps_customer(trained_demo)

    result = tool_result(trained_demo, REP, "churn_explain", {"customer": other})

    assert result.intent == "error"
    assert f"{other} is not one of your accounts" in result.summary


def test_a_period_given_as_dates_reaches_the_tool(trained_demo):
    dates = {"start": "2026-06-01", "end": "2026-07-01", "phrase": "June 2026"}

    result = tool_result(trained_demo, REP, "sales_summary", {"period": dates})

    assert result == direct_result(trained_demo, REP, sales_summary, period=JUNE)


def test_a_period_phrase_is_read_by_the_reader_the_bot_gives(trained_demo):
    def read(phrase):
        return JUNE if phrase == "june" else None

    arguments = {"period": {"phrase": "june"}}
    result = tool_result(trained_demo, REP, "sales_summary", arguments, read)

    assert result == direct_result(trained_demo, REP, sales_summary, period=JUNE)


def test_a_period_that_cannot_be_read_is_answered_with_how_to_say_it(trained_demo):
    arguments = {"period": {"phrase": "around the solstice"}}

    result = tool_result(trained_demo, REP, "sales_summary", arguments)

    assert result.intent == "error"
    assert "'around the solstice'" in result.summary
    assert "start and end date" in result.summary


def test_a_period_ending_before_it_starts_is_refused(trained_demo):
    dates = {"start": "2026-07-01", "end": "2026-06-01"}

    result = tool_result(trained_demo, REP, "sales_summary", {"period": dates})

    assert result.intent == "error"
    assert "must end after it starts" in result.summary


def test_arguments_outside_the_schema_are_rejected_before_the_tool_runs():
    tools = {tool.name: tool for tool in tools_for(None, None)}

    with pytest.raises(ValidationError):
        result_of(tools["churn_risk_list"], {"top_n": 500})
    with pytest.raises(ValidationError):
        result_of(tools["draft_quote"], {"customer": "Acme Corp", "items": []})


def test_tool_content_is_the_answer_text_and_the_artifact_the_result(trained_demo):
    with session_scope(trained_demo) as session:
        requester = requester_by_email(session, REP)
        tool = {t.name: t for t in tools_for(session, requester)}["churn_risk_list"]
        call = {"type": "tool_call", "id": "1", "name": tool.name, "args": {}}
        message = tool.invoke(call)

    assert message.content.startswith(message.artifact.summary)
    assert message.tool_call_id == "1"


@pytest.fixture(scope="module")
def writable(trained_demo, tmp_path_factory) -> str:
    """A copy of the trained demo store, so drafts leave the shared one as it was."""
    return copy_of(trained_demo, tmp_path_factory.mktemp("llm_tools"))


def test_draft_lines_reach_the_draft_as_product_and_quantity(writable):
    arguments = {
        "customer": "Acme Corp",
        "items": [{"product": "Gateway Hub", "quantity": 4}],
        "discount_pct": 5,
    }

    result = tool_result(writable, REP, "draft_quote", arguments)

    assert result.intent == "draft_quote"
    assert [(row["product"], row["quantity"]) for row in result.rows] == [
        ("Gateway Hub", 4)
    ]


def test_a_subscription_made_through_a_tool_is_listed_only_for_its_maker(writable):
    subscribe = {
        "report": "forecast",
        "frequency": "weekly",
        "channel": "#forecast-desk",
    }

    made = tool_result(writable, REP, "subscribe_snapshot", subscribe)

    assert made.intent == "subscribe_snapshot"
    listing = {"action": "list"}
    assert "#forecast-desk" in str(
        tool_result(writable, REP, "subscribe_snapshot", listing)
    )
    others = tool_result(writable, MANAGER, "subscribe_snapshot", listing)
    assert "#forecast-desk" not in str(others.to_dict())
