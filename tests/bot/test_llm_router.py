import datetime as dt
import logging

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from sqlalchemy import select

from bot import llm_router
from bot.answer import answer
from bot.llm_router import LLMConfigError, chat_model, configured_model, route_with
from bot.nlu.periods import parse_period
from bot.settings import Settings
from storage.db import session_scope
from storage.models import AuditEntry
from storage.queries import latest_activity_date
from tests.factories import make_customer, make_orders, make_rep
from tools.churn import churn_risk_list
from tools.people import requester_by_email
from tools.sales import sales_summary

TODAY = dt.date(2026, 6, 30)
REP = "alex.rivera@example.com"
MANAGER = "dana.whitfield@example.com"


class ToolCallingFake(FakeMessagesListChatModel):
    """Replies with the given messages and remembers the tools and prompts it got."""

    bound: list = []
    prompts: list = []

    def bind_tools(self, tools, **kwargs):
        self.bound = list(tools)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.prompts.append(messages)
        return super()._generate(messages, stop, run_manager, **kwargs)


class BrokenModel(ToolCallingFake):
    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        raise ConnectionError("the provider is unreachable")


def calling(name, **arguments) -> ToolCallingFake:
    call = {"name": name, "args": arguments, "id": "call-1", "type": "tool_call"}
    return ToolCallingFake(responses=[AIMessage("", tool_calls=[call])], prompts=[])


def talking(text) -> ToolCallingFake:
    return ToolCallingFake(responses=[AIMessage(text)], prompts=[])


@pytest.fixture
def store(sqlite_url) -> str:
    """Two reps with two accounts each, and their manager."""
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        make_rep(session, "Dana Whitfield", role="manager")
        for rep, prefix in ((alex, "Alex"), (priya, "Priya")):
            slipping = make_customer(session, f"{prefix} Slipping Ltd", rep)
            healthy = make_customer(session, f"{prefix} Healthy Inc", rep)
            make_orders(session, slipping, TODAY - dt.timedelta(days=60), 14, 8)
            make_orders(session, healthy, TODAY, 14, 8)
    return sqlite_url


def routed(url, email, model, text="anything"):
    with session_scope(url) as session:
        return route_with(model, session, requester_by_email(session, email), text)


def asked(url, email, text):
    with session_scope(url) as session:
        return answer(session, requester_by_email(session, email), text)


def configure(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("QUOTEBOT_LLM", raising=False)
    else:
        monkeypatch.setenv("QUOTEBOT_LLM", value)
    monkeypatch.setattr(llm_router, "get_settings", lambda: Settings(_env_file=None))


def test_the_tool_the_model_chose_answers(store):
    result = routed(store, REP, calling("churn_risk_list", top_n=2))

    with session_scope(store) as session:
        direct = churn_risk_list(session, requester_by_email(session, REP), top_n=2)
    assert result == direct


def test_the_model_gets_every_tool_the_system_prompt_and_the_message(store):
    model = calling("model_health")

    routed(store, REP, model, "how good are the models")

    assert {tool.name for tool in model.bound} >= {"churn_explain", "draft_quote"}
    system, human = model.prompts[0]
    assert isinstance(system, SystemMessage) and "exactly one" in system.content
    assert human == HumanMessage("how good are the models")


def test_a_model_cannot_reach_another_reps_account(store):
    result = routed(store, REP, calling("churn_explain", customer="Priya Slipping"))

    assert result.intent == "error"
    assert result.summary == "Priya Slipping Ltd is not one of your accounts."


def test_a_manager_routed_by_the_model_sees_the_team(store):
    rep = routed(store, REP, calling("churn_risk_list", scope="team"))
    manager = routed(store, MANAGER, calling("churn_risk_list", scope="team"))

    assert [row["customer"] for row in rep.rows] == ["Alex Slipping Ltd"]
    assert {row["customer"] for row in manager.rows} == {
        "Alex Slipping Ltd",
        "Priya Slipping Ltd",
    }


@pytest.mark.parametrize(
    "model",
    [
        talking("I can only help with sales questions."),
        calling("delete_everything"),
        calling("churn_risk_list", top_n=500),
        BrokenModel(responses=[AIMessage("")], prompts=[]),
    ],
    ids=["no tool call", "unknown tool", "arguments out of range", "model fails"],
)
def test_without_a_usable_tool_call_the_router_steps_aside(store, model):
    assert routed(store, REP, model) is None


def test_a_failing_model_is_logged_with_its_error(store, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.llm_router"):
        routed(store, REP, BrokenModel(responses=[AIMessage("")], prompts=[]))

    assert "the chat model failed" in caplog.text
    assert "the provider is unreachable" in caplog.text


def test_answer_uses_the_configured_model_and_audits_it(store, monkeypatch):
    model = calling("churn_explain", customer="Alex Slipping")
    monkeypatch.setattr(llm_router, "configured_model", lambda: model)

    result = asked(store, REP, "what's my churn risk list")

    assert result.intent == "churn_explain"
    assert "Alex Slipping Ltd" in result.summary
    with session_scope(store) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert last.first().intent == "churn_explain"


def test_answer_falls_back_to_the_classifier_when_the_model_calls_no_tool(
    store, monkeypatch
):
    monkeypatch.setattr(llm_router, "configured_model", lambda: talking("hello"))

    result = asked(store, REP, "what's my churn risk list")

    assert result.intent == "churn_risk_list"


def test_without_quotebot_llm_no_model_is_built(monkeypatch):
    configure(monkeypatch, None)

    assert configured_model() is None


def test_a_provider_without_its_package_names_the_package_to_install():
    with pytest.raises(LLMConfigError, match="install langchain-groq"):
        chat_model("groq:llama-3.1-8b-instant")


def test_a_setting_without_a_provider_says_how_to_write_it():
    with pytest.raises(LLMConfigError, match="'provider:model'.*openai"):
        chat_model("gpt-4o-mini")


def test_a_model_that_cannot_be_built_leaves_the_classifier_answering(
    monkeypatch, caplog
):
    configure(monkeypatch, "nosuch:model")

    with caplog.at_level(logging.WARNING, logger="bot.llm_router"):
        assert configured_model() is None
    assert "QUOTEBOT_LLM is 'nosuch:model'" in caplog.text


def test_a_period_phrase_the_model_passes_is_read_from_the_stores_last_day(store):
    model = calling("sales_summary", period={"phrase": "last month"})

    result = routed(store, REP, model)

    with session_scope(store) as session:
        last_month = parse_period("last month", latest_activity_date(session))
        direct = sales_summary(
            session, requester_by_email(session, REP), period=last_month
        )
    assert result.intent == "sales_summary"
    assert result == direct


def test_a_provider_that_fails_to_build_leaves_the_classifier_answering(
    monkeypatch, caplog
):
    fakes = "langchain_core.language_models.fake_chat_models"
    providers = {**llm_router.PROVIDERS, "fake": (fakes, "FakeListChatModel")}
    monkeypatch.setattr(llm_router, "PROVIDERS", providers)
    configure(monkeypatch, "fake:no-responses-given")

    with caplog.at_level(logging.WARNING, logger="bot.llm_router"):
        assert configured_model() is None
    assert "QUOTEBOT_LLM=fake:no-responses-given could not be built" in caplog.text
