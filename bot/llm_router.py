"""Optional routing by a chat model: it picks the tool, the tool answers.

When ``QUOTEBOT_LLM`` names a chat model as "provider:model" (for example
"openai:gpt-4o-mini" or "ollama:llama3.1"), ``route`` sends the message with a
short system prompt and every tool from ``tools.llm_tools`` bound for the
person asking, then runs the one tool call the model chose. Permissions are
the tools' own, so the model can only reach what the asker may see.

``route`` returns None, and the local classifier answers, when no model is
configured, when the model cannot be built or fails, or when it calls no
tool (or one that does not exist, or with arguments that do not fit).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from functools import cache
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.nlu.periods import parse_period
from bot.settings import SettingsError, get_settings
from storage.queries import latest_activity_date
from tools.llm_tools import result_of, tools_for
from tools.people import Requester
from tools.results import ToolResult

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are the assistant of a sales team. Answer the user's message by calling "
    "exactly one of the tools, filling its arguments only with what the message "
    "says: names as typed, numbers as given, periods as the words used. Never "
    "invent a customer, product or quote number. If no tool fits the message, "
    "reply without calling a tool."
)
PROVIDERS = {
    "openai": ("langchain_openai", "ChatOpenAI"),
    "azure_openai": ("langchain_openai", "AzureChatOpenAI"),
    "anthropic": ("langchain_anthropic", "ChatAnthropic"),
    "ollama": ("langchain_ollama", "ChatOllama"),
    "mistralai": ("langchain_mistralai", "ChatMistralAI"),
    "groq": ("langchain_groq", "ChatGroq"),
    "google_genai": ("langchain_google_genai", "ChatGoogleGenerativeAI"),
}


class LLMConfigError(SettingsError):
    """``QUOTEBOT_LLM`` names a chat model this installation cannot build."""


def route(session: Session, requester: Requester, text: str) -> ToolResult | None:
    """The answer from the tool a chat model chose, or None to use the classifier."""
    model = configured_model()
    if model is None:
        return None
    return route_with(model, session, requester, text)


def route_with(
    model: BaseChatModel, session: Session, requester: Requester, text: str
) -> ToolResult | None:
    """Route ``text`` with ``model``; None when it chooses no usable tool call."""
    tools = {
        tool.name: tool for tool in tools_for(session, requester, _reader(session))
    }
    try:
        reply = model.bind_tools(list(tools.values())).invoke(_messages(text))
    except Exception:
        logger.warning("the chat model failed; the classifier answers", exc_info=True)
        return None

    call = _chosen_call(reply.tool_calls, tools)
    if call is None:
        return None
    logger.info("chat model chose %s", call["name"])
    return _run(tools[call["name"]], call["args"])


def configured_model() -> BaseChatModel | None:
    """The chat model ``QUOTEBOT_LLM`` names, built once; None when unset or broken."""
    spec = get_settings().quotebot_llm
    if not spec or not spec.strip():
        return None
    try:
        return chat_model(spec.strip())
    except LLMConfigError as error:
        logger.warning("%s The classifier answers instead.", error)
        return None
    except Exception:
        logger.warning(
            "QUOTEBOT_LLM=%s could not be built; the classifier answers instead.",
            spec,
            exc_info=True,
        )
        return None


@cache
def chat_model(spec: str) -> BaseChatModel:
    """Build the chat model for "provider:model" from an installed integration."""
    provider, _, name = spec.partition(":")
    if not name or provider not in PROVIDERS:
        raise LLMConfigError(
            f"QUOTEBOT_LLM is '{spec}'; set it to 'provider:model' with provider "
            f"one of {', '.join(sorted(PROVIDERS))}, e.g. 'openai:gpt-4o-mini'."
        )
    package, class_name = PROVIDERS[provider]
    try:
        module = importlib.import_module(package)
    except ImportError as error:
        raise LLMConfigError(
            f"QUOTEBOT_LLM names provider '{provider}', but its LangChain package "
            f"is not installed; install {package.replace('_', '-')} or unset "
            "QUOTEBOT_LLM."
        ) from error
    return getattr(module, class_name)(model=name)


def _messages(text: str) -> list:
    return [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]


def _chosen_call(calls: list[dict[str, Any]], tools: dict) -> dict | None:
    if not calls:
        logger.info("the chat model called no tool; the classifier answers")
        return None
    if len(calls) > 1:
        logger.info("the chat model called %s tools; the first answers", len(calls))
    call = calls[0]
    if call["name"] not in tools:
        logger.warning("the chat model called an unknown tool %s", call["name"])
        return None
    return call


def _run(tool, arguments: dict[str, Any]) -> ToolResult | None:
    try:
        return result_of(tool, arguments)
    except ValidationError as error:
        logger.warning("arguments for %s do not fit: %s", tool.name, error)
        return None


def _reader(session: Session):
    today = latest_activity_date(session) or dt.date.today()
    return lambda phrase: parse_period(phrase, today)
