"""What happens when a listener fails: a traceback in the log, a sentence for the user.

Bolt passes an exception raised while acking to the app's error handler
(``on_error``), but only logs one line for an exception in a lazy function.
``reported`` wraps a lazy function so its failures get the same treatment:
``logger.exception`` and ``delivery.SORRY`` where the person asked
(``tell_sorry``); ``report_lazy_failures`` wraps every lazy function an app
has.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.slack.delivery import SORRY
from bot.slack.fallback import respond_at, tell

logger = logging.getLogger(__name__)

_NEEDED = ("body", "client")


def reported(lazy: Callable[..., None]) -> Callable[..., None]:
    """``lazy``, logging any failure and telling the user ``SORRY``.

    Bolt gives a listener the arguments its parameters name; the wrapper
    names ``lazy``'s own plus ``body`` and ``client``, and passes ``lazy``
    only its own.
    """
    own = list(inspect.signature(lazy).parameters)

    @functools.wraps(lazy)
    def run(**kwargs) -> None:
        try:
            lazy(**{name: kwargs[name] for name in own})
        except Exception:
            logger.exception("the %s listener failed", lazy.__name__)
            tell_sorry(kwargs["client"], kwargs["body"])

    del run.__wrapped__
    run.reported = True
    names = own + [name for name in _NEEDED if name not in own]
    run.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    return run


def report_lazy_failures(app: App) -> None:
    """Wrap every lazy function registered on ``app`` with ``reported``, once.

    Bolt has no public way to reach its listeners, hence ``_listeners``.
    """
    for listener in app._listeners:
        listener.lazy_functions = [
            lazy if getattr(lazy, "reported", False) else reported(lazy)
            for lazy in listener.lazy_functions
        ]


def on_error(error: Exception, body: dict, client) -> BoltResponse:
    """Bolt's global error handler: log, tell the user, answer Slack 200.

    A 200 keeps Slack from retrying a request that would only fail again.
    """
    logger.exception("a Slack listener failed", exc_info=error)
    if body and client is not None:
        tell_sorry(client, body)
    return BoltResponse(status=200, body="")


def tell_sorry(client: WebClient, body: dict) -> None:
    """Tell the person whose request failed, where they asked, in ``SORRY``'s words.

    In the thread for a message; only to them for a button or a slash
    command, through its ``response_url`` where the bot is not in the
    conversation; in a direct message from a form or App Home. Never raises:
    it runs while something else has already gone wrong.
    """
    try:
        _say_sorry(client, body)
    except Exception:
        logger.exception("could not tell the user that their request failed")


def _say_sorry(client: WebClient, body: dict) -> None:
    event = body.get("event") or {}
    if event.get("channel") and event.get("ts"):
        thread_ts = event.get("thread_ts") or event["ts"]
        client.chat_postMessage(
            channel=event["channel"], thread_ts=thread_ts, text=SORRY
        )
        return
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if user and channel:
        thread_ts = (body.get("message") or {}).get("thread_ts")
        tell(
            client,
            channel,
            user,
            SORRY,
            respond_at(body.get("response_url")),
            thread_ts,
        )
    elif user:
        client.chat_postMessage(channel=user, text=SORRY)
